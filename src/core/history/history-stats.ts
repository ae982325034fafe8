import { meanOf, roundTo } from '../predict/stats.js';

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
  const change = roundTo(((recent - older) / older) * 100, 1);
  if (Math.abs(change) <= STEADY_PCT) return { direction: 'steady', change_pct: change };
  return { direction: change < 0 ? 'faster' : 'slower', change_pct: change };
}
