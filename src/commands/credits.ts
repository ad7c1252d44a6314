import { utilityCommand } from './utility.js';

export const creditsCommand = utilityCommand({
  name: 'credits',
  path: '/creditos',
  describe: 'Credits left and plan (free)',
  needsKey: true,
  show: (body) => {
    const info = body.billing_info ?? {};
    const quota = body.cota_mensal
      ? `\nMonthly quota: ${body.cota_mensal.utilizada} of ${body.cota_mensal.limite} requests used`
      : '';
    return `Credits left: ${info.creditos_restantes ?? 'unknown'}\nPlan: ${info.tipo_plano ?? 'unknown'}${quota}`;
  },
});
