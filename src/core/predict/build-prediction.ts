import { formatDuration, plural } from '../format.js';
import { formatBytes } from './format-bytes.js';
import type { PriorTotal } from './live-estimate.js';
import { fitMemory } from './memory-model.js';
import type { MachineInfo, PastBuild } from './past-build.js';
import { priorFromHistory } from './prior.js';
import { fitScaling } from './scaling-model.js';
import { roundTo } from './stats.js';

/** What the predictor expects of a build before it starts. */
export interface BuildPrediction {
  /** Expected wall time, ms; null when nothing is known. */
  totalMs: number | null;
  /** 0-1: how far to trust `totalMs`. */
  confidence: number;
  /**
   * `same-jobs`: builds of this target at this job count; `scaled`: a scaling fit over other job
   * counts; `legacy`: builds recorded without a job count; `none`: no history.
   */
  basis: 'same-jobs' | 'scaled' | 'legacy' | 'none';
  /** Builds the prediction rests on. */
  samples: number;
  /** The job count whose builds were used (for `scaled`, the measured one nearest the request). */
  basedOnJobs: number | null;
  /** One plain sentence on where the number comes from. */
  explanation: string;
}

/** The build the prediction is for. `jobs` null means unlimited or unknown. */
export interface BuildRequest {
  target: string;
  jobs: number | null;
  machine: MachineInfo;
}

const SCALED_FACTOR = 0.7;
const SINGLE_COUNT_FACTOR = 0.7;
const MEMORY_CAPPED_FACTOR = 0.8;
const RESIDUAL_PENALTY = 3;
const LEGACY_FACTOR = 0.5;
const LEGACY_MAX_CONFIDENCE = 0.4;

/**
 * Wall time of a build before it starts, from `history` (newest first, any targets). In order:
 * the same target and job count; a scaling fit over the target's other job counts (capped by the
 * cores, and by memory when the requested `-j` would swap); builds recorded without a job count;
 * nothing. An unknown or unlimited `jobs` uses only builds with no job count (its own key, then legacy).
 */
export function predictBuild(history: readonly PastBuild[], request: BuildRequest): BuildPrediction {
  const own = history.filter((b) => b.target === request.target && b.succeeded);
  return (
    fromSameJobs(own, request) ??
    (request.jobs === null ? null : fromScaling(own, request.jobs, request)) ??
    fromLegacy(own, request.target) ?? {
      totalMs: null,
      confidence: 0,
      basis: 'none',
      samples: 0,
      basedOnJobs: null,
      explanation: `No finished build of ${request.target} yet`,
    }
  );
}

/** The prediction as the live estimate's prior: its total with its confidence; null when it has no total. */
export function priorTotalOf(prediction: BuildPrediction): PriorTotal | null {
  return prediction.totalMs === null ? null : { totalMs: prediction.totalMs, confidence: prediction.confidence };
}

function fromSameJobs(own: readonly PastBuild[], request: BuildRequest): BuildPrediction | null {
  const same = own.filter((b) => !b.legacy && b.jobs === request.jobs);
  const prior = priorFromHistory(same.map((b) => b.durationMs));
  if (prior === null) return null;
  const dropped = same.length - prior.samples;
  const jobsText = request.jobs === null ? 'with no job limit' : `at -j${request.jobs}`;
  return {
    totalMs: prior.totalMs,
    confidence: prior.confidence,
    basis: 'same-jobs',
    samples: prior.samples,
    basedOnJobs: request.jobs,
    explanation:
      `From ${plural(prior.samples, 'build')} of ${request.target} ${jobsText}, recent ones weighted more` +
      (dropped > 0 ? ` (${plural(dropped, 'outlier')} dropped)` : ''),
  };
}

function fromScaling(own: readonly PastBuild[], jobs: number, request: BuildRequest): BuildPrediction | null {
  const measuredBuilds = own.filter((b) => !b.legacy && b.jobs !== null);
  const model = fitScaling(measuredBuilds, request.machine.cores);
  if (model === null) return null;
  let totalMs = model.predictMs(jobs);
  const dataConfidence = model.measured.reduce((s, m) => s + m.confidence, 0) / model.measured.length;
  let confidence = dataConfidence * SCALED_FACTOR * Math.max(0.3, 1 - RESIDUAL_PENALTY * model.residual);
  if (model.method === 'cpu-time') confidence *= SINGLE_COUNT_FACTOR;
  let explanation = `Predicted for -j${jobs} on ${plural(request.machine.cores, 'core')} from ${model.describe} (${plural(model.samples, 'build')})`;

  const memory = fitMemory(measuredBuilds);
  const available = request.machine.availableMemBytes;
  const peak = memory?.predictPeakBytes(jobs) ?? null;
  if (memory !== null && peak !== null && peak > available) {
    const fitting = memory.maxJobsWithin(available);
    if (fitting >= 1) totalMs = Math.max(totalMs, model.predictMs(fitting));
    confidence *= MEMORY_CAPPED_FACTOR;
    explanation +=
      `; -j${jobs} would need ${formatBytes(peak)} of the ${formatBytes(available)} available, so the machine would swap` +
      (fitting >= 1 ? ` and it is no faster than -j${fitting} (${formatDuration(totalMs)})` : '');
  }
  return {
    totalMs,
    confidence: roundTo(confidence, 2),
    basis: 'scaled',
    samples: model.samples,
    basedOnJobs: nearestJobs(model.measured.map((m) => m.jobs), jobs),
    explanation,
  };
}

function fromLegacy(own: readonly PastBuild[], target: string): BuildPrediction | null {
  const prior = priorFromHistory(own.filter((b) => b.legacy).map((b) => b.durationMs));
  if (prior === null) return null;
  return {
    totalMs: prior.totalMs,
    confidence: roundTo(Math.min(prior.confidence * LEGACY_FACTOR, LEGACY_MAX_CONFIDENCE), 2),
    basis: 'legacy',
    samples: prior.samples,
    basedOnJobs: null,
    explanation: `From ${plural(prior.samples, 'older build')} of ${target} recorded without a job count, so trusted least`,
  };
}

/** The measured job count closest to `jobs`; the larger on a tie. */
function nearestJobs(measured: readonly number[], jobs: number): number | null {
  let best: number | null = null;
  for (const j of measured) {
    if (best === null || Math.abs(j - jobs) < Math.abs(best - jobs) || (Math.abs(j - jobs) === Math.abs(best - jobs) && j > best)) best = j;
  }
  return best;
}
