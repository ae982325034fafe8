import { inferredStartMs } from './inferred-starts.js';
import type { PastBuild } from './past-build.js';
import { medianOf, nearMedian, RECENCY_DECAY, weightedMeanMs } from './stats.js';

/**
 * What the history of one target says each piece of a build costs, for the scheduler that predicts
 * what is left of a running build. Durations are wall ms of one step at the job count asked for
 * (other job counts' steps scaled to it); maps are keyed by package name, files by {@link fileKey}.
 */
export interface WorkExpectations {
  /** The job count the durations are for. */
  jobs: number | null;
  /** Successful builds it rests on, after outliers were dropped; 0 = no history. */
  samples: number;
  /** Builds of those that ran with the same job count. */
  sameJobsSamples: number;
  /** Expected compile ms of each file. */
  fileMs: ReadonlyMap<string, number>;
  /** The files each package compiled in the newest build that built it. */
  packageSources: ReadonlyMap<string, readonly string[]>;
  /** Mean compile ms of one file of each package. */
  packageFileMs: ReadonlyMap<string, number>;
  /** Link (or archive, or custom step) ms of each package: from its last file ending to its end. */
  linkMs: ReadonlyMap<string, number>;
  /** Files each package compiles. */
  packageFiles: ReadonlyMap<string, number>;
  /** Packages each package waited for, where the history knew. */
  dependsOn: ReadonlyMap<string, readonly string[]>;
  /** Mean compile ms of one file over the whole build; null with no files. */
  meanFileMs: number | null;
  /** Mean link ms of one package; null with no links. */
  meanLinkMs: number | null;
  /** Time from the build's start to its first step (configure, generation). */
  setupMs: number;
  /** Time from the last package's end to the build's end. */
  teardownMs: number;
  /** Recency-weighted mean wall time of the same-job-count builds; null when there were none. */
  totalMs: number | null;
}

/** A build that compiled at least this share of the most files any build did is a full build. */
const FULL_BUILD_SHARE = 0.9;

/** The key of one file in {@link WorkExpectations.fileMs}. */
export function fileKey(pkg: string | null, source: string): string {
  return `${pkg ?? ''}\u0000${source}`;
}

interface BuildSteps {
  build: PastBuild;
  files: { key: string; pkg: string; source: string; ms: number }[];
  links: Map<string, number>;
  setupMs: number;
  teardownMs: number;
}

interface Sample {
  ms: number;
  weight: number;
}

/**
 * Expectations from a target's past builds, newest first, for a build at `jobs`. Failed builds are left
 * out, and so are full builds more than twice as slow or fast as the median of their job count (another
 * regime). Incremental builds (fewer than nine tenths of the most files any build compiled) lend their
 * step times but not their totals, overheads or file lists. Builds at the same job count come first in
 * recency order; the others follow, their step times scaled by the ratio of median file times (a loaded
 * machine compiles each file slower at a higher `-j`) when both exist. Each file's samples more than
 * twice off their median are dropped before the weighted mean.
 */
export function expectationsFrom(history: readonly PastBuild[], jobs: number | null): WorkExpectations {
  const succeeded = history.filter((b) => b.succeeded && b.durationMs > 0);
  const mostFiles = Math.max(0, ...succeeded.map((b) => b.files.length));
  const isFull = (b: PastBuild): boolean => b.files.length >= mostFiles * FULL_BUILD_SHARE;
  const full = new Set(dropOutlierBuilds(succeeded.filter(isFull)));
  const kept = succeeded.filter((b) => full.has(b) || !isFull(b));
  const same = kept.filter((b) => b.jobs === jobs);
  const ordered = [...same, ...kept.filter((b) => b.jobs !== jobs)].map(stepsOf);
  const sameMedian = medianOf(ordered.filter((s) => s.build.jobs === jobs).flatMap((s) => s.files.map((f) => f.ms)));
  const factors = new Map<number | null, number>();
  for (const s of ordered) {
    if (factors.has(s.build.jobs)) continue;
    const theirs = medianOf(ordered.filter((o) => o.build.jobs === s.build.jobs).flatMap((o) => o.files.map((f) => f.ms)));
    factors.set(s.build.jobs, sameMedian !== null && theirs !== null && theirs > 0 ? sameMedian / theirs : 1);
  }
  const fileSamples = new Map<string, Sample[]>();
  const linkSamples = new Map<string, Sample[]>();
  const packageSources = new Map<string, string[]>();
  const dependsOn = new Map<string, string[]>();
  const setup: Sample[] = [];
  const teardown: Sample[] = [];
  ordered.forEach((s, rank) => {
    const weight = RECENCY_DECAY ** rank;
    const factor = factors.get(s.build.jobs) ?? 1;
    for (const f of s.files) push(fileSamples, f.key, { ms: f.ms * factor, weight });
    for (const [pkg, ms] of s.links) push(linkSamples, pkg, { ms: ms * factor, weight });
    for (const p of s.build.packages) if (!dependsOn.has(p.name)) dependsOn.set(p.name, [...p.dependsOn]);
    if (!full.has(s.build)) return;
    setup.push({ ms: s.setupMs, weight });
    teardown.push({ ms: s.teardownMs, weight });
    const sources = new Map<string, string[]>();
    for (const f of s.files) push(sources, f.pkg, f.source);
    for (const p of s.build.packages) if (!packageSources.has(p.name)) packageSources.set(p.name, sources.get(p.name) ?? []);
    for (const [pkg, list] of sources) if (!packageSources.has(pkg)) packageSources.set(pkg, list);
  });
  const fileMs = meansOf(fileSamples);
  const linkMs = meansOf(linkSamples);
  const packageFileMs = new Map<string, number>();
  const packageFiles = new Map<string, number>();
  for (const [pkg, sources] of packageSources) {
    packageFiles.set(pkg, sources.length);
    const known = sources.map((src) => fileMs.get(fileKey(pkg, src))).filter((v): v is number => v !== undefined);
    if (known.length > 0) packageFileMs.set(pkg, Math.round(sum(known) / known.length));
  }
  const allFiles = [...fileMs.values()];
  const allLinks = [...linkMs.values()];
  const sameTotals = ordered.filter((s) => s.build.jobs === jobs && full.has(s.build)).map((s, i) => ({ ms: s.build.durationMs, weight: RECENCY_DECAY ** i }));
  return {
    jobs, samples: ordered.length, sameJobsSamples: same.length, fileMs, packageSources, packageFileMs, linkMs, packageFiles, dependsOn,
    meanFileMs: allFiles.length > 0 ? Math.round(sum(allFiles) / allFiles.length) : null,
    meanLinkMs: allLinks.length > 0 ? Math.round(sum(allLinks) / allLinks.length) : null,
    setupMs: weightedMean(setup) ?? 0, teardownMs: weightedMean(teardown) ?? 0, totalMs: weightedMean(sameTotals),
  };
}

/** The step times of one build; files whose start is unknown began when a job slot was freed. */
function stepsOf(b: PastBuild): BuildSteps {
  const slots = b.jobs ?? b.cores ?? 1;
  const stepEnds = [...b.files.map((f) => f.endedMs), ...b.packages.map((p) => p.endedMs)]
    .filter((v): v is number => v !== null).sort((x, y) => x - y);
  const startOf = (endMs: number): number => inferredStartMs(endMs, stepEnds, slots, b.startedMs);
  const files: BuildSteps['files'] = [];
  const lastFileEnd = new Map<string, number>();
  let firstMs = Number.POSITIVE_INFINITY;
  let lastMs = Number.NEGATIVE_INFINITY;
  for (const f of b.files) {
    if (f.endedMs === null) continue;
    const startMs = f.startedMs ?? startOf(f.endedMs);
    const pkg = f.package ?? '';
    files.push({ key: fileKey(f.package, f.source), pkg, source: f.source, ms: Math.max(0, f.endedMs - startMs) });
    lastFileEnd.set(pkg, Math.max(lastFileEnd.get(pkg) ?? f.endedMs, f.endedMs));
    firstMs = Math.min(firstMs, startMs);
    lastMs = Math.max(lastMs, f.endedMs);
  }
  const links = new Map<string, number>();
  for (const p of b.packages) {
    if (p.startedMs !== null) firstMs = Math.min(firstMs, p.startedMs);
    if (p.endedMs === null || p.status !== 'completed') continue;
    lastMs = Math.max(lastMs, p.endedMs);
    const filesEnd = lastFileEnd.get(p.name);
    if (filesEnd === undefined && p.startedMs === null) continue;
    // A link may wait for its dependencies after its files (ninja): it began no earlier than a slot was freed.
    const linkStart = filesEnd === undefined ? (p.startedMs as number) : Math.max(filesEnd, startOf(p.endedMs));
    links.set(p.name, Math.max(0, p.endedMs - linkStart));
  }
  const endMs = b.startedMs + b.durationMs;
  return {
    build: b, files, links,
    setupMs: Number.isFinite(firstMs) ? Math.max(0, firstMs - b.startedMs) : 0,
    teardownMs: Number.isFinite(lastMs) ? Math.max(0, endMs - lastMs) : 0,
  };
}

/** Builds within a factor of two of the median duration of their job count, in the order given. */
function dropOutlierBuilds(builds: readonly PastBuild[]): PastBuild[] {
  const medians = new Map<number | null, number>();
  for (const b of builds) {
    if (!medians.has(b.jobs)) medians.set(b.jobs, medianOf(builds.filter((o) => o.jobs === b.jobs).map((o) => o.durationMs)) as number);
  }
  return builds.filter((b) => nearMedian(b.durationMs, medians.get(b.jobs) as number));
}

function meansOf(samples: ReadonlyMap<string, Sample[]>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, list] of samples) {
    const median = medianOf(list.map((s) => s.ms)) as number;
    const kept = list.filter((s) => nearMedian(s.ms, median));
    const mean = weightedMean(kept.length > 0 ? kept : list);
    if (mean !== null) out.set(key, mean);
  }
  return out;
}

function weightedMean(samples: readonly Sample[]): number | null {
  const mean = weightedMeanMs(samples);
  return mean === null ? null : Math.round(mean);
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function sum(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0);
}
