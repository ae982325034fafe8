import { clamp, dropOutliers, RECENCY_DECAY, roundTo, weightedMeanMs } from './stats.js';

/** What history says about a build before it starts. */
export interface PriorEstimate {
  /** Expected whole-build wall time, ms. */
  totalMs: number;
  /** 0-1: how far to trust it (more samples that agree -> higher). */
  confidence: number;
  /** Builds it is based on, after outliers were dropped. */
  samples: number;
}

/** Below this progress (0-1) the elapsed time over progress is too noisy to extrapolate. */
export const MIN_FRACTION_FOR_RATE = 0.02;

/**
 * Recency-weighted mean of past durations (newest first), dropping builds more than twice as
 * slow or fast as the median: a ccache-warm or interrupted run says little about the next one.
 */
export function priorFromHistory(durationsMs: readonly number[]): PriorEstimate | null {
  const kept = dropOutliers(durationsMs);
  const mean = weightedMeanMs(kept.map((ms, i) => ({ ms, weight: RECENCY_DECAY ** i })));
  if (mean === null) return null;
  const spread = kept.length > 1 ? Math.sqrt(kept.reduce((s, d) => s + (d - mean) ** 2, 0) / kept.length) / mean : 0.25;
  const confidence = clamp((1 - Math.min(spread, 0.5)) * (1 - 1 / (kept.length + 1)), 0, 0.99);
  return { totalMs: Math.round(mean), confidence: roundTo(confidence, 2), samples: kept.length };
}

/**
 * Expected total wall time while a build runs, from elapsed time, progress (0-1, null when the
 * tool reports none) and the prior. Early on the prior dominates; the observed rate takes over as
 * progress grows. Never less than what has already elapsed.
 */
export function estimateTotalMs(elapsedMs: number, fraction: number | null, priorMs: number | null): number | null {
  const f = fraction === null ? null : clamp(fraction, 0, 1);
  const fromRate = f !== null && f >= MIN_FRACTION_FOR_RATE ? elapsedMs / f : null;
  let total: number | null;
  if (priorMs === null) total = fromRate;
  else if (fromRate === null || f === null) total = priorMs;
  else total = (1 - f) * priorMs + f * fromRate;
  if (total === null) return null;
  return Math.round(Math.max(total, elapsedMs));
}
