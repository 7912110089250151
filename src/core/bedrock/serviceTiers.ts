// Service tiers and latency: what a run may ask for without editing its file (a Run with… choice, a
// Compare column, a CLI flag), what the service says served it, and what that does to the price. The
// tiers' price factors are data beside the prices (pricing/bedrock-on-demand.json, dated).
import type { ConverseRequest } from '../format/render';
import type { CostEstimate } from './pricing';
import { PRICES } from './priceTable';
import { SERVICE_TIERS, type LatencyName, type ServiceTierName } from './serviceTierNames';

export { LATENCIES, SERVICE_TIERS, type LatencyName, type ServiceTierName } from './serviceTierNames';

/** Said wherever a tier is picked: a tier changes price and priority, not how much may be sent. */
export const TIERS_SHARE_QUOTA =
  'Priority, default and flex share one on-demand quota: a tier changes the price and who waits first, not how much you may send.';

/** One line per tier for pickers and help. */
export const TIER_DESCRIPTIONS: Record<ServiceTierName, string> = {
  default: 'standard on-demand price and latency',
  priority: 'served first when Bedrock is busy, at a premium',
  flex: 'may wait when Bedrock is busy, at a discount (for work that can wait)',
  reserved: 'capacity reserved for the account (arranged with AWS), billed by the reservation',
};

/** A run's choice of tier and latency, laid over the file's (`bedrock.serviceTier`, `bedrock.performanceConfig`). */
export interface TierChoice {
  serviceTier?: ServiceTierName;
  latency?: LatencyName;
}

export function withTierChoice<R extends Pick<ConverseRequest, 'serviceTier' | 'performanceConfig'>>(
  request: R,
  choice: TierChoice | undefined,
): R {
  if (!choice?.serviceTier && !choice?.latency) return request;
  return {
    ...request,
    ...(choice.serviceTier ? { serviceTier: { type: choice.serviceTier } } : {}),
    ...(choice.latency ? { performanceConfig: { latency: choice.latency } } : {}),
  };
}

/** What a tier name from a flag or a message is, or why not. */
export function tierProblem(value: string): string | undefined {
  return (SERVICE_TIERS as readonly string[]).includes(value)
    ? undefined
    : `"${value}" is not a service tier: use ${SERVICE_TIERS.join(', ')}.`;
}

/**
 * A listed on-demand cost at the tier that served the call: the tier's factor applied, the source saying
 * so. Reserved capacity is not billed per token, so it has no per-call cost.
 */
export function costAtTier(cost: CostEstimate | undefined, tier: string | undefined): CostEstimate | undefined {
  if (!cost || !tier || tier === 'default') return cost;
  if (tier === 'reserved') return undefined;
  const factor = PRICES.serviceTiers?.factors[tier];
  if (factor === undefined) return cost;
  return { usd: cost.usd * factor, source: `${cost.source}, ${tier} tier ×${factor}` };
}
