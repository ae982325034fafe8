import { BuildEngine, type BuildSnapshot, type EngineOptions } from './engine.js';
import type { PackageState } from './packages/package-state.js';
import type { FileRun } from './packages/package-tracker.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';

/** One line of a recorded build: arrival time (epoch ms) and text. */
export interface ReplayLine {
  atMs: number;
  text: string;
}

/** A recorded build: the engine's options (see {@link EngineOptions}), its lines, and how it ended. */
export interface ReplayInput extends EngineOptions {
  endedMs: number;
  exitCode: number | null;
  lines: readonly ReplayLine[];
  /** Fractions of the build's wall time at which to record what the engine would have shown. */
  fractions?: readonly number[];
}

/** What the engine knew at a fraction of the build's wall time. */
export interface Checkpoint {
  fraction: number;
  elapsedMs: number;
  progressPct: number | null;
  predictedTotalMs: number | null;
}

export interface ReplayResult {
  final: BuildSnapshot;
  /** What the engine predicted before the first line (from the prior and the expectations); null with neither. */
  predictedAtStartMs: number | null;
  checkpoints: Checkpoint[];
  /** Every package seen (or known from the model), with its final state. */
  packages: PackageState[];
  files: FileRun[];
  diagnostics: Diagnostic[];
}

export const DEFAULT_FRACTIONS: readonly number[] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/**
 * Runs a recorded build through the same engine a live build uses, in virtual time: the clock is
 * the lines' own stamps, so the result is exact and repeatable.
 */
export function replayBuild(input: ReplayInput): ReplayResult {
  const engine = new BuildEngine({
    dialect: input.dialect, startedMs: input.startedMs, jobs: input.jobs, priorTotalMs: input.priorTotalMs,
    model: input.model ?? null, historyFileCounts: input.historyFileCounts, targets: input.targets,
    ninjaStatusFormat: input.ninjaStatusFormat, expectations: input.expectations ?? null, prior: input.prior ?? null,
    cores: input.cores ?? null,
  });
  const predictedAtStartMs = engine.snapshot(input.startedMs).predictedTotalMs;
  const durationMs = Math.max(0, input.endedMs - input.startedMs);
  const fractions = input.fractions ?? DEFAULT_FRACTIONS;
  const checkpoints: Checkpoint[] = [];
  let next = 0;
  const takeUpTo = (atMs: number): void => {
    while (next < fractions.length) {
      const fraction = fractions[next] as number;
      const elapsedMs = Math.round(fraction * durationMs);
      if (input.startedMs + elapsedMs >= atMs) return;
      const snap = engine.snapshot(input.startedMs + elapsedMs);
      checkpoints.push({ fraction, elapsedMs, progressPct: snap.progressPct, predictedTotalMs: snap.predictedTotalMs });
      next++;
    }
  };
  for (const line of input.lines) {
    takeUpTo(line.atMs);
    engine.onLine(line.atMs, line.text);
  }
  takeUpTo(Number.POSITIVE_INFINITY);
  engine.onExit(input.endedMs, input.exitCode, null);
  return { final: engine.snapshot(input.endedMs), predictedAtStartMs, checkpoints, packages: engine.packages(input.endedMs), files: engine.fileRuns(), diagnostics: engine.diagnostics() };
}
