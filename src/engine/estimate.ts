import { ApiClient } from '../api/client.js';
import { reason, reasonText, type Reason } from '../contact/reason.js';
import { ENDPOINT_COST, toldQuota, type PlanQuota } from '../api/plans.js';
import { contactsCovered } from './budget.js';
import { quotaCheck, quotaText, type QuotaCheck } from './quota.js';
import { onInputFile } from './input-file.js';
import { planQuota, ratePlan } from './plan.js';
import { FluenceError } from '../errors.js';
import { openForEstimate } from '../sharing/open-sharing.js';
import type { EnrichConfig } from '../options/config.js';
import { checkPaths, runPaths } from '../options/paths.js';
import { checkAccount, type Account } from './preflight.js';
import { reuseRule } from './reuse.js';
import { mappingText } from '../input/mapping-text.js';
import { scanContacts } from './first-pass.js';
import { DEFAULT_LANG, formatDuration, formatNumber, message, t, type Lang } from '../i18n/index.js';

export interface Estimate {
  input: string;
  endpoint: string;
  /** Which column became which field. */
  columns: string;
  rows: number;
  valid: number;
  invalid: number;
  /** Why rows are invalid, most frequent first. */
  invalidReasons: Array<{ reason: string; rows: number }>;
  /** An .xlsx input's data rows hidden in the workbook (filtered out, or hidden by hand), and whether they are sent; null for a CSV. */
  hiddenRows: { rows: number; sent: boolean } | null;
  /** Valid rows repeating a contact earlier in the file (asked once). */
  duplicates: number;
  /** Contacts the checkpoint or cache already answered (0 credits). */
  alreadyAnswered: number;
  /** Contacts `enrich` would ask. */
  toAsk: number;
  /** The most `enrich` can spend: every request charged (refunds only lower it). */
  maxCredits: number;
  creditsLeft: number | null;
  /** Why `creditsLeft` is unknown though a key was given (the API could not be asked). */
  accountNote: string | null;
  plan: string | null;
  rate: number;
  burst: number;
  /** At the plan's rate, before answer latency. */
  seconds: number;
  /** Contacts the credits left cover (`toAsk` when the credits are unknown): `enrich` asks no more. */
  covered: number;
  /** The file's requests against the plan's monthly quota (`/tiers` and the account's plan). */
  quota: QuotaCheck;
}

/** Ragged-row reasons name their line; grouped they read as one reason (in the run's language). */
const reasonGroup = (why: Reason, lang: Lang): string =>
  why.key === 'rows.moreFields' ? reasonText(reason('rows.moreFieldsGroup'), lang) : reasonText(why, lang);

/**
 * What `enrich` would do with this file, without a CRM request: the same rules (validation,
 * duplicates, stored answers with --max-age/--refresh) and the same count `enrich` logs as its
 * "at most", so `maxCredits` bounds the real spend. The checkpoint's answers are read, never
 * changed (opening it may still note the input's new path, or bring an old checkpoint up to date).
 */
export async function estimateFile(config: EnrichConfig): Promise<Estimate> {
  await checkPaths(runPaths(config, 'estimate'));
  const reasons = new Map<string, number>();
  let duplicates = 0;
  const { shape, counts } = await onInputFile(config, async (file) => {
    const stored = await openForEstimate(config, file.input);
    try {
      const shape = await scanContacts(file, stored.pass, ({ reason: why }, repeat) => {
        if (repeat) duplicates += 1;
        if (why === undefined) return;
        const group = reasonGroup(why, config.lang);
        reasons.set(group, (reasons.get(group) ?? 0) + 1);
      });
      const counts = stored.pass.counts(reuseRule(config, Date.now()));
      stored.pass.abort();
      return { shape, counts };
    } finally {
      await stored.close();
    }
  });
  const { toAsk } = counts;
  const known = await accountIfAsked(config);
  const { rate: perSecond, burst } = ratePlan(config.rate, known.account);
  const creditsLeft = known.account?.creditsLeft ?? null;
  return {
    input: config.input,
    endpoint: config.endpoint,
    columns: mappingText(shape, config.lang),
    rows: shape.rows,
    valid: shape.valid,
    invalid: shape.rows - shape.valid,
    invalidReasons: [...reasons].sort((a, b) => b[1] - a[1]).map(([reason, rows]) => ({ reason, rows })),
    hiddenRows: shape.hiddenRows ?? null,
    duplicates,
    alreadyAnswered: counts.distinct - toAsk,
    toAsk,
    maxCredits: toAsk * ENDPOINT_COST[config.endpoint],
    creditsLeft,
    accountNote: known.note,
    plan: known.account?.plan ?? null,
    rate: perSecond,
    burst,
    seconds: Math.round((Math.max(0, toAsk - burst) / perSecond) * 10) / 10,
    covered: contactsCovered(creditsLeft ?? undefined, toAsk, ENDPOINT_COST[config.endpoint]),
    quota: quotaCheck(toAsk, known.quota),
  };
}

/**
 * The account and its plan's quota when a key is given, asked as `enrich` asks them; without a
 * key, or when the API cannot be asked, a note says why they are unknown. A refused key is still an error.
 */
async function accountIfAsked(
  config: EnrichConfig,
): Promise<{ account: Account | undefined; quota: PlanQuota; note: string | null }> {
  if (!config.apiKey)
    return {
      account: undefined,
      quota: toldQuota({ monthlyQuota: undefined, tier: undefined }, message('cli.quota.how.noKey')),
      note: null,
    };
  const client = new ApiClient({
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    maxSockets: 1,
    timeoutMs: config.timeoutMs,
    maxBodyBytes: config.maxBodyBytes,
  });
  let account: Account | undefined;
  try {
    account = await checkAccount(client, config.baseUrl);
    return { account, quota: await planQuota(client, account, config.rate), note: null };
  } catch (error) {
    // The estimate stands without the account: say why its credits are unknown.
    if (!(error instanceof FluenceError) || !['API_UNREACHABLE', 'API_ERROR'].includes(error.code)) throw error;
    return {
      account,
      quota: toldQuota({ monthlyQuota: undefined, tier: undefined }, message('cli.quota.how.notAsked')),
      note: error.message,
    };
  } finally {
    client.close();
  }
}

/** What the credits left say: the figure, or why it is unknown; short of what the file needs, what the run would do. */
function creditsLeftText(e: Estimate, lang: Lang): string {
  const left =
    e.creditsLeft !== null
      ? formatNumber(lang, e.creditsLeft)
      : e.accountNote
        ? t(lang, 'cli.estimate.unknownNote', { note: e.accountNote })
        : t(lang, 'cli.estimate.unknownNoKey');
  const short = e.creditsLeft !== null && e.creditsLeft < e.maxCredits;
  return `${t(lang, 'cli.estimate.creditsLeft', { left })}${e.plan ? ` (${e.plan})` : ''}${short ? t(lang, 'cli.estimate.notEnough', { covered: e.covered, toAsk: e.toAsk }) : ''}`;
}

/** The estimate as a person reads it, in `lang` (`--json` gives the object). */
export function estimateText(e: Estimate, lang: Lang = DEFAULT_LANG): string {
  const lines = [
    t(lang, 'cli.estimate.rows', { input: e.input, rows: e.rows }),
    t(lang, 'cli.estimate.columns', { columns: e.columns }),
    `${t(lang, 'cli.estimate.valid', { valid: e.valid, invalid: e.invalid })}${e.invalid ? ':' : ''}`,
  ];
  for (const { reason, rows } of e.invalidReasons.slice(0, 10))
    lines.push(`    ${formatNumber(lang, rows).padStart(6)}  ${reason}`);
  if (e.hiddenRows?.rows)
    lines.push(t(lang, e.hiddenRows.sent ? 'cli.estimate.hiddenSent' : 'cli.estimate.hiddenSkipped', e.hiddenRows));
  lines.push(
    t(lang, 'cli.estimate.duplicates', { count: e.duplicates }),
    t(lang, 'cli.estimate.answered', { count: e.alreadyAnswered }),
    t(lang, 'cli.estimate.toAsk', { count: e.toAsk, credits: e.maxCredits, endpoint: e.endpoint }),
    creditsLeftText(e, lang),
    t(lang, 'cli.estimate.quota', { text: quotaText(e.quota, lang) }),
    t(lang, 'cli.estimate.time', {
      rate: formatNumber(lang, e.rate, 2),
      burst: e.burst,
      time: formatDuration(lang, e.seconds),
    }),
  );
  return `${lines.join('\n')}\n`;
}
