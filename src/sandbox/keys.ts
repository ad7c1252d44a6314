import { readFile } from 'node:fs/promises';
import { FluenceError } from '../errors.js';
import { message } from '../i18n/message.js';
import { PLAN_IDS, PLANS, TIERS, type PlanId } from '../api/plans.js';

/** One entry of a sandbox keys file. Rate, burst and quota default from the plan's tier. */
export interface KeySpec {
  key: string;
  plan: PlanId;
  credits: number;
  rate?: number;
  burst?: number;
  monthly_quota?: number;
}

const KEY_PATTERN = /^[A-Za-z0-9]{40}$/;

/** The documented demo keys: one per plan, printed by `fluence-enrich sandbox` (they only open the sandbox). */
export const DEMO_KEYS: readonly KeySpec[] = [
  { key: 'SandboxCrmEnterprise'.padEnd(40, '0'), plan: 'crm_enterprise', credits: 100_000 },
  { key: 'SandboxCrmBusiness'.padEnd(40, '0'), plan: 'crm_business', credits: 10_000 },
  { key: 'SandboxPlatformProfessional'.padEnd(40, '0'), plan: 'platform_professional', credits: 1_000 },
  { key: 'SandboxPlatformEssentials'.padEnd(40, '0'), plan: 'platform_essentials', credits: 1_000 },
];

/** Checks a parsed keys file, naming the entry and field at fault. */
export function validateKeys(data: unknown, source = 'keys'): KeySpec[] {
  const bad = (where: string, what: string, got?: unknown): never => {
    const said = { source, where, what, got: JSON.stringify(got) ?? 'undefined', plans: PLAN_IDS.join(', ') };
    throw new FluenceError('SANDBOX_BAD_KEYS', message('errors.sandboxBadKeys', said));
  };
  if (!Array.isArray(data)) bad('', 'array');
  const seen = new Set<string>();
  return (data as unknown[]).map((entry, i) => {
    const at = `[${i}]`;
    if (typeof entry !== 'object' || entry === null) bad(at, 'object');
    const e = entry as Record<string, unknown>;
    if (typeof e.key !== 'string' || !KEY_PATTERN.test(e.key)) bad(`${at}.key`, 'key');
    if (seen.has(e.key as string)) bad(`${at}.key`, 'twice');
    seen.add(e.key as string);
    if (!PLAN_IDS.includes(e.plan as PlanId)) bad(`${at}.plan`, 'plan', e.plan);
    if (!Number.isInteger(e.credits) || (e.credits as number) < 0) bad(`${at}.credits`, 'credits', e.credits);
    for (const field of ['rate', 'burst', 'monthly_quota'] as const) {
      if (e[field] !== undefined && !(typeof e[field] === 'number' && (e[field] as number) > 0)) {
        bad(`${at}.${field}`, 'positive', e[field]);
      }
    }
    return e as unknown as KeySpec;
  });
}

export async function loadKeysFile(path: string): Promise<KeySpec[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FluenceError(
      'SANDBOX_BAD_KEYS',
      message('errors.sandboxBadKeys.unreadable', {
        path,
        reason: (error as NodeJS.ErrnoException).code ?? String(error),
      }),
      { cause: error },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new FluenceError(
      'SANDBOX_BAD_KEYS',
      message('errors.sandboxBadKeys.json', { path, reason: (error as Error).message }),
    );
  }
  return validateKeys(data, path);
}

/** Rate, burst and quota of a key: its own if given, else its plan's tier. */
export function limitsOf(spec: KeySpec): { rate: number; burst: number; monthlyQuota: number } {
  const tier = TIERS[PLANS[spec.plan].tier];
  return {
    rate: spec.rate ?? tier.rate,
    burst: spec.burst ?? tier.burst,
    monthlyQuota: spec.monthly_quota ?? tier.monthlyQuota,
  };
}
