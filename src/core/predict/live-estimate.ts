import type { Dialect } from '../parse/types.js';
import type { PackageState } from '../packages/package-state.js';
import { remainingWork, type RemainingWork, type RunningStep } from './remaining-work.js';
import { fileKey, type WorkExpectations } from './work-expectations.js';
import type { TimedFile } from './live-steps.js';
import { estimateTotalMs, MIN_FRACTION_FOR_RATE } from './prior.js';
import { clamp, roundTo } from './stats.js';

/** Whether this build's files take what the history says: `rescaled` or `discarded` when they clearly do not. */
export type EtaRegime = 'normal' | 'rescaled' | 'discarded';

/** What the estimate mostly rests on. */
export type EtaBasis = 'schedule' | 'progress' | 'prior' | 'none';

/** The expected whole-build time from history before the build, with how far to trust it (0-1). */
export interface PriorTotal {
  totalMs: number;
  confidence: number;
}

/** Everything the estimate needs at one moment; times are epoch ms. */
export interface LiveEstimateInput {
  atMs: number;
  startedMs: number;
  dialect: Dialect;
  jobs: number | null;
  cores?: number | null;
  packages: readonly PackageState[];
  /** Files finished in this build, with their starts. */
  files: readonly TimedFile[];
  running: readonly RunningStep[];
  busySinceMs?: readonly number[];
  /** The tool's own progress (0-1), null when it reports none. */
  toolFraction: number | null;
  /** Steps the tool says are left (ninja), null when it does not say. */
  stepsLeft?: number | null;
  expectations: WorkExpectations | null;
  prior: PriorTotal | null;
}

/** The expected end of a running build and why. */
export interface LiveEstimate {
  /** Expected whole-build wall ms; never less than elapsed; null when nothing hints at it. */
  totalMs: number | null;
  /** 0-1. */
  confidence: number | null;
  basis: EtaBasis;
  regime: EtaRegime;
  /** Median of this build's file times over the history's; null before enough files finished. */
  regimeRatio: number | null;
  /** Progress (0-1): by expected work when the history gives it, else the tool's. */
  fraction: number | null;
  /** The schedule's own answer (elapsed + what is left); null without history. */
  scheduledTotalMs: number | null;
  /** Packages, first to last, on the chain that ends last. */
  criticalPath: string[];
}

/** Files that must finish before the history's times are judged (as ninja waits before trusting its log). */
const MIN_REGIME_FILES = 8;
/** Below this median ratio of actual to expected file time the history is from a faster regime (ccache, warm cache). */
const FAST_REGIME_RATIO = 0.4;
/** Above this, from a slower one (a debug build, a loaded machine). */
const SLOW_REGIME_RATIO = 2.5;
const MIN_REGIME_SHARE = 0.05;
/** Beyond this spread of ratios (upper over lower quartile) the history is discarded rather than rescaled. */
const MAX_RESCALE_SPREAD = 4;
/** The prior's weight at the very start, times its confidence; it fades with the square of what is left. */
const PRIOR_SHARE = 0.5;
/** How far the schedule is trusted, per history sample weight, in each regime. */
const REGIME_TRUST: Readonly<Record<EtaRegime, number>> = { normal: 1, rescaled: 0.6, discarded: 0.3 };
/** What progress adds to confidence as the build nears its end. */
const PROGRESS_CONFIDENCE = 0.8;
const MAX_CONFIDENCE = 0.99;
/** Build time between two schedules, per file of the history: the schedule's cost grows with the files. */
const REASSESS_MS_PER_FILE = 0.5;
const MAX_REASSESS_GAP_MS = 1000;
const MIN_CALIBRATION = 0.7;
const MAX_CALIBRATION = 1.5;

/** What changes only with new output: the schedule and the regime, as of `atMs`. */
interface Assessment {
  /** Elapsed ms when it was made. */
  elapsedMs: number;
  regime: EtaRegime;
  regimeRatio: number | null;
  work: RemainingWork | null;
  /** The schedule's rest, calibrated; null without one. */
  remainingMs: number | null;
  samples: number;
}

/**
 * The expected whole-build time while it runs: elapsed plus the scheduled rest, blended with
 * elapsed/progress while the history is thin (few builds, or judged from another regime) and with the
 * prior at the very start. Pure; {@link LiveEstimator} keeps it cheap between output lines.
 */
export function estimateLive(input: LiveEstimateInput): LiveEstimate {
  const calibration = input.expectations === null ? 1 : calibrationOf(input);
  return combine(assess(input, calibration), Math.max(0, input.atMs - input.startedMs), input.toolFraction, input.prior);
}

/**
 * One build's estimates. The costly part (the schedule, O(n log n) in files) is redone only when the engine's
 * version changed, and then at most once per {@link REASSESS_MS_PER_FILE} ms of build time per file the
 * history knows (a second for 2000 files): snapshots in between redo only the O(1) blend with the growing
 * elapsed time. `input` is called only when the schedule is redone.
 */
export class LiveEstimator {
  private cached: { version: number; atMs: number; assessment: Assessment } | null = null;
  private calibration: number | null = null;
  private gapMs = 0;

  /** The estimate at `atMs` (epoch ms) for the engine at `version`; `input` gives the engine's state when needed. */
  estimate(version: number, atMs: number, startedMs: number, toolFraction: number | null, prior: PriorTotal | null, input: () => LiveEstimateInput): LiveEstimate {
    let c = this.cached;
    if (c === null || atMs < c.atMs || (c.version !== version && atMs - c.atMs >= this.gapMs)) {
      const i = input();
      if (this.calibration === null) {
        this.calibration = i.expectations === null ? 1 : calibrationOf(i);
        let files = 0;
        for (const n of i.expectations?.packageFiles.values() ?? []) files += n;
        this.gapMs = Math.min(MAX_REASSESS_GAP_MS, files * REASSESS_MS_PER_FILE);
      }
      c = this.cached = { version, atMs, assessment: assess(i, this.calibration) };
    }
    return combine(c.assessment, Math.max(0, atMs - startedMs), toolFraction, prior);
  }
}

/**
 * How much longer the history's builds at this job count took than this scheduler plans the same work
 * (make waits per target, ninja does not place the longest step first): their mean total over a plan of
 * the whole build. 1 without same-job-count history.
 */
function calibrationOf(input: LiveEstimateInput): number {
  const e = input.expectations;
  if (e === null || e.totalMs === null) return 1;
  const whole = remainingWork({
    atMs: 0, startedMs: 0, dialect: input.dialect, slots: input.jobs, cores: input.cores ?? null, packages: [], expectations: e,
  });
  if (whole.remainingMs === null || whole.remainingMs <= 0) return 1;
  return clamp(e.totalMs / whole.remainingMs, MIN_CALIBRATION, MAX_CALIBRATION);
}

function assess(input: LiveEstimateInput, calibration: number): Assessment {
  const e = input.expectations;
  const timed = input.files.map((f) => Math.max(1, f.endedMs - f.startedMs));
  const runningMeanFileMs = timed.length > 0 ? timed.reduce((s, v) => s + v, 0) / timed.length : null;
  const doneSources = new Map<string, Set<string>>();
  for (const f of input.files) {
    const set = doneSources.get(f.package);
    if (set) set.add(f.source);
    else doneSources.set(f.package, new Set([f.source]));
  }
  const elapsedMs = Math.max(0, input.atMs - input.startedMs);
  if (e === null) return { elapsedMs, regime: 'normal', regimeRatio: null, work: null, remainingMs: null, samples: 0 };
  const plan = (scale: number, fileTimes: boolean): RemainingWork => remainingWork({
    atMs: input.atMs, startedMs: input.startedMs, dialect: input.dialect, slots: input.jobs, cores: input.cores ?? null,
    packages: input.packages, expectations: e, doneSources, running: input.running, busySinceMs: input.busySinceMs,
    runningMeanFileMs, durationScale: scale, historyFileTimes: fileTimes, stepsLeft: input.stepsLeft ?? null,
  });
  const normal = plan(1, true);
  const busyMs = normal.slots * Math.max(0, input.atMs - input.startedMs - e.setupMs);
  const { regime, ratio } = regimeOf(input.files, e, normal.doneWorkMs > 0 ? busyMs / normal.doneWorkMs : null);
  const work = regime === 'normal' ? normal : plan(ratio as number, regime === 'rescaled');
  const remainingMs = work.remainingMs === null ? null : work.remainingMs * calibration;
  return { elapsedMs, regime, regimeRatio: ratio, work, remainingMs, samples: e.samples };
}

/**
 * Compares the finished files' times with the history's once enough have finished. A file's time is
 * inferred where the output shows only one end of it (make's ends, ninja's starts) and can be far off
 * when a long file runs beside short ones; the slots' busy time over the expected work done (`rateRatio`)
 * is not, so a regime is called only when both are far off the same way.
 */
function regimeOf(files: readonly TimedFile[], e: WorkExpectations, rateRatio: number | null): { regime: EtaRegime; ratio: number | null } {
  const ratios: number[] = [];
  for (const f of files) {
    const expected = e.fileMs.get(fileKey(f.package, f.source));
    if (expected !== undefined && expected > 0) ratios.push(Math.max(1, f.endedMs - f.startedMs) / expected);
  }
  let expectedFiles = 0;
  for (const n of e.packageFiles.values()) expectedFiles += n;
  if (ratios.length < MIN_REGIME_FILES || ratios.length < expectedFiles * MIN_REGIME_SHARE || rateRatio === null) return { regime: 'normal', ratio: null };
  ratios.sort((a, b) => a - b);
  const ratio = roundTo(quantile(ratios, 0.5), 3);
  const fast = ratio < FAST_REGIME_RATIO && rateRatio < FAST_REGIME_RATIO;
  const slow = ratio > SLOW_REGIME_RATIO && rateRatio > SLOW_REGIME_RATIO;
  if (!fast && !slow) return { regime: 'normal', ratio };
  const spread = quantile(ratios, 0.75) / Math.max(quantile(ratios, 0.25), 1e-9);
  return { regime: spread <= MAX_RESCALE_SPREAD ? 'rescaled' : 'discarded', ratio };
}

function combine(a: Assessment, elapsedMs: number, toolFraction: number | null, prior: PriorTotal | null): LiveEstimate {
  const work = a.work;
  const scheduled = a.remainingMs === null ? null : Math.max(a.elapsedMs + a.remainingMs, elapsedMs);
  const workTotal = work === null ? 0 : work.doneWorkMs + work.workMs;
  const fraction = work !== null && workTotal > 0 ? clamp(work.doneWorkMs / workTotal, 0, 1) : toolFraction === null ? null : clamp(toolFraction, 0, 1);
  const base = {
    regime: a.regime, regimeRatio: a.regimeRatio, fraction: fraction === null ? null : roundTo(fraction, 3),
    scheduledTotalMs: scheduled === null ? null : Math.round(scheduled), criticalPath: work?.criticalPath ?? [],
  };
  const f = fraction ?? 0;
  const rate = f >= MIN_FRACTION_FOR_RATE ? elapsedMs / f : null;
  if (scheduled === null) {
    const total = estimateTotalMs(elapsedMs, fraction, prior?.totalMs ?? null);
    if (total === null) return { ...base, totalMs: null, confidence: null, basis: 'none' };
    const trust = prior?.confidence ?? 0;
    const basis: EtaBasis = prior === null || (rate !== null && f >= 0.5) ? 'progress' : 'prior';
    return { ...base, totalMs: total, confidence: roundTo(trust + (1 - trust) * PROGRESS_CONFIDENCE * f, 2), basis };
  }
  const trust = (a.samples / (a.samples + 1)) * REGIME_TRUST[a.regime];
  const rateWeight = rate === null ? 0 : f * (1 - trust);
  const priorWeight = prior === null ? 0 : PRIOR_SHARE * prior.confidence * (1 - f) ** 2;
  let total = (1 - rateWeight) * scheduled + rateWeight * (rate ?? 0);
  if (prior !== null) total = (1 - priorWeight) * total + priorWeight * prior.totalMs;
  const basis: EtaBasis = rateWeight >= 0.5 ? 'progress' : priorWeight >= 0.5 ? 'prior' : 'schedule';
  const confidence = roundTo(Math.min(MAX_CONFIDENCE, trust + (1 - trust) * PROGRESS_CONFIDENCE * f), 2);
  return { ...base, totalMs: Math.round(Math.max(total, elapsedMs)), confidence, basis };
}

function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}
