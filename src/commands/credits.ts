import { formatNumber, t } from '../i18n/index.js';
import { utilityCommand } from './utility.js';

export const creditsCommand = utilityCommand({
  name: 'credits',
  path: '/creditos',
  describe: 'cli.credits.describe',
  needsKey: true,
  show: (body, lang) => {
    const info = body.billing_info ?? {};
    const unknown = t(lang, 'cli.unknown');
    const credits = typeof info.creditos_restantes === 'number' ? formatNumber(lang, info.creditos_restantes) : unknown;
    const lines = [
      t(lang, 'cli.credits.left', { credits }),
      t(lang, 'cli.credits.plan', { plan: info.tipo_plano ?? unknown }),
    ];
    const quota = body.cota_mensal;
    if (quota) lines.push(t(lang, 'cli.credits.quota', { used: quota.utilizada, limit: quota.limite }));
    return lines.join('\n');
  },
});
