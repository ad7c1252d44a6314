import { DEFAULT_LANG } from '../i18n/lang.js';
import { message, render, type Message } from '../i18n/message.js';

/**
 * The provider's published tiers (rate limit, burst, monthly quota), and the plan ids used for
 * access control. Business and Essentials have no published rate: API-NOTES.md decides
 * Business = 100/s, burst 200; we give Essentials the Developer limits.
 */
export interface RatePlan {
  /** Requests per second, refilled continuously. */
  rate: number;
  /** Bucket capacity: how many requests may go at once after a quiet spell. */
  burst: number;
  /** CRM requests per calendar month (UTC). */
  monthlyQuota: number;
}

export const TIERS = {
  developer: { rate: 50, burst: 100, monthlyQuota: 10_000 },
  fortics: { rate: 100, burst: 200, monthlyQuota: 50_000 },
  professional: { rate: 250, burst: 500, monthlyQuota: 100_000 },
  enterprise: { rate: 500, burst: 1_000, monthlyQuota: 500_000 },
  business: { rate: 100, burst: 200, monthlyQuota: 50_000 },
} as const satisfies Record<string, RatePlan>;

export type TierName = keyof typeof TIERS;
export const TIER_NAMES = Object.keys(TIERS) as TierName[];

export const PLAN_IDS = ['crm_enterprise', 'crm_business', 'platform_professional', 'platform_essentials'] as const;
export type PlanId = (typeof PLAN_IDS)[number];

export interface PlanInfo {
  family: 'crm' | 'platform';
  tier: TierName;
  /** How the API spells this plan in `billing_info.tipo_plano` (the docs show `enterprise_crm`). */
  billingName: string;
}

export const PLANS: Record<PlanId, PlanInfo> = {
  crm_enterprise: { family: 'crm', tier: 'enterprise', billingName: 'enterprise_crm' },
  crm_business: { family: 'crm', tier: 'business', billingName: 'crm_business' },
  platform_professional: { family: 'platform', tier: 'professional', billingName: 'platform_professional' },
  platform_essentials: { family: 'platform', tier: 'developer', billingName: 'platform_essentials' },
};

export const CRM_ENDPOINTS = ['crm_basico', 'crm'] as const;
export type CrmEndpoint = (typeof CRM_ENDPOINTS)[number];

/** Credits one request costs, before any refund. */
export const ENDPOINT_COST: Record<CrmEndpoint, number> = { crm_basico: 1, crm: 2 };

/**
 * Which family a plan id belongs to, whatever its spelling (`enterprise_crm`, `crm-business`,
 * `Platform_Professional`): the docs use more than one, so we never match a single spelling.
 */
export function planFamily(planId: string): 'crm' | 'platform' | 'unknown' {
  const words = planId.toLowerCase().split(/[^a-z]+/);
  if (words.includes('crm')) return 'crm';
  if (words.includes('platform')) return 'platform';
  return 'unknown';
}

/** One tier of the table: its name, rate, burst and monthly quota. */
export interface TierRow {
  name: string;
  rate: number;
  burst: number;
  monthlyQuota: number;
}

/** The tier table, and which plan id belongs to which tier where the source says. */
export interface TierTable {
  tiers: TierRow[];
  plans: Array<{ id: string; tier: string }>;
  /** Where it came from, for messages: `/tiers`, or the docs' table (in words) when the API did not give one. */
  from: string | Message;
}

/** The published table (the docs' Rate Limits & Quotas, and API-NOTES' plan ids). */
export const DOCS_TIER_TABLE: TierTable = {
  tiers: Object.entries(TIERS).map(([name, t]) => ({
    name,
    rate: t.rate,
    burst: t.burst,
    monthlyQuota: t.monthlyQuota,
  })),
  plans: Object.entries(PLANS).map(([id, p]) => ({ id, tier: p.tier })),
  from: message('cli.quota.from.docs'),
};

const positive = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value > 0;

/**
 * The tier table in a `GET /tiers` answer (`{"tiers": [{"name", "rate_limit", "burst",
 * "monthly_quota"}], "plans": [{"id", "tier"}]}`; the docs do not show the body, so rows missing a
 * number are skipped rather than guessed), or undefined when it holds no usable tier.
 */
export function tierTableFrom(body: unknown): TierTable | undefined {
  const list = (value: unknown): Array<Record<string, unknown>> =>
    Array.isArray(value) ? value.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null) : [];
  const root = Array.isArray(body)
    ? { tiers: body }
    : typeof body === 'object' && body !== null
      ? (body as Record<string, unknown>)
      : {};
  const tiers = list(root.tiers).flatMap((t) =>
    typeof t.name === 'string' && positive(t.rate_limit) && positive(t.monthly_quota)
      ? [
          {
            name: t.name.toLowerCase(),
            rate: t.rate_limit,
            burst: positive(t.burst) ? t.burst : t.rate_limit * 2,
            monthlyQuota: t.monthly_quota,
          },
        ]
      : [],
  );
  const plans = list(root.plans).flatMap((p) =>
    typeof p.id === 'string' && typeof p.tier === 'string' ? [{ id: p.id, tier: p.tier.toLowerCase() }] : [],
  );
  return tiers.length > 0 ? { tiers, plans, from: '/tiers' } : undefined;
}

/** A plan id's words, in any order or case (`enterprise_crm` and `crm-enterprise` are one plan). */
const planWords = (id: string): string =>
  id
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter(Boolean)
    .sort()
    .join(' ');

/** The tier a plan id belongs to: by the table's plan list, else by a tier's name among its words (`crm_business` -> business). */
function tierOfPlan(table: TierTable, plan: string): TierRow | undefined {
  const listed = table.plans.find((p) => planWords(p.id) === planWords(plan))?.tier;
  const words = planWords(plan).split(' ');
  const name = listed ?? table.tiers.find((t) => words.includes(t.name))?.name;
  return table.tiers.find((t) => t.name === name);
}

/** A plan's monthly quota of CRM requests, the tier it comes from, and how that tier was told. */
export interface PlanQuota {
  monthlyQuota: number | undefined;
  /** A tier's name, or two that share the quota (`fortics or business`). */
  tier: string | undefined;
  /** How the tier was found, or why it was not (English: the summary's field). */
  how: string;
  /** The same in the reader's words; not enumerable, so the summary's JSON keeps `how` alone. */
  readonly said?: Message;
}

/** A quota with `how` said both ways: the English field, and the message a person reads. */
export function toldQuota(quota: Omit<PlanQuota, 'how' | 'said'>, said: Message): PlanQuota {
  return Object.defineProperty({ ...quota, how: render(DEFAULT_LANG, said) }, 'said', {
    value: said,
    enumerable: false,
  });
}

/**
 * Which tier's monthly quota applies to this key. The rate limit the API enforces on the key
 * (`X-RateLimit-Limit`) names its tier best: a CRM plan may run at the Developer tier's 50/s. When
 * the rate matches no tier (or several with different quotas), the plan id decides (`tipo_plano`
 * from `/creditos`). Never a guess past that: an unknown quota is said to be unknown.
 */
export function monthlyQuotaOf(table: TierTable, plan: string | undefined, rate: number | undefined): PlanQuota {
  const byPlan = plan === undefined ? undefined : tierOfPlan(table, plan);
  const byRate = rate === undefined ? [] : table.tiers.filter((t) => t.rate === rate);
  const values = {
    from: table.from,
    plan: plan ?? message('cli.quota.plan.unknown'),
    rate: rate === undefined ? 'none' : String(rate),
  };
  const found = (tiers: TierRow[], how: 'planAt' | 'byRate' | 'byPlan'): PlanQuota =>
    toldQuota(
      { monthlyQuota: tiers[0]!.monthlyQuota, tier: tiers.map((t) => t.name).join(' or ') },
      message(`cli.quota.how.${how}`, values),
    );
  if (byPlan && byRate.includes(byPlan)) return found([byPlan], 'planAt');
  if (byRate.length > 0 && new Set(byRate.map((t) => t.monthlyQuota)).size === 1) return found(byRate, 'byRate');
  if (byPlan) return found([byPlan], 'byPlan');
  return toldQuota({ monthlyQuota: undefined, tier: undefined }, message('cli.quota.how.noTier', values));
}
