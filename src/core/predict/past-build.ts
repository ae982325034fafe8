/**
 * A finished build as prediction sees it: the same shape whether it comes from the store (live
 * builds and imports) or from replaying a log (benchmarks, tests). Times are epoch ms, sizes bytes.
 */
export interface PastBuild {
  sessionId: string;
  /** The targets, sorted and joined with `+` (as in the history key). */
  target: string;
  /** Parallel job count; null when unlimited or unknown. */
  jobs: number | null;
  /** Recorded under a key with no job count (older history, or a build whose `-j` was unknown). */
  legacy: boolean;
  startedMs: number;
  durationMs: number;
  succeeded: boolean;
  /** Cores of the machine it ran on. */
  cores: number;
  /** CPU time (user + system) of the whole build process tree; null when not measured. */
  cpuMs: number | null;
  /** Largest total RSS of the build's process tree seen by the sampler; null when not sampled. */
  peakRssBytes: number | null;
  /** Mean CPU use of the process tree over the build, in percent of one core (200 = two cores busy). */
  avgCpuPct: number | null;
  /** Compiled files with their times (exact from `.ninja_log`, else inferred from the output). */
  files: PastFile[];
  /** Every package seen, with its final state. */
  packages: PastPackage[];
}

/** One compiled file of a past build. */
export interface PastFile {
  package: string | null;
  source: string;
  startedMs: number | null;
  endedMs: number | null;
  /** Peak RSS of the compiler processes that compiled it, when sampled. */
  peakRssBytes: number | null;
  /** CPU time of those processes, when sampled. */
  cpuMs: number | null;
}

/** One package of a past build. */
export interface PastPackage {
  name: string;
  status: string;
  startedMs: number | null;
  endedMs: number | null;
  filesDone: number;
  filesTotal: number | null;
  dependsOn: string[];
  /** Peak RSS of one compiler or linker process of this package, when sampled. */
  peakRssBytes: number | null;
  /** CPU time of its attributed compiler and linker processes, when sampled. */
  cpuMs: number | null;
}

/** The machine a prediction is for. */
export interface MachineInfo {
  cores: number;
  /** Memory the build may use without the machine swapping (MemAvailable at the time of asking). */
  availableMemBytes: number;
  totalMemBytes: number;
}

const JOBS_SUFFIX_RE = /^(.+)_j(\d+|unlimited)$/;

/** A history key's target and job count (`all_j4`: all at 4; `all_junlimited`: all, null); null for a legacy key with none (`all`). */
export function splitHistoryKey(historyKey: string): { target: string; jobs: number | null } | null {
  const m = JOBS_SUFFIX_RE.exec(historyKey);
  return m === null ? null : { target: m[1] as string, jobs: m[2] === 'unlimited' ? null : Number(m[2]) };
}

/** Whether a history key carries a job count (`all_j4`, `all_junlimited`); `all` is a legacy key. */
export function keyHasJobs(historyKey: string): boolean {
  return splitHistoryKey(historyKey) !== null;
}

/** The per-package history key: the package as target, with the build's job count (`package_sockets_j4`). */
export function packageHistoryKey(pkg: string, jobs: number | null): string {
  return jobs === null ? pkg : `${pkg}_j${jobs}`;
}
