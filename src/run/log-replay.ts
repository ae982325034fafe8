import type { BuildSnapshot } from '../core/engine.js';
import type { StampedLine } from '../core/log-format.js';
import { detectDialect } from '../core/parse/index.js';
import type { Dialect } from '../core/parse/types.js';
import { replayBuild, type ReplayResult } from '../core/replay.js';
import type { SessionProgress } from '../store/session-types.js';
import type { ProjectModel } from '../core/project-model.js';
import type { PriorTotal } from '../core/predict/live-estimate.js';
import type { WorkExpectations } from '../core/predict/work-expectations.js';

/** How many first lines are read to tell the output dialect of a log. */
const SNIFF_LINES = 50;

/** The live counters a session row keeps, from the engine's state and the last non-blank line. */
export function progressOf(snap: BuildSnapshot, lastLine: string | null): SessionProgress {
  return {
    progressPct: snap.progressPct, lineCount: snap.lineCount, warningCount: snap.warningCount, errorCount: snap.errorCount, lastLine,
    liveTotalMs: snap.predictedTotalMs, liveConfidence: snap.etaConfidence ?? null,
  };
}

export interface LogReplay {
  dialect: Dialect;
  replay: ReplayResult;
  progress: SessionProgress;
}

/**
 * Runs the lines of a recorded log through the engine, with its dialect told from the tool and the
 * first lines: what `import`, `replay` and the settling of a dead runner's session all need.
 */
export function replayLog(
  lines: readonly StampedLine[],
  build: { tool: string; jobs: number | null; startedMs: number; endedMs: number; exitCode: number | null },
  prediction: { priorTotalMs: number | null; fractions: readonly number[]; expectations?: WorkExpectations | null; prior?: PriorTotal | null; cores?: number | null },
  project: { model?: ProjectModel | null; historyFileCounts?: ReadonlyMap<string, number>; targets?: readonly string[]; ninjaStatusFormat?: string } = {},
): LogReplay {
  const dialect = detectDialect({ tool: build.tool as 'make' | 'cmake' | 'ninja' | 'unknown' }, lines.slice(0, SNIFF_LINES).map((l) => l.text));
  const replay = replayBuild({ dialect, ...build, endedMs: Math.max(build.endedMs, build.startedMs), lines, ...prediction, ...project });
  let lastLine: string | null = null;
  for (let i = lines.length - 1; i >= 0 && lastLine === null; i--) if ((lines[i] as StampedLine).text.trim() !== '') lastLine = (lines[i] as StampedLine).text;
  return { dialect, replay, progress: progressOf(replay.final, lastLine) };
}
