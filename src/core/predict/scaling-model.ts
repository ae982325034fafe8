import type { PastBuild } from './past-build.js';
import { priorFromHistory } from './prior.js';
import { clamp, roundTo } from './stats.js';

/** One job count's measured central wall time, as the fit saw it. */
export interface MeasuredTime {
  jobs: number;
  /** Recency-weighted wall time with outliers dropped, ms. */
  durationMs: number;
  /** Builds it rests on after outliers were dropped. */
  samples: number;
  /** 0-1, from the agreement and number of those builds. */
  confidence: number;
}

/**
 * How a target's wall time changes with the job count, by Amdahl's law:
 * `T(j) = T1 * (s + (1 - s) / min(j, cores))`. Jobs beyond the cores gain nothing.
 */
export interface ScalingModel {
  /** Wall time at one job, ms. */
  t1Ms: number;
  /** Share of the work that does not run in parallel, 0-1. */
  serialFraction: number;
  /** Cores the model caps parallelism at. */
  cores: number;
  /** `least-squares` over two or more effective job counts; `cpu-time` from one job count's CPU time. */
  method: 'least-squares' | 'cpu-time';
  /** The measured job counts, ascending. */
  measured: readonly MeasuredTime[];
  /** Builds the fit rests on. */
  samples: number;
  /**
   * Root-mean-square of the relative misfit at the measured job counts (0 = exact). With no spare
   * point to measure it (two job counts, or one) it is 0: the method says how much that is worth.
   */
  residual: number;
  /** Predicted wall time at `jobs`, whole ms. */
  predictMs(jobs: number): number;
  /** Short plain text, e.g. `Amdahl fit over -j1, -j2: serial 10%`. */
  describe: string;
}

/**
 * Fits Amdahl's law to one target's successful builds (newest first) so that a job count never run
 * can be predicted from the ones that were. Two or more effective job counts (`min(j, cores)`) are
 * fitted by least squares on their central times; a single one needs its CPU time (work ≈ CPU time,
 * parallelism = work / wall). Null when the history cannot say how the target scales. Legacy,
 * failed and job-less builds are ignored; the caller selects the target.
 */
export function fitScaling(builds: readonly PastBuild[], cores: number): ScalingModel | null {
  const coreCount = Math.max(1, Math.floor(cores));
  const usable = builds.filter(isUsable);
  const measured = measuredTimes(usable);
  if (measured.length === 0) return null;
  const effective = new Set(measured.map((m) => Math.min(m.jobs, coreCount)));
  const samples = measured.reduce((n, m) => n + m.samples, 0);
  if (effective.size >= 2) {
    const { t1Ms, serialFraction } = leastSquares(measured, coreCount);
    return makeModel(t1Ms, serialFraction, coreCount, 'least-squares', measured, samples);
  }
  for (const m of [...measured].sort((a, b) => b.samples - a.samples)) {
    const cpu = priorFromHistory(usable.filter((b) => b.jobs === m.jobs && b.cpuMs !== null).map((b) => b.cpuMs as number));
    if (cpu === null) continue;
    const { t1Ms, serialFraction } = fromCpuTime(m.durationMs, cpu.totalMs, Math.min(m.jobs, coreCount));
    return makeModel(t1Ms, serialFraction, coreCount, 'cpu-time', measured, samples);
  }
  return null;
}

function isUsable(b: PastBuild): boolean {
  return b.succeeded && !b.legacy && b.jobs !== null && b.jobs >= 1 && Number.isFinite(b.durationMs) && b.durationMs > 0;
}

function measuredTimes(builds: readonly PastBuild[]): MeasuredTime[] {
  const byJobs = new Map<number, number[]>();
  for (const b of builds) {
    const list = byJobs.get(b.jobs as number) ?? [];
    list.push(b.durationMs);
    byJobs.set(b.jobs as number, list);
  }
  const out: MeasuredTime[] = [];
  for (const [jobs, durations] of byJobs) {
    const prior = priorFromHistory(durations);
    if (prior !== null) out.push({ jobs, durationMs: prior.totalMs, samples: prior.samples, confidence: prior.confidence });
  }
  return out.sort((a, b) => a.jobs - b.jobs);
}

/** `T = a + b·x` with `x = 1 / min(j, cores)`, `a = T1·s`, `b = T1·(1 − s)`, both kept ≥ 0. */
function leastSquares(measured: readonly MeasuredTime[], cores: number): { t1Ms: number; serialFraction: number } {
  const xs = measured.map((m) => 1 / Math.min(m.jobs, cores));
  const ys = measured.map((m) => m.durationMs);
  const n = xs.length;
  const meanX = xs.reduce((s, x) => s + x, 0) / n;
  const meanY = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - meanX) * ((ys[i] as number) - meanY);
    sxx += (x - meanX) ** 2;
  });
  let b = sxy / sxx;
  let a = meanY - b * meanX;
  if (b < 0) {
    b = 0;
    a = meanY;
  } else if (a < 0) {
    a = 0;
    b = xs.reduce((s, x, i) => s + x * (ys[i] as number), 0) / xs.reduce((s, x) => s + x * x, 0);
  }
  const t1Ms = a + b;
  return { t1Ms, serialFraction: t1Ms > 0 ? a / t1Ms : 1 };
}

/**
 * One job count with CPU time: the work W is the CPU time; one job would take at least W and at
 * least the wall time seen (idle waiting does not parallelise). At one effective job the serial
 * share is the idle share of the wall time.
 */
function fromCpuTime(wallMs: number, cpuMs: number, effectiveJobs: number): { t1Ms: number; serialFraction: number } {
  const t1Ms = Math.max(cpuMs, wallMs);
  if (effectiveJobs <= 1) return { t1Ms, serialFraction: clamp(1 - cpuMs / t1Ms, 0, 1) };
  const inv = 1 / effectiveJobs;
  return { t1Ms, serialFraction: clamp((wallMs / t1Ms - inv) / (1 - inv), 0, 1) };
}

function makeModel(
  t1Ms: number,
  serialFraction: number,
  cores: number,
  method: ScalingModel['method'],
  measured: readonly MeasuredTime[],
  samples: number,
): ScalingModel {
  const predictExact = (jobs: number): number => t1Ms * (serialFraction + (1 - serialFraction) / Math.min(Math.max(1, jobs), cores));
  const residual = Math.sqrt(measured.reduce((s, m) => s + ((m.durationMs - predictExact(m.jobs)) / m.durationMs) ** 2, 0) / measured.length);
  const counts = measured.map((m) => `-j${m.jobs}`).join(', ');
  const serialPct = Math.round(serialFraction * 100);
  const describe =
    method === 'least-squares'
      ? `Amdahl fit over ${counts}: serial ${serialPct}%`
      : `Amdahl over CPU time at ${counts}: serial ${serialPct}%`;
  return {
    t1Ms: Math.round(t1Ms),
    serialFraction,
    cores,
    method,
    measured,
    samples,
    residual: roundTo(residual, 4),
    predictMs: (jobs) => Math.round(predictExact(jobs)),
    describe,
  };
}
