// The names of the service tiers and latencies, with no imports, so that the Compare webview (which
// type-checks without Node's types) can name a column's tier. What the tiers mean and cost is in
// serviceTiers.ts.
export const SERVICE_TIERS = ['default', 'priority', 'flex', 'reserved'] as const;
export type ServiceTierName = (typeof SERVICE_TIERS)[number];
export const LATENCIES = ['standard', 'optimized'] as const;
export type LatencyName = (typeof LATENCIES)[number];
