import { fileTimings, parseNinjaLog } from '../core/ninja-log.js';
import type { PackageHistory } from '../store/build-detail-store.js';

/** A compiled file with exact times, ready for the file history. */
export interface ExactFileRun {
  package: string | null;
  source: string;
  startedMs: number;
  endedMs: number;
}

/**
 * The compiled files of the last ninja run recorded in a `.ninja_log` text, with exact times made
 * absolute by the build's start (ninja's times count from its own start, a few ms after ours).
 * Null when the text holds no run.
 */
export function exactFileRuns(ninjaLogText: string, buildStartedMs: number, artifactTargets?: ReadonlyMap<string, string>): ExactFileRun[] | null {
  const log = parseNinjaLog(ninjaLogText);
  const last = log.runs[log.runs.length - 1];
  if (!last || last.length === 0) return null;
  return fileTimings(last, artifactTargets)
    .filter((t) => t.source !== null)
    .map((t) => ({ package: t.target, source: t.source!, startedMs: buildStartedMs + t.startMs, endedMs: buildStartedMs + t.endMs }));
}

/** Files per package in its last completed build, for packages the project model does not count. */
export function fileCountsOf(history: ReadonlyMap<string, PackageHistory>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, h] of history) if (h.lastFiles > 0) out.set(name, h.lastFiles);
  return out;
}
