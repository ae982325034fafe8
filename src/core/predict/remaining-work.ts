import type { Dialect } from '../parse/types.js';
import type { PackageState } from '../packages/package-state.js';
import { fileKey, type WorkExpectations } from './work-expectations.js';
import { scheduleWork, type PlannedPackage, type WorkSchedule } from './work-schedule.js';

/** A step running now: a file of a package, or (source null) the package's link. Times are epoch ms. */
export interface RunningStep {
  package: string;
  source: string | null;
  /** When it began; null when unknown (it then counts with its whole expected time). */
  startedMs: number | null;
}

/** What the scheduler is told about a running build. Times are epoch ms. */
export interface RemainingWorkInput {
  atMs: number;
  /** When the build started, to tell how much of its setup (configure, generation) is left. */
  startedMs: number;
  /** Under ninja a target's files may compile before its dependencies link; under make they wait. */
  dialect: Dialect;
  /** Job slots; null: `cores` when known, else 1. */
  slots: number | null;
  cores?: number | null;
  /** The live packages; packages that only the history knows join them as queued. */
  packages: readonly PackageState[];
  expectations: WorkExpectations | null;
  /** The sources each package finished in this build, to tell which of the history's files are left. */
  doneSources?: ReadonlyMap<string, ReadonlySet<string>>;
  running?: readonly RunningStep[];
  /**
   * Ninja, when what runs now is unknown: when each busy slot took its step. The first steps placed get
   * the time their slot has already been busy taken off (never below {@link RUNNING_FLOOR_MS}).
   */
  busySinceMs?: readonly number[];
  /** Mean ms of one file finished in this build; used after the history's file and package means. */
  runningMeanFileMs?: number | null;
  /** Multiplies every duration taken from the history (1 = as recorded). */
  durationScale?: number;
  /** False: the history's file times are from another regime; only its shape (counts, graph) and links are used. */
  historyFileTimes?: boolean;
  /**
   * Steps the tool says are left (ninja's `[done/total]`), running ones included. An incremental build does
   * a part of what the history did: when fewer steps are left than planned, every step not started is
   * shortened in proportion, so that the work left is that of the steps the tool will run.
   */
  stepsLeft?: number | null;
}

/** The simulated rest of a build. */
export interface RemainingWork {
  /** Wall ms until the build should end; null when files are left whose duration nothing hints at. */
  remainingMs: number | null;
  /** Expected ms of every step left, summed over slots (running steps: what is left of them). */
  workMs: number;
  /** Expected ms of the steps already done (running steps: what they have done), for work-weighted progress. */
  doneWorkMs: number;
  slots: number;
  /** Where the slot count came from. */
  slotsFrom: 'jobs' | 'cores' | 'one';
  /** Steps left to place, running ones included. */
  steps: number;
  /** The chain of packages that ends last, first to last. */
  criticalPath: string[];
}

/** The least a running step is expected to still take, in ms, however long it has run. */
const RUNNING_FLOOR_MS = 100;

const ENDED = new Set(['completed', 'failed']);

/**
 * Schedules what is left of a build onto its job slots and says when it should end: every file not yet
 * compiled (its own history, else its package's mean, else this build's running mean, else the history's
 * mean), every link after its files, in dependency order, longest chain first. O(n log n) in steps.
 */
export function remainingWork(input: RemainingWorkInput): RemainingWork {
  const e = input.expectations;
  const scale = input.durationScale ?? 1;
  const fileTimes = e !== null && input.historyFileTimes !== false;
  const runningMean = input.runningMeanFileMs ?? null;
  let unknown = false;
  const expectedFileMs = (pkg: string, source: string | null): number | null => {
    const own = fileTimes && source !== null ? e.fileMs.get(fileKey(pkg, source)) : undefined;
    const v = own ?? (fileTimes ? e.packageFileMs.get(pkg) : undefined);
    if (v !== undefined) return v * scale;
    if (runningMean !== null) return runningMean;
    return fileTimes && e.meanFileMs !== null ? e.meanFileMs * scale : null;
  };
  const doneMs = (pkg: string, source: string | null): number => expectedFileMs(pkg, source) ?? 0;
  const fileMs = (pkg: string, source: string | null): number => {
    const v = expectedFileMs(pkg, source);
    if (v === null) unknown = true;
    return v ?? 0;
  };
  const linkMs = (pkg: string): number => (e === null ? 0 : (e.linkMs.get(pkg) ?? e.meanLinkMs ?? 0) * scale);
  const credit = (expected: number, startedMs: number | null): number =>
    startedMs === null ? expected : Math.max(expected - Math.max(0, input.atMs - startedMs), Math.min(expected, RUNNING_FLOOR_MS));

  const live = new Map(input.packages.map((p) => [p.name, p]));
  const names = [...live.keys()];
  for (const name of e?.packageFiles.keys() ?? []) if (!live.has(name)) names.push(name);
  const runningOf = new Map<string, RunningStep[]>();
  for (const r of input.running ?? []) runningOf.set(r.package, [...(runningOf.get(r.package) ?? []), r]);

  let doneWorkMs = 0;
  let anyStarted = false;
  const plans: PlannedPackage[] = [];
  for (const name of names) {
    const p = live.get(name);
    const status = p?.status ?? 'queued';
    const filesDone = p?.files_done ?? 0;
    const done = input.doneSources?.get(name) ?? new Set<string>();
    for (const s of done) doneWorkMs += doneMs(name, s);
    doneWorkMs += Math.max(0, filesDone - done.size) * doneMs(name, null);
    const started = (p?.started_ms ?? null) !== null || status === 'compiling' || status === 'linking';
    anyStarted ||= started || ENDED.has(status);
    if (ENDED.has(status)) {
      if (status === 'completed') doneWorkMs += linkMs(name);
      continue;
    }
    const steps = runningOf.get(name) ?? [];
    const runFiles = steps.filter((r) => r.source !== null);
    const running: number[] = [];
    // Make's window may count a long file as done while it still runs: it is then running, not done.
    let runningCountedDone = 0;
    for (const r of runFiles) {
      const expected = fileMs(name, r.source);
      const left = credit(expected, r.startedMs);
      running.push(left);
      if (done.has(r.source as string)) {
        runningCountedDone++;
        doneWorkMs -= Math.min(left, expected);
      } else {
        doneWorkMs += Math.max(0, expected - left);
      }
    }
    const histSources = e?.packageSources.get(name) ?? [];
    const histCount = e?.packageFiles.get(name);
    const begun = filesDone + runFiles.length - runningCountedDone;
    const total = p?.files_total ?? Math.max(histCount ?? 0, begun);
    const toStart = Math.max(0, total - begun);
    const runSources = new Set(runFiles.map((r) => r.source as string));
    const knownLeft = histSources.filter((s) => !done.has(s) && !runSources.has(s));
    const files: number[] = [];
    if (toStart > 0 && knownLeft.length >= toStart) {
      const share = toStart / knownLeft.length;
      for (const s of knownLeft) files.push(fileMs(name, s) * share);
    } else if (toStart > 0) {
      for (const s of knownLeft) files.push(fileMs(name, s));
      const generic = fileMs(name, null);
      for (let i = knownLeft.length; i < toStart; i++) files.push(generic);
    }
    const link = linkMs(name);
    const runLink = steps.find((r) => r.source === null);
    const linking = status === 'linking' || runLink !== undefined;
    const linkRunning = linking ? credit(link, runLink?.startedMs ?? null) : null;
    if (linkRunning !== null) doneWorkMs += Math.max(0, link - linkRunning);
    const deps = new Set([...(p?.depends_on ?? []), ...(e?.dependsOn.get(name) ?? [])]);
    deps.delete(name);
    plans.push({ name, files, running, link: linking ? 0 : link, linkRunning, started, deps: [...deps], compiles: total > 0 || histSources.length > 0 });
  }
  if (input.stepsLeft !== undefined && input.stepsLeft !== null) shrinkTo(plans, input.stepsLeft);
  const ended = new Set(input.packages.filter((p) => ENDED.has(p.status)).map((p) => p.name));
  const { slots, slotsFrom } = slotsOf(input.slots, input.cores ?? null);
  const credits = (input.running?.length ?? 0) > 0 ? [] : (input.busySinceMs ?? []).map((t) => Math.max(0, input.atMs - t));
  const schedule: WorkSchedule = scheduleWork(plans, ended, { slots, waitForDependencyLinks: input.dialect !== 'ninja', credits, floorMs: RUNNING_FLOOR_MS });
  const setupLeft = !anyStarted && e !== null ? Math.max(0, e.setupMs - (input.atMs - input.startedMs)) : 0;
  const teardown = schedule.makespanMs > 0 && e !== null ? e.teardownMs : 0;
  return {
    remainingMs: unknown ? null : Math.round(setupLeft + schedule.makespanMs + teardown),
    workMs: Math.round(schedule.workMs), doneWorkMs: Math.round(doneWorkMs), slots, slotsFrom,
    steps: schedule.steps, criticalPath: schedule.criticalPath,
  };
}

function shrinkTo(plans: PlannedPackage[], stepsLeft: number): void {
  let running = 0;
  let waiting = 0;
  for (const p of plans) {
    running += p.running.length + (p.linkRunning === null ? 0 : 1);
    waiting += p.files.length + (p.link > 0 ? 1 : 0);
  }
  if (waiting === 0 || running + waiting <= stepsLeft) return;
  const share = Math.max(0, stepsLeft - running) / waiting;
  for (const p of plans) {
    p.files = p.files.map((ms) => ms * share);
    p.link *= share;
  }
}

function slotsOf(slots: number | null, cores: number | null): { slots: number; slotsFrom: RemainingWork['slotsFrom'] } {
  if (slots !== null && slots >= 1) return { slots: Math.floor(slots), slotsFrom: 'jobs' };
  if (cores !== null && cores >= 1) return { slots: Math.floor(cores), slotsFrom: 'cores' };
  return { slots: 1, slotsFrom: 'one' };
}
