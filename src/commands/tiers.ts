import { utilityCommand } from './utility.js';

export const tiersCommand = utilityCommand({
  name: 'tiers',
  path: '/tiers',
  describe: 'Plans: rate, burst and monthly quota (free)',
  needsKey: true,
  show: (body) => {
    const tiers: Array<Record<string, unknown>> = Array.isArray(body.tiers) ? body.tiers : [];
    const rows = tiers.map(
      (t) =>
        `${String(t.name).padEnd(14)}${String(t.rate_limit).padStart(8)}${String(t.burst).padStart(8)}${String(t.monthly_quota).padStart(14)}`,
    );
    return [
      `${'tier'.padEnd(14)}${'req/s'.padStart(8)}${'burst'.padStart(8)}${'month quota'.padStart(14)}`,
      ...rows,
    ].join('\n');
  },
});
