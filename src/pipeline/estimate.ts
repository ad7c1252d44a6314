import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiClient } from '../api/client.js';
import { ENDPOINT_COST } from '../api/plans.js';
import { contactKey } from '../contact/normalize.js';
import { CheckpointStore } from '../store/checkpoint.js';
import type { EnrichConfig } from './config.js';
import { checkAccount } from './preflight.js';
import { reusable } from './reuse.js';
import { scan } from './shape.js';

export interface Estimate {
  input: string;
  endpoint: string;
  rows: number;
  valid: number;
  invalid: number;
  /** Why rows are invalid, most frequent first. */
  invalidReasons: Array<{ reason: string; rows: number }>;
  /** Valid rows repeating a contact earlier in the file (asked once). */
  duplicates: number;
  /** Contacts the checkpoint or cache already answered (0 credits). */
  alreadyAnswered: number;
  /** Contacts `enrich` would ask. */
  toAsk: number;
  /** The most `enrich` can spend: every request charged (refunds only lower it). */
  maxCredits: number;
  creditsLeft: number | null;
  plan: string | null;
  rate: number;
  burst: number;
  /** At the plan's rate, before answer latency. */
  seconds: number;
}

/** Ragged-row reasons name their line; grouped they read as one reason. */
const reasonGroup = (reason: string): string => (/^line \d+ has \d+ fields/.test(reason) ? 'more fields than the header' : reason);

/**
 * What `enrich` would do with this file, without a CRM request: the same rules (validation,
 * duplicates, stored answers with --max-age/--refresh), so its `maxCredits` bounds the real spend.
 */
export async function estimateFile(config: EnrichConfig): Promise<Estimate> {
  const store = existsSync(config.checkpoint) ? new CheckpointStore(config.checkpoint, config.sharedCache ? 'shared' : { endpoint: config.endpoint, input: resolve(config.input) }) : undefined;
  const reasons = new Map<string, number>();
  const seen = new Set<string>();
  let duplicates = 0;
  let alreadyAnswered = 0;
  const now = Date.now();
  let shape;
  try {
    shape = await scan(config, ({ contact, reason }) => {
      if (reason !== undefined) {
        const group = reasonGroup(reason);
        reasons.set(group, (reasons.get(group) ?? 0) + 1);
        return;
      }
      const key = contactKey(contact);
      if (seen.has(key)) {
        duplicates += 1;
        return;
      }
      seen.add(key);
      const known = store?.lookup(config.endpoint, key);
      if (reusable(known, config, now)) alreadyAnswered += 1;
    });
  } finally {
    store?.close();
  }
  const toAsk = seen.size - alreadyAnswered;
  let creditsLeft: number | null = null;
  let plan: string | null = null;
  let rate = config.rate;
  if (config.apiKey) {
    const client = new ApiClient({ baseUrl: config.baseUrl, apiKey: config.apiKey, maxSockets: 1, timeoutMs: config.timeoutMs, maxBodyBytes: config.maxBodyBytes });
    try {
      const account = await checkAccount(client, config.baseUrl);
      creditsLeft = account.creditsLeft ?? null;
      plan = account.plan;
      rate ??= account.rateLimit ? { rate: account.rateLimit, burst: account.rateLimit * 2 } : undefined;
    } finally {
      client.close();
    }
  }
  const { rate: perSecond, burst } = rate ?? { rate: 50, burst: 100 };
  return {
    input: config.input,
    endpoint: config.endpoint,
    rows: shape.rows,
    valid: shape.valid,
    invalid: shape.rows - shape.valid,
    invalidReasons: [...reasons].sort((a, b) => b[1] - a[1]).map(([reason, rows]) => ({ reason, rows })),
    duplicates,
    alreadyAnswered,
    toAsk,
    maxCredits: toAsk * ENDPOINT_COST[config.endpoint],
    creditsLeft,
    plan,
    rate: perSecond,
    burst,
    seconds: Math.round((Math.max(0, toAsk - burst) / perSecond) * 10) / 10,
  };
}

export function estimateText(e: Estimate): string {
  const lines = [`${e.input}: ${e.rows} rows`, `  valid ${e.valid}, invalid ${e.invalid}${e.invalid ? ':' : ''}`];
  for (const { reason, rows } of e.invalidReasons.slice(0, 10)) lines.push(`    ${String(rows).padStart(6)}  ${reason}`);
  lines.push(
    `  duplicates ${e.duplicates} (asked once)`,
    `  already answered ${e.alreadyAnswered} (0 credits)`,
    `  to ask ${e.toAsk}: at most ${e.maxCredits} credits on /${e.endpoint} (answers that come back refunded, 422 or 500, cost less)`,
    `  credits left ${e.creditsLeft ?? 'unknown (no key given)'}${e.plan ? ` (${e.plan})` : ''}${e.creditsLeft !== null && e.creditsLeft < e.maxCredits ? '  NOT ENOUGH: the run would stop at 402 and resume after a top-up' : ''}`,
    `  time at ${e.rate} req/s (burst ${e.burst}): about ${e.seconds} s, plus the answers' own latency`,
  );
  return `${lines.join('\n')}\n`;
}
