import { formatEta } from '../format.js';
import type { BuildPrediction } from './build-prediction.js';
import { formatBytes } from './format-bytes.js';
import type { JobAdvice } from './job-advice.js';

/**
 * Expected resources of the build. The `based_on_j<N>_history` key names the requested job count
 * (`based_on_junlimited_history` without one) and is true when the time comes from that job
 * count's own history.
 */
export interface ResourcePrediction {
  /** Peak total RSS as people read it, `6.2GB`. */
  peak_memory: string | null;
  /** Mean CPU use as a share of the whole machine (all cores = 100%), `78%`. */
  avg_cpu: string | null;
  [basedOn: `based_on_j${string}_history`]: boolean;
  peak_memory_bytes: number | null;
  /** Mean CPU use, percent of the whole machine (0-100). */
  avg_cpu_pct: number | null;
}

/** The answer to "when will it be done, and could it be faster?", as JSON for people and assistants. */
export interface Forecast {
  build_history_key: string;
  /** Remaining time and the local clock time it ends, `2m 15s@14:30`. */
  eta: string | null;
  /** Remaining time, ms. */
  eta_ms: number | null;
  confidence: number;
  parallel_efficiency: number | null;
  optimal_job_count: number | null;
  resource_prediction: ResourcePrediction;
  recommendations: string[];
  /** Expected whole-build wall time, ms. */
  predicted_total_ms: number | null;
  basis: BuildPrediction['basis'];
}

/** What a forecast is made of; `nowMs` is epoch ms, `elapsedMs` the build's time so far (0 before it starts). */
export interface ForecastInput {
  historyKey: string;
  prediction: BuildPrediction;
  advice: JobAdvice;
  nowMs: number;
  elapsedMs?: number;
  /** A live estimate of the whole build's wall time, ms, which replaces the prediction's when given. */
  liveTotalMs?: number | null;
}

/**
 * Assembles the forecast from a prediction and job advice. Remaining time is the total (live
 * estimate, else the prediction) less the elapsed time, never below zero. Nulls, never NaN, where
 * something is unknown. `confidence` is the prediction's.
 */
export function forecastOf(input: ForecastInput): Forecast {
  const { historyKey, prediction, advice, nowMs } = input;
  const elapsedMs = finiteOr(input.elapsedMs, 0);
  const totalMs = finiteOr(input.liveTotalMs ?? null, null) ?? finiteOr(prediction.totalMs, null);
  const remainingMs = totalMs === null ? null : Math.max(0, Math.round(totalMs - elapsedMs));
  const row = advice.requested;
  const basedOnKey = `based_on_j${advice.requestedJobs ?? 'unlimited'}_history` as const;
  const peakBytes = finiteOr(row.peakBytes, null);
  const cpuPct = finiteOr(row.avgCpuPct, null);
  const resource = {
    peak_memory: peakBytes === null ? null : formatBytes(peakBytes),
    avg_cpu: cpuPct === null ? null : `${cpuPct}%`,
    [basedOnKey]: prediction.basis === 'same-jobs',
    peak_memory_bytes: peakBytes,
    avg_cpu_pct: cpuPct,
  } as ResourcePrediction;
  return {
    build_history_key: historyKey,
    eta: remainingMs === null ? null : formatEta(remainingMs, nowMs),
    eta_ms: remainingMs,
    confidence: finiteOr(prediction.confidence, 0),
    parallel_efficiency: finiteOr(row.parallelEfficiency, null),
    optimal_job_count: advice.optimalJobCount,
    resource_prediction: resource,
    recommendations: [...advice.recommendations],
    predicted_total_ms: totalMs === null ? null : Math.round(totalMs),
    basis: prediction.basis,
  };
}

function finiteOr<T extends number | null>(value: number | null | undefined, fallback: T): number | T {
  return value !== null && value !== undefined && Number.isFinite(value) ? value : fallback;
}
