import { parseCmakeObjectPath } from './parse/cmake-object-path.js';

/** One finished step of a ninja run, with every output it wrote (a link with symlinks has several). */
export interface NinjaLogStep {
  /** Milliseconds from the start of its ninja run. */
  startMs: number;
  /** Milliseconds from the start of its ninja run. */
  endMs: number;
  /** Outputs as ninja wrote them (relative to the build directory, or absolute), in log order. */
  outputs: string[];
  /** The command hash as written (hexadecimal); it differs between log versions for the same command. */
  hash: string;
  /**
   * The recorded output mtime as written. Kept as text: its unit depends on the ninja release and
   * platform (seconds before ninja 1.9, nanoseconds on Linux since), and nothing here needs it.
   */
  mtime: string;
}

/** A `.ninja_log` split into the runs it accumulated, oldest first. */
export interface NinjaLog {
  /** Format version from the `# ninja log vN` header; null when the header is missing or not 5, 6 or 7. */
  version: number | null;
  /** Runs in file order; each run's steps in the order ninja finished them. */
  runs: NinjaLogStep[][];
  /** Non-empty lines that are not a valid row (all of them when the version is not understood). */
  malformedLines: number;
}

/** Where one step's time went, attributed to a target and a source where its output says so. */
export interface FileTiming {
  target: string | null;
  /** The compiled file as written below `<target>.dir/` (object suffix removed); null for links and other steps. */
  source: string | null;
  /** The output that identified the step (its first output when none did). */
  output: string;
  startMs: number;
  endMs: number;
}

const SIGNATURE = /^# ninja log v(\d+)\s*$/;
/** v6 and v7 keep the v5 row layout: v6 marked high-resolution mtimes, v7 a new command hash. */
const SUPPORTED_VERSIONS: ReadonlySet<number> = new Set([5, 6, 7]);
const DECIMAL = /^\d+$/;
const SIGNED_DECIMAL = /^-?\d+$/;
const HEX = /^[0-9a-fA-F]+$/;
const OBJECT_SUFFIXES = ['.o', '.obj', '.gch', '.pch'] as const;

/**
 * Parses `.ninja_log` versions 5, 6 and 7 (`start_ms end_ms mtime output hash`, tab-separated).
 * Ninja appends one row per output when a step finishes, so within a run end times never go back:
 * a new run starts where the end time goes back or where an output repeats. Rows of one step (same
 * start, end and hash) are merged into one step. A log that ninja recompacted keeps only the latest
 * row per output in hash order, so its runs are not meaningful. Never throws.
 */
export function parseNinjaLog(text: string): NinjaLog {
  const lines = text.split('\n');
  const header = SIGNATURE.exec(stripCr(lines[0] ?? ''));
  const version = header ? Number(header[1]) : null;
  if (version === null || !SUPPORTED_VERSIONS.has(version)) {
    return { version: null, runs: [], malformedLines: lines.filter((l) => stripCr(l).trim() !== '').length };
  }
  const runs: NinjaLogStep[][] = [];
  let malformedLines = 0;
  let run: NinjaLogStep[] = [];
  let stepsByKey = new Map<string, NinjaLogStep>();
  let outputsInRun = new Set<string>();
  let lastEndMs = -1;
  for (let i = 1; i < lines.length; i++) {
    const line = stripCr(lines[i] as string);
    if (line.trim() === '') continue;
    const row = parseRow(line);
    if (row === null) {
      malformedLines++;
      continue;
    }
    const key = `${row.startMs}\t${row.endMs}\t${row.hash}`;
    const sameStep = stepsByKey.get(key);
    if (sameStep !== undefined && !outputsInRun.has(row.output)) {
      sameStep.outputs.push(row.output);
      outputsInRun.add(row.output);
      continue;
    }
    if (row.endMs < lastEndMs || outputsInRun.has(row.output)) {
      runs.push(run);
      run = [];
      stepsByKey = new Map();
      outputsInRun = new Set();
    }
    const step: NinjaLogStep = { startMs: row.startMs, endMs: row.endMs, outputs: [row.output], hash: row.hash, mtime: row.mtime };
    run.push(step);
    stepsByKey.set(key, step);
    outputsInRun.add(row.output);
    lastEndMs = row.endMs;
  }
  if (run.length > 0) runs.push(run);
  return { version, runs, malformedLines };
}

/** What the caller saw of the build whose rows end the log. */
export interface BuildExtent {
  /** Steps the build finished, as its `[N/M]` status counted them (failed steps included). */
  stepsFinished?: number;
  /** How long the build ran in ms, from before ninja started until after it exited. */
  durationMs?: number;
}

/**
 * The steps of the build that wrote the end of the log, in log order. Ninja writes no run boundary:
 * each run appends its rows, timed from its own start, so a run whose first step ends no earlier
 * than the previous run's last one continues it unnoticed, and the last run of
 * {@link parseNinjaLog} may begin with steps of earlier runs. A build's rows are the end of the
 * file, so its steps are at most the last `stepsFinished` steps of the last run, and none of them
 * ends after `durationMs`: walking back from the end, a step that does belongs to an earlier run
 * and so does everything before it. Failed steps are counted by the status but never logged, so a
 * build with failures may keep as many earlier steps as it had failures.
 */
export function lastBuildSteps(log: NinjaLog, extent: BuildExtent = {}): NinjaLogStep[] {
  const run = log.runs[log.runs.length - 1] ?? [];
  const finished = extent.stepsFinished;
  const limit = finished !== undefined && Number.isFinite(finished) ? Math.min(run.length, Math.max(0, Math.floor(finished))) : run.length;
  const durationMs = extent.durationMs ?? Number.POSITIVE_INFINITY;
  let from = run.length;
  while (from > run.length - limit && run[from - 1]!.endMs <= durationMs) from--;
  return run.slice(from);
}

interface Row {
  startMs: number;
  endMs: number;
  mtime: string;
  output: string;
  hash: string;
}

function parseRow(line: string): Row | null {
  const fields = line.split('\t');
  if (fields.length !== 5) return null;
  const [start, end, mtime, output, hash] = fields as [string, string, string, string, string];
  if (!DECIMAL.test(start) || !DECIMAL.test(end) || !SIGNED_DECIMAL.test(mtime) || !HEX.test(hash) || output === '') return null;
  const startMs = Number(start);
  const endMs = Number(end);
  if (!Number.isSafeInteger(endMs) || endMs < startMs) return null;
  return { startMs, endMs, mtime, output, hash };
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/**
 * Per-step timings of one run (pass the last run for the current state of a build directory),
 * sorted by start. A step with an object output under `CMakeFiles/<target>.dir/` is a compile of
 * that target; other steps get source null and a target from `artifactTargets` (artifact path or
 * file name to target name, e.g. from the project model) when one of their outputs is listed.
 */
export function fileTimings(steps: readonly NinjaLogStep[], artifactTargets?: ReadonlyMap<string, string>): FileTiming[] {
  return steps
    .map((step) => timingOf(step, artifactTargets))
    .sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs || (a.output < b.output ? -1 : a.output > b.output ? 1 : 0));
}

function timingOf(step: NinjaLogStep, artifactTargets: ReadonlyMap<string, string> | undefined): FileTiming {
  const at = (target: string | null, source: string | null, output: string): FileTiming => ({
    target,
    source,
    output,
    startMs: step.startMs,
    endMs: step.endMs,
  });
  for (const output of step.outputs) {
    const parsed = parseCmakeObjectPath(output);
    if (parsed.target !== null && parsed.source !== null && OBJECT_SUFFIXES.some((s) => output.endsWith(s))) {
      return at(parsed.target, parsed.source, output);
    }
  }
  if (artifactTargets !== undefined) {
    for (const output of step.outputs) {
      const target = artifactTargets.get(output) ?? artifactTargets.get(baseName(output));
      if (target !== undefined) return at(target, null, output);
    }
  }
  const first = step.outputs[0] ?? '';
  return at(parseCmakeObjectPath(first).target, null, first);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
