// The figures of an evaluation: rates with their uncertainty, percentiles, and the Pareto front. Pure.

/**
 * The Wilson score interval of a pass rate (95% by default). Unlike the normal approximation it stays
 * inside [0, 1] and is honest for small samples and for rates of 0 or 1, which evaluations often have.
 */
export function wilsonInterval(passed: number, n: number, z = 1.959964): [number, number] {
  if (n === 0) return [0, 1];
  const p = passed / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At a rate of 0 or 1 the bound is exactly 0 or 1; rounding must not move it inside.
  return [passed === 0 ? 0 : Math.max(0, centre - half), passed === n ? 1 : Math.min(1, centre + half)];
}

/** The p-th percentile (0–100) by linear interpolation between ranks; undefined for no values. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export function mean(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
}

export interface TradeOffPoint {
  id: string;
  /** Higher is better. */
  quality: number;
  /** Lower is better (a cost, a latency). */
  price: number;
}

/**
 * The points no other point beats: none has at least their quality at no more than their price with one
 * of the two strictly better. Sorted by price.
 */
export function paretoFront(points: readonly TradeOffPoint[]): string[] {
  const dominated = (a: TradeOffPoint) =>
    points.some(
      (b) => b !== a && b.quality >= a.quality && b.price <= a.price && (b.quality > a.quality || b.price < a.price),
    );
  return points
    .filter((p) => !dominated(p))
    .sort((a, b) => a.price - b.price || b.quality - a.quality)
    .map((p) => p.id);
}
