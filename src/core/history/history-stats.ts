/** Builds more than this many times slower or faster than the median are from another regime (ccache, a cold disk). */
const OUTLIER_FACTOR = 2;
/** A change within this many percent is noise, not a trend. */
const STEADY_PCT = 5;
/** Fewer samples than this cannot show a trend. */
const MIN_TREND_SAMPLES = 4;

/** Whether a package's builds are getting faster or slower: recent builds against older ones. */
export interface HistoryTrend {
  direction: 'faster' | 'slower' | 'steady';
  /** Mean of the newer half against the mean of the older half, percent (negative: faster); 0 with too few samples. */
  change_pct: number;
}

/** Median of a non-empty list (mean of the middle two when even). */
export function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Mean of a list; null when empty. */
export function meanOf(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;
}

/** The positive durations within a factor of two of their median, in their order: the rule the build prior uses too. */
export function dropOutliers(durationsMs: readonly number[]): number[] {
  const valid = durationsMs.filter((d) => Number.isFinite(d) && d > 0);
  if (valid.length === 0) return [];
  const median = medianOf(valid);
  return valid.filter((d) => d <= median * OUTLIER_FACTOR && d >= median / OUTLIER_FACTOR);
}

/**
 * The trend of durations given newest first: the newer half (the odd one goes to the older half)
 * against the older half. Steady within ±5% or with fewer than four samples, where one slow run
 * would pass for a trend.
 */
export function trendOf(durationsNewestFirstMs: readonly number[]): HistoryTrend {
  if (durationsNewestFirstMs.length < MIN_TREND_SAMPLES) return { direction: 'steady', change_pct: 0 };
  const half = durationsNewestFirstMs.length >> 1;
  const recent = meanOf(durationsNewestFirstMs.slice(0, half)) as number;
  const older = meanOf(durationsNewestFirstMs.slice(half)) as number;
  const change = round1(((recent - older) / older) * 100);
  if (Math.abs(change) <= STEADY_PCT) return { direction: 'steady', change_pct: change };
  return { direction: change < 0 ? 'faster' : 'slower', change_pct: change };
}

/** One decimal place. */
export function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
