import { predictBuild } from '../core/predict/build-prediction.js';
import { forecastOf, type Forecast } from '../core/predict/forecast.js';
import { adviseJobs, type JobAdvice } from '../core/predict/job-advice.js';
import type { MachineInfo, PastBuild } from '../core/predict/past-build.js';
import { findProjectDirs } from '../project/load-model.js';
import type { Store } from '../store/store.js';
import { machineInfo } from './machine.js';

/** One candidate job count as scripts and assistants read it. */
export interface CandidateRow {
  jobs: number | null;
  predicted_ms: number | null;
  peak_memory_bytes: number | null;
  fits_memory: boolean | null;
  parallel_efficiency: number | null;
  avg_cpu_pct: number | null;
  basis: string;
  confidence: number;
  optimal: boolean;
}

/** "Which -j should I use here?": the forecast for the job count asked about, plus a row per candidate. */
export interface JobAdviceReport extends Forecast {
  project_dir: string;
  target: string;
  candidates: CandidateRow[];
  /** Builds of the target the advice rests on (failed ones included). */
  builds: number;
  scaling: string | null;
}

/** The report with the advice and history it was made from, for renderings that need more. */
export interface JobAdviceResult {
  report: JobAdviceReport;
  advice: JobAdvice;
  history: PastBuild[];
  machine: MachineInfo;
}

/**
 * Job-count advice for the project in `dir` (a build directory, or a source directory with a
 * configured one below it): for `target` (default: the target of the latest build) and the job
 * count asked about (default: the latest build's), from that target's recorded builds.
 */
export function jobAdviceFor(
  store: Store, dir: string, ask: { target?: string; jobs?: number }, nowMs: number, machine: MachineInfo = machineInfo(),
): JobAdviceResult {
  const projectDir = projectDirOf(dir);
  const newest = store.past.load(projectDir, { includeFailed: true, limit: 1, withDetails: false })[0];
  const target = ask.target ?? newest?.target ?? 'all';
  const history = store.past.load(projectDir, { target, includeFailed: true });
  const jobs = ask.jobs ?? history[0]?.jobs ?? null;
  const advice = adviseJobs(history, { target, requestedJobs: jobs, machine });
  const prediction = predictBuild(history, { target, jobs, machine });
  const forecast = forecastOf({ historyKey: jobs === null ? target : `${target}_j${jobs}`, prediction, advice, nowMs });
  const report: JobAdviceReport = {
    project_dir: projectDir, target, ...forecast, candidates: candidateRows(advice), builds: history.length, scaling: advice.scaling,
  };
  return { report, advice, history, machine };
}

function candidateRows(advice: JobAdvice): CandidateRow[] {
  return advice.rows.map((r) => ({
    jobs: r.jobs, predicted_ms: r.predictedMs, peak_memory_bytes: r.peakBytes, fits_memory: r.fitsMemory,
    parallel_efficiency: r.parallelEfficiency, avg_cpu_pct: r.avgCpuPct, basis: r.basis, confidence: r.confidence,
    optimal: r.jobs === advice.optimalJobCount,
  }));
}

/** History is kept per build directory: a source directory's configured build directory, else DIR itself. */
export function projectDirOf(dir: string): string {
  try {
    return findProjectDirs(dir).buildDir ?? dir;
  } catch {
    return dir;
  }
}
