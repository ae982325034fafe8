import { formatDuration } from '../format.js';
import { predictBuild, type BuildPrediction } from './build-prediction.js';
import { formatBytes } from './format-bytes.js';
import { fitMemory, type MemoryModel } from './memory-model.js';
import type { MachineInfo, PastBuild } from './past-build.js';
import { fitScaling } from './scaling-model.js';
import { medianOf } from './stats.js';

/** What one candidate job count is predicted to cost. */
export interface JobAdviceRow {
  /** The job count; null for an unlimited or unknown one (only as `JobAdvice.requested`). */
  jobs: number | null;
  /** Predicted wall time, ms; null when nothing is known. */
  predictedMs: number | null;
  /** Peak total RSS, bytes: measured at this job count when it ran, else from the memory fit. */
  peakBytes: number | null;
  /** Whether `peakBytes` stays within the headroom share of the available memory; null when unknown. */
  fitsMemory: boolean | null;
  /** `T1 / (j × Tj) × 100`, 0-100, from measured times where this job count ran, else predicted. */
  parallelEfficiency: number | null;
  /** Mean CPU use in percent of the whole machine (all cores = 100), measured or predicted. */
  avgCpuPct: number | null;
  basis: BuildPrediction['basis'];
  confidence: number;
}

/** Which `-j` to use for a target on this machine, and why. */
export interface JobAdvice {
  target: string;
  requestedJobs: number | null;
  /** One row per candidate job count, ascending. */
  rows: JobAdviceRow[];
  /** The row for the requested job count (also in `rows` when it is a number). */
  requested: JobAdviceRow;
  /** Smallest job count within 3% of the fastest whose peak fits memory with headroom; null when unknown. */
  optimalJobCount: number | null;
  /** The scaling fit in words, e.g. `Amdahl fit over -j1, -j2: serial 10%`; null without one. */
  scaling: string | null;
  /** Plain-word advice, warnings first. */
  recommendations: string[];
}

/** The target, the job count asked for (null when unlimited or unknown) and the machine. */
export interface JobAdviceRequest {
  target: string;
  requestedJobs: number | null;
  machine: MachineInfo;
}

/** Within this share of the fastest predicted time, fewer jobs win. */
const NEAR_FASTEST_SHARE = 0.03;
/** The share of available memory a build may plan to use. */
const MEMORY_HEADROOM_SHARE = 0.85;
const MAX_CANDIDATES_PER_CORE = 2;
const EXTRA_CANDIDATES = 2;

/**
 * Predicted time, peak memory and efficiency for each candidate `-j` of `target` (history newest
 * first), the best choice, and advice in plain words. Candidates run from 1 to the largest of the
 * cores, the highest job count seen and the requested one, at most `2 × cores + 2` (the requested
 * job count is always included).
 */
export function adviseJobs(history: readonly PastBuild[], request: JobAdviceRequest): JobAdvice {
  const { target, requestedJobs, machine } = request;
  const own = history.filter((b) => b.target === target && b.succeeded);
  const measuredBuilds = own.filter((b) => !b.legacy && b.jobs !== null);
  const memory = fitMemory(measuredBuilds);
  const workMs = medianOf(measuredBuilds.flatMap((b) => (b.cpuMs !== null && b.cpuMs > 0 ? [b.cpuMs] : [])));
  const rowFor = (jobs: number | null): JobAdviceRow => makeRow(history, own, target, jobs, machine, memory, workMs);

  const rows = candidateJobs(measuredBuilds, requestedJobs, machine.cores).map(rowFor);
  const t1 = rows[0]?.basis === 'same-jobs' || rows[0]?.basis === 'scaled' ? rows[0].predictedMs : null;
  for (const row of rows) row.parallelEfficiency = efficiency(t1, row);
  const requested = rows.find((r) => r.jobs === requestedJobs) ?? rowFor(null);
  const optimalJobCount = optimalOf(rows);
  const scaling = fitScaling(measuredBuilds, machine.cores)?.describe ?? null;
  const recommendations = recommend({ target, requestedJobs, machine, rows, requested, optimalJobCount, memory });
  return { target, requestedJobs, rows, requested, optimalJobCount, scaling, recommendations };
}

function candidateJobs(measuredBuilds: readonly PastBuild[], requestedJobs: number | null, cores: number): number[] {
  const highestSeen = Math.max(0, ...measuredBuilds.map((b) => b.jobs as number));
  const cap = MAX_CANDIDATES_PER_CORE * cores + EXTRA_CANDIDATES;
  const last = Math.min(Math.max(cores, highestSeen, requestedJobs ?? 0), cap);
  const jobs = Array.from({ length: Math.max(1, last) }, (_, i) => i + 1);
  if (requestedJobs !== null && requestedJobs > last) jobs.push(requestedJobs);
  return jobs;
}

function makeRow(
  history: readonly PastBuild[],
  own: readonly PastBuild[],
  target: string,
  jobs: number | null,
  machine: MachineInfo,
  memory: MemoryModel | null,
  workMs: number | null,
): JobAdviceRow {
  const prediction = predictBuild(history, { target, jobs, machine });
  const behind = own.filter((b) => (prediction.basis === 'legacy' ? b.legacy : !b.legacy && b.jobs === jobs));
  const measuredPeak = prediction.basis === 'scaled' ? null : medianOf(behind.flatMap((b) => (b.peakRssBytes !== null ? [b.peakRssBytes] : [])));
  const peakBytes = measuredPeak ?? (jobs !== null && memory !== null ? memory.predictPeakBytes(jobs) : null);
  const measuredCpu = medianOf(behind.flatMap((b) => (b.avgCpuPct !== null && b.cores > 0 ? [b.avgCpuPct / b.cores] : [])));
  const predictedCpu =
    prediction.basis === 'scaled' && workMs !== null && prediction.totalMs !== null
      ? Math.min(100, (workMs / prediction.totalMs / machine.cores) * 100)
      : null;
  const avgCpu = prediction.basis === 'scaled' ? predictedCpu : measuredCpu;
  return {
    jobs,
    predictedMs: prediction.totalMs,
    peakBytes,
    fitsMemory: peakBytes === null ? null : peakBytes <= machine.availableMemBytes * MEMORY_HEADROOM_SHARE,
    parallelEfficiency: null,
    avgCpuPct: avgCpu === null ? null : Math.round(avgCpu),
    basis: prediction.basis,
    confidence: prediction.confidence,
  };
}

function efficiency(t1Ms: number | null, row: JobAdviceRow): number | null {
  if (t1Ms === null || row.jobs === null || row.predictedMs === null || row.predictedMs <= 0) return null;
  if (row.basis !== 'same-jobs' && row.basis !== 'scaled') return null;
  return Math.min(100, Math.round((t1Ms / (row.jobs * row.predictedMs)) * 100));
}

function isJobAware(row: JobAdviceRow): boolean {
  return (row.basis === 'same-jobs' || row.basis === 'scaled') && row.predictedMs !== null && row.jobs !== null;
}

function optimalOf(rows: readonly JobAdviceRow[]): number | null {
  if (rows.filter(isJobAware).length < 2) return null;
  const eligible = rows.filter((r) => isJobAware(r) && r.fitsMemory !== false);
  if (eligible.length === 0) return null;
  const fastestMs = Math.min(...eligible.map((r) => r.predictedMs as number));
  const best = eligible.find((r) => (r.predictedMs as number) <= fastestMs * (1 + NEAR_FASTEST_SHARE));
  return best?.jobs ?? null;
}

interface RecommendInput {
  target: string;
  requestedJobs: number | null;
  machine: MachineInfo;
  rows: readonly JobAdviceRow[];
  requested: JobAdviceRow;
  optimalJobCount: number | null;
  memory: MemoryModel | null;
}

function recommend(input: RecommendInput): string[] {
  const { target, requestedJobs, machine, rows, requested, optimalJobCount, memory } = input;
  const out: string[] = [];
  const available = machine.availableMemBytes;
  if (requestedJobs !== null && requested.peakBytes !== null && requested.peakBytes > available) {
    out.push(
      `Warning: -j${requestedJobs} is predicted to need ${formatBytes(requested.peakBytes)}, more than the ` +
        `${formatBytes(available)} available: expect swapping` + (optimalJobCount !== null ? `; use -j${optimalJobCount}` : ''),
    );
  }
  const aware = rows.filter(isJobAware);
  if (aware.length === 0) {
    out.push(
      rows.some((r) => r.basis === 'legacy') || requested.basis !== 'none'
        ? `Only builds of ${target} without a known job count exist: build it once with an explicit -j to get job-count advice`
        : `No finished build of ${target} yet: build it once to get job-count advice`,
    );
    return out;
  }
  if (optimalJobCount === null && aware.length < 2) {
    out.push(
      `Only -j${aware[0]?.jobs} has been measured for ${target}: build it once at another job count (or with CPU sampling) to learn how it scales`,
    );
  } else if (optimalJobCount === null) {
    out.push(`No job count is predicted to stay within ${formatBytes(available * MEMORY_HEADROOM_SHARE)} of memory for ${target}`);
  } else {
    out.push(compareWithOptimal(rows, requested, requestedJobs, optimalJobCount));
  }
  if (memory?.linear) out.push(`Memory usage scales linearly up to -j${memory.linearUpToJobs} on this system`);
  return out;
}

function compareWithOptimal(rows: readonly JobAdviceRow[], requested: JobAdviceRow, requestedJobs: number | null, optimal: number): string {
  const best = rows.find((r) => r.jobs === optimal) as JobAdviceRow;
  const bestMs = best.predictedMs as number;
  if (requestedJobs === optimal) return `Current -j${optimal} is optimal for this system and target`;
  if (requestedJobs === null || requested.predictedMs === null) {
    return `-j${optimal} is the best job count for this system and target (predicted ${formatDuration(bestMs)})`;
  }
  const times = `(${formatDuration(bestMs)} vs ${formatDuration(requested.predictedMs)})`;
  if (requested.fitsMemory === false) return `-j${optimal} leaves memory headroom where -j${requestedJobs} does not ${times}`;
  const fasterPct = Math.round(((requested.predictedMs - bestMs) / requested.predictedMs) * 100);
  if (fasterPct >= 1) return `-j${optimal} is predicted ${fasterPct}% faster than -j${requestedJobs} ${times}`;
  return `-j${optimal} is predicted within ${NEAR_FASTEST_SHARE * 100}% of -j${requestedJobs} ${times} with fewer jobs`;
}
