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
