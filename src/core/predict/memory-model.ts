import type { PastBuild } from './past-build.js';
import { medianOf } from './stats.js';

/** One job count's measured peak memory. */
export interface MeasuredPeak {
  jobs: number;
  /** Median of the builds' peak total RSS, bytes. */
  peakBytes: number;
  samples: number;
}

/**
 * Peak memory of a build against its job count: `peak(j) = base + perJob × j`. Every job runs its
 * own compiler whatever the core count, so memory grows with `j`, not `min(j, cores)`.
 */
export interface MemoryModel {
  /** Memory the build uses whatever the job count (make, ninja, the shell), bytes. */
  baseBytes: number;
  /** Memory each extra job adds, bytes. */
  perJobBytes: number;
  /**
   * `least-squares` over two or more job counts; `per-process` from one job count and the heaviest
   * typical compiler process; `proportional` from one job count when no process was sampled.
   */
  method: 'least-squares' | 'per-process' | 'proportional';
  /** The measured job counts, ascending. */
  measured: readonly MeasuredPeak[];
  /** Whether three or more job counts were measured and all lie within 10% of the line. */
  linear: boolean;
  /** The highest measured job count when `linear`, else null. */
  linearUpToJobs: number | null;
  /** Predicted peak total RSS at `jobs`, whole bytes. */
  predictPeakBytes(jobs: number): number;
  /** The most jobs whose predicted peak stays within `bytes` (0 when not even one; Infinity when jobs cost nothing). */
  maxJobsWithin(bytes: number): number;
}

const LINEAR_TOLERANCE = 0.1;
const HEAVY_PROCESS_PERCENTILE = 0.9;

/**
 * Fits peak memory per job count from successful builds with sampled RSS, so that advice can keep
 * a job count within the machine's memory. Null when no build's memory was sampled.
 */
export function fitMemory(builds: readonly PastBuild[]): MemoryModel | null {
  const usable = builds.filter(
    (b) => b.succeeded && !b.legacy && b.jobs !== null && b.jobs >= 1 && b.peakRssBytes !== null && b.peakRssBytes > 0,
  );
  const measured = measuredPeaks(usable);
  const only = measured[0];
  if (only === undefined) return null;
  if (measured.length >= 2) {
    const { baseBytes, perJobBytes } = leastSquares(measured);
    return makeModel(baseBytes, perJobBytes, 'least-squares', measured);
  }
  const heavy = heaviestTypicalProcess(usable);
  if (heavy === null) return makeModel(0, only.peakBytes / only.jobs, 'proportional', measured);
  const perJobBytes = Math.min(heavy, only.peakBytes / only.jobs);
  return makeModel(Math.max(0, only.peakBytes - only.jobs * perJobBytes), perJobBytes, 'per-process', measured);
}

function measuredPeaks(builds: readonly PastBuild[]): MeasuredPeak[] {
  const byJobs = new Map<number, number[]>();
  for (const b of builds) {
    const list = byJobs.get(b.jobs as number) ?? [];
    list.push(b.peakRssBytes as number);
    byJobs.set(b.jobs as number, list);
  }
  return [...byJobs]
    .map(([jobs, peaks]) => ({ jobs, peakBytes: medianOf(peaks) as number, samples: peaks.length }))
    .sort((a, b) => a.jobs - b.jobs);
}

/** Least squares of peak on j with the slope and intercept kept ≥ 0. */
function leastSquares(measured: readonly MeasuredPeak[]): { baseBytes: number; perJobBytes: number } {
  const n = measured.length;
  const meanX = measured.reduce((s, m) => s + m.jobs, 0) / n;
  const meanY = measured.reduce((s, m) => s + m.peakBytes, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const m of measured) {
    sxy += (m.jobs - meanX) * (m.peakBytes - meanY);
    sxx += (m.jobs - meanX) ** 2;
  }
  const slope = sxy / sxx;
  if (slope <= 0) return { baseBytes: meanY, perJobBytes: 0 };
  const base = meanY - slope * meanX;
  if (base >= 0) return { baseBytes: base, perJobBytes: slope };
  const throughOrigin = measured.reduce((s, m) => s + m.jobs * m.peakBytes, 0) / measured.reduce((s, m) => s + m.jobs * m.jobs, 0);
  return { baseBytes: 0, perJobBytes: throughOrigin };
}

/** The 90th percentile (nearest rank) of per-file compiler peaks, else of per-package peaks. */
function heaviestTypicalProcess(builds: readonly PastBuild[]): number | null {
  const positive = (v: number | null): v is number => v !== null && Number.isFinite(v) && v > 0;
  let peaks = builds.flatMap((b) => b.files.map((f) => f.peakRssBytes)).filter(positive);
  if (peaks.length === 0) peaks = builds.flatMap((b) => b.packages.map((p) => p.peakRssBytes)).filter(positive);
  if (peaks.length === 0) return null;
  const sorted = [...peaks].sort((a, b) => a - b);
  return sorted[Math.ceil(HEAVY_PROCESS_PERCENTILE * sorted.length) - 1] as number;
}

function makeModel(
  baseBytes: number,
  perJobBytes: number,
  method: MemoryModel['method'],
  measured: readonly MeasuredPeak[],
): MemoryModel {
  const predictExact = (jobs: number): number => baseBytes + perJobBytes * Math.max(1, jobs);
  const linear =
    measured.length >= 3 &&
    perJobBytes > 0 &&
    measured.every((m) => Math.abs(m.peakBytes - predictExact(m.jobs)) <= LINEAR_TOLERANCE * m.peakBytes);
  return {
    baseBytes: Math.round(baseBytes),
    perJobBytes: Math.round(perJobBytes),
    method,
    measured,
    linear,
    linearUpToJobs: linear ? (measured[measured.length - 1] as MeasuredPeak).jobs : null,
    predictPeakBytes: (jobs) => Math.round(predictExact(jobs)),
    maxJobsWithin: (bytes) => {
      if (predictExact(1) > bytes) return 0;
      if (perJobBytes <= 0) return Number.POSITIVE_INFINITY;
      return Math.max(1, Math.floor((bytes - baseBytes) / perJobBytes + 1e-9));
    },
  };
}
