import { fileTimings, lastBuildSteps, parseNinjaLog } from '../core/ninja-log.js';
import type { PackageHistory } from '../store/build-detail-store.js';

/** A compiled file with exact times, ready for the file history. */
export interface ExactFileRun {
  package: string | null;
  source: string;
  startedMs: number;
  endedMs: number;
}

/** What the runner saw of the build, to tell its rows of `.ninja_log` from earlier runs'. */
export interface BuildSeen {
  /** Steps ninja reported finished (the last `[N/M]`'s N). */
  stepsFinished?: number;
  /** When the build ended, in ms since the epoch (same clock as `buildStartedMs`). */
  buildEndedMs?: number;
}

/**
 * The compiled files of the build that wrote the end of a `.ninja_log` text, with exact times made
 * absolute by the build's start (ninja's times count from its own start, a few ms after ours).
 * Ninja marks no run boundary in the file, so steps of earlier runs are told apart by what the
 * runner saw (see `lastBuildSteps`): at most the last `stepsFinished` steps, none ending after the
 * build's duration. Null when the text holds no run; empty when none of its steps is this build's.
 */
export function exactFileRuns(
  ninjaLogText: string, buildStartedMs: number, artifactTargets?: ReadonlyMap<string, string>, options: BuildSeen = {},
): ExactFileRun[] | null {
  const log = parseNinjaLog(ninjaLogText);
  const last = log.runs[log.runs.length - 1];
  if (!last || last.length === 0) return null;
  const durationMs = options.buildEndedMs === undefined ? undefined : options.buildEndedMs - buildStartedMs;
  const steps = lastBuildSteps(log, { stepsFinished: options.stepsFinished, durationMs });
  return fileTimings(steps, artifactTargets)
    .filter((t) => t.source !== null)
    .map((t) => ({ package: t.target, source: t.source!, startedMs: buildStartedMs + t.startMs, endedMs: buildStartedMs + t.endMs }));
}

/** Files per package in its last completed build, for packages the project model does not count. */
export function fileCountsOf(history: ReadonlyMap<string, PackageHistory>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, h] of history) if (h.lastFiles > 0) out.set(name, h.lastFiles);
  return out;
}
