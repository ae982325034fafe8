import { packageHistoryKey, type PastBuild, type PastFile, type PastPackage } from '../predict/past-build.js';
import { priorFromHistory } from '../predict/prior.js';
import { dropOutliers, meanOf, medianOf, roundTo } from '../predict/stats.js';
import { packageBusyMs } from './busy-time.js';
import { trendOf, type HistoryTrend } from './history-stats.js';

/** Which builds a summary rests on: those at the asked job count, or, when there are none, the legacy ones without a job count. */
export type HistoryBasis = 'same-jobs' | 'legacy';

/** A file that dominates its package's compile time. */
export interface BottleneckFile {
  source: string;
  /** Mean compile time over the builds summarised, ms. */
  avg_ms: number;
  /** Its share of the package's file time (the sum of every file's mean), percent. */
  share_pct: number;
}

/** What a package's past builds at one job count say about it (`package_sockets_j4`). */
export interface PackageHistorySummary {
  /** `packageHistoryKey(package, jobs)`: the key asked for, even when the answer rests on legacy builds. */
  key: string;
  package: string;
  jobs: number | null;
  based_on: HistoryBasis;
  /** Busy time of a full build of the package (see {@link packageBusyMs}), recency-weighted with outliers dropped, ms. */
  avg_duration_ms: number;
  /** 0-1, from the number of samples and how far they agree; halved when based on legacy builds. */
  confidence: number;
  /** Full builds behind `avg_duration_ms`, after outliers were dropped. */
  samples: number;
  /** Median files compiled in full builds. */
  typical_files: number;
  /** At most five files above the package's mean file time, slowest first. */
  bottleneck_files: BottleneckFile[];
  trend: HistoryTrend;
  /** Mean, over the runs sampled, of the largest compiler or linker process of the package, bytes; null when never sampled. */
  peak_rss_bytes: number | null;
  /** Mean CPU time of its compiler and linker processes in full builds, ms; null when never sampled. */
  cpu_ms: number | null;
}

/** One compiled file's history at a job count. */
export interface FileHistorySummary {
  package: string | null;
  source: string;
  based_on: HistoryBasis;
  /** Recency-weighted mean compile time with outliers dropped, ms. */
  avg_ms: number;
  /** Builds behind `avg_ms`, after outliers were dropped. */
  samples: number;
  /** Mean peak RSS of its compiler processes where sampled, bytes; null when never sampled. */
  peak_rss_bytes: number | null;
}

/**
 * A run compiled the whole package when it compiled at least this share of the most files any run
 * did: an incremental build compiles only what changed and says little about a full one, while a
 * package that grew by a file or two still counts.
 */
const FULL_RUN_FRACTION = 0.9;
const LEGACY_CONFIDENCE_FACTOR = 0.5;
const MAX_BOTTLENECK_FILES = 5;

interface Run { build: PastBuild; pkg: PastPackage }

/**
 * One package's history at a job count (null: unlimited or unknown) from past builds of a project
 * in any order. Uses the package's completed runs in builds at that job count; when there are none,
 * those in legacy builds, with half the confidence. Null when neither has a timed run.
 */
export function packageHistory(builds: readonly PastBuild[], pkg: string, jobs: number | null): PackageHistorySummary | null {
  const ordered = newestFirst(builds);
  const same = completedRuns(ordered.filter((b) => !b.legacy && b.jobs === jobs), pkg);
  const basedOn: HistoryBasis = same.length > 0 ? 'same-jobs' : 'legacy';
  const runs = same.length > 0 ? same : completedRuns(ordered.filter((b) => b.legacy), pkg);
  const maxFiles = Math.max(0, ...runs.map((r) => r.pkg.filesDone));
  const full = runs.filter((r) => r.pkg.filesDone >= FULL_RUN_FRACTION * maxFiles);
  const durations = full.map((r) => packageBusyMs(r.build, r.pkg)).filter((d): d is number => d !== null);
  const prior = priorFromHistory(durations);
  if (prior === null) return null;
  const confidence = basedOn === 'legacy' ? roundTo(prior.confidence * LEGACY_CONFIDENCE_FACTOR, 2) : prior.confidence;
  return {
    key: packageHistoryKey(pkg, jobs), package: pkg, jobs, based_on: basedOn, avg_duration_ms: prior.totalMs, confidence,
    samples: prior.samples, typical_files: Math.round(medianOf(full.map((r) => r.pkg.filesDone)) as number),
    bottleneck_files: bottlenecks(runs.flatMap((r) => r.build.files.filter((f) => f.package === pkg))),
    trend: trendOf(dropOutliers(durations)),
    peak_rss_bytes: roundedMean(runs.map((r) => r.pkg.peakRssBytes)),
    cpu_ms: roundedMean(full.map((r) => r.pkg.cpuMs)),
  };
}

/** {@link packageHistory} of every package seen in the builds, slowest first (then by name). */
export function allPackageHistory(builds: readonly PastBuild[], jobs: number | null): PackageHistorySummary[] {
  const names = new Set(builds.flatMap((b) => b.packages.map((p) => p.name)));
  return [...names]
    .map((name) => packageHistory(builds, name, jobs))
    .filter((s): s is PackageHistorySummary => s !== null)
    .sort((a, b) => b.avg_duration_ms - a.avg_duration_ms || compare(a.package, b.package));
}

/**
 * Every compiled file's history at a job count, by package then source. A file's samples come from
 * builds at that job count, or, when it has none there, from legacy builds.
 */
export function fileHistory(builds: readonly PastBuild[], jobs: number | null): FileHistorySummary[] {
  const same = new Map<string, PastFile[]>();
  const legacy = new Map<string, PastFile[]>();
  for (const b of newestFirst(builds)) {
    const into = b.legacy ? legacy : b.jobs === jobs ? same : null;
    if (into === null) continue;
    for (const f of b.files) {
      const key = `${f.package ?? ''}\0${f.source}`;
      const list = into.get(key);
      if (list) list.push(f);
      else into.set(key, [f]);
    }
  }
  const out: FileHistorySummary[] = [];
  for (const key of new Set([...same.keys(), ...legacy.keys()])) {
    const sameFiles = same.get(key);
    const basedOn: HistoryBasis = sameFiles !== undefined && timed(sameFiles).length > 0 ? 'same-jobs' : 'legacy';
    const files = (basedOn === 'same-jobs' ? sameFiles : legacy.get(key)) ?? [];
    const prior = priorFromHistory(timed(files));
    const first = files[0];
    if (prior === null || first === undefined) continue;
    out.push({
      package: first.package, source: first.source, based_on: basedOn, avg_ms: prior.totalMs, samples: prior.samples,
      peak_rss_bytes: roundedMean(files.map((f) => f.peakRssBytes)),
    });
  }
  return out.sort((a, b) => compare(a.package ?? '', b.package ?? '') || compare(a.source, b.source));
}

/** The files whose mean time is above the package's mean file time, slowest first, at most five. */
function bottlenecks(files: readonly PastFile[]): BottleneckFile[] {
  const bySource = new Map<string, number[]>();
  for (const f of files) {
    if (f.startedMs === null || f.endedMs === null || f.endedMs < f.startedMs) continue;
    const list = bySource.get(f.source);
    if (list) list.push(f.endedMs - f.startedMs);
    else bySource.set(f.source, [f.endedMs - f.startedMs]);
  }
  const means = [...bySource].map(([source, ms]) => ({ source, meanMs: meanOf(ms) as number }));
  const totalMs = means.reduce((s, m) => s + m.meanMs, 0);
  if (means.length === 0 || totalMs <= 0) return [];
  const packageMeanMs = totalMs / means.length;
  return means
    .filter((m) => m.meanMs > packageMeanMs)
    .sort((a, b) => b.meanMs - a.meanMs || compare(a.source, b.source))
    .slice(0, MAX_BOTTLENECK_FILES)
    .map((m) => ({ source: m.source, avg_ms: Math.round(m.meanMs), share_pct: roundTo((m.meanMs / totalMs) * 100, 1) }));
}

function completedRuns(builds: readonly PastBuild[], pkg: string): Run[] {
  const out: Run[] = [];
  for (const build of builds) {
    const p = build.packages.find((x) => x.name === pkg);
    if (p !== undefined && p.status === 'completed') out.push({ build, pkg: p });
  }
  return out;
}

function timed(files: readonly PastFile[]): number[] {
  return files.flatMap((f) => (f.startedMs !== null && f.endedMs !== null ? [f.endedMs - f.startedMs] : []));
}

function newestFirst(builds: readonly PastBuild[]): PastBuild[] {
  return [...builds].sort((a, b) => b.startedMs - a.startedMs || compare(a.sessionId, b.sessionId));
}

function roundedMean(values: readonly (number | null)[]): number | null {
  const m = meanOf(values.filter((v): v is number => v !== null));
  return m === null ? null : Math.round(m);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
