import { formatNumber, t } from '../i18n/index.js';
import { utilityCommand } from './utility.js';

/** A figure as the language writes it, or the API's value as given when it is not a number. */
const figure = (lang: Parameters<typeof t>[0], value: unknown): string =>
  typeof value === 'number' ? formatNumber(lang, value, 2) : String(value);

export const tiersCommand = utilityCommand({
  name: 'tiers',
  path: '/tiers',
  describe: 'cli.tiers.describe',
  needsKey: true,
  show: (body, lang) => {
    const tiers: Array<Record<string, unknown>> = Array.isArray(body.tiers) ? body.tiers : [];
    const line = (name: string, rate: string, burst: string, quota: string): string =>
      `${name.padEnd(14)}${rate.padStart(8)}${burst.padStart(8)}${quota.padStart(14)}`;
    const rows = tiers.map((tier) =>
      line(
        String(tier.name),
        figure(lang, tier.rate_limit),
        figure(lang, tier.burst),
        figure(lang, tier.monthly_quota),
      ),
    );
    const head = line(
      t(lang, 'cli.tiers.tier'),
      t(lang, 'cli.tiers.rate'),
      t(lang, 'cli.tiers.burst'),
      t(lang, 'cli.tiers.quota'),
    );
    return [head, ...rows].join('\n');
  },
});
