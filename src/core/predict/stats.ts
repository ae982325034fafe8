/** Samples more than this many times slower or faster than their median are from another regime (ccache, a cold disk, an interrupted run). */
const OUTLIER_FACTOR = 2;
/** Each older sample counts this much of the one after it: recent builds say most about the next one. */
export const RECENCY_DECAY = 0.7;

/** Median of a list (mean of the middle two when even); null when empty. */
export function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Mean of a list; null when empty. */
export function meanOf(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;
}

/** Weighted mean of durations (ms); null when the weights sum to nothing. */
export function weightedMeanMs(samples: readonly { ms: number; weight: number }[]): number | null {
  let weights = 0;
  let total = 0;
  for (const s of samples) {
    weights += s.weight;
    total += s.weight * s.ms;
  }
  return weights > 0 ? total / weights : null;
}

/** Whether `value` is within {@link OUTLIER_FACTOR} of `median`, either way. */
export function nearMedian(value: number, median: number): boolean {
  return value <= median * OUTLIER_FACTOR && value >= median / OUTLIER_FACTOR;
}

/** The positive durations within a factor of two of their median, in their order. */
export function dropOutliers(durationsMs: readonly number[]): number[] {
  const valid = durationsMs.filter((d) => Number.isFinite(d) && d > 0);
  const median = medianOf(valid);
  return median === null ? [] : valid.filter((d) => nearMedian(d, median));
}

/** `v` held within `lo`..`hi`. */
export function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** `v` rounded to `decimals` decimal places. */
export function roundTo(v: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(v * scale) / scale;
}
