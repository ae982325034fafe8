import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseBuildCommand } from '../core/command.js';
import { parseLog } from '../core/log-reader.js';
import type { LogHeader } from '../core/log-format.js';
import type { Dialect } from '../core/parse/types.js';
import { DEFAULT_FRACTIONS, type ReplayResult } from '../core/replay.js';
import { splitShellWords } from '../core/shell-words.js';
import { BuildmonError } from '../store/errors.js';
import type { SessionRecord, SessionStatus } from '../store/session-types.js';
import type { Store } from '../store/store.js';
import { replayLog } from './log-replay.js';
import { sessionPredictionContext } from './prediction-context.js';
import { priorTotalOf, type BuildPrediction } from '../core/predict/build-prediction.js';
import { projectModelFor } from './project-packages.js';
import { exactFileRuns, fileCountsOf } from './file-history.js';
import { isDirectory } from './resolve-command.js';

/** Values given on the command line for logs whose header lacks them (they win over the header). */
export interface IngestOverrides {
  jobs?: number;
  target?: string;
  command?: string;
  cwd?: string;
}

/** A log read back and run through the engine, ready to print or record. */
export interface IngestedLog {
  file: string;
  session: SessionRecord;
  dialect: Dialect;
  /** The predictor's total at the build's start: `predicted_ms_at_start`. */
  priorMs: number | null;
  /** What history said before the build, and on what basis. */
  prediction: BuildPrediction;
  replay: ReplayResult;
  problemCount: number;
  /** 'recorded' now, 'already' (same session or identical import exists), or 'skipped' (--no-record). */
  recorded: 'recorded' | 'already' | 'skipped';
}

const END_STATUSES: readonly SessionStatus[] = ['succeeded', 'failed', 'cancelled', 'lost'];

/**
 * Reads one timestamped log, replays it through the engine in virtual time with a prediction from
 * the history recorded before it, and (when `record`) records it so later logs can learn from it.
 */
export function ingestLog(store: Store, file: string, overrides: IngestOverrides, record: boolean): IngestedLog {
  const full = path.resolve(file);
  let data: Buffer;
  try {
    data = fs.readFileSync(full);
  } catch (err) {
    throw new BuildmonError('bad-log', `cannot read log ${full}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const parsed = parseLog(data);
  const h = parsed.header;
  const first = parsed.lines[0];
  const last = parsed.lines[parsed.lines.length - 1];
  const startedMs = h.startedMs ?? first?.atMs ?? null;
  if (startedMs === null) {
    throw new BuildmonError('bad-log', `${full}: no '# started:' header and no stamped line; give up on this file (is it a build log?)`);
  }
  const endedMs = Math.max(startedMs, h.endedMs ?? last?.atMs ?? startedMs);
  const session = sessionFromHeader(full, h, overrides, startedMs, endedMs);
  const ctx = sessionPredictionContext(store, session);
  const prior = priorTotalOf(ctx.prediction);
  const model = isDirectory(session.cwd) ? projectModelFor(store, session.projectDir) : null;
  const historyFileCounts = fileCountsOf(store.details.packageHistory(session.projectDir));
  const { dialect, replay, progress } = replayLog(parsed.lines,
    { tool: session.tool, jobs: session.jobs, startedMs, endedMs, exitCode: session.exitCode },
    { priorTotalMs: prior?.totalMs ?? null, fractions: DEFAULT_FRACTIONS, prior, expectations: ctx.expectations, cores: session.cores > 0 ? session.cores : null },
    { model, historyFileCounts, targets: session.targets, ninjaStatusFormat: ninjaStatusOf(h) });
  const priorMs = replay.predictedAtStartMs;
  Object.assign(session, { predictedMs: priorMs, ...progress });
  let recorded: IngestedLog['recorded'] = 'skipped';
  if (record) recorded = recordSession(store, session);
  if (recorded === 'recorded') {
    store.details.saveOutcome(session.id, { packages: replay.packages, files: replay.files, diagnostics: replay.diagnostics });
    const exact = siblingNinjaLog(full, startedMs, { stepsFinished: replay.final.stepsDone ?? undefined, buildEndedMs: endedMs });
    if (exact !== null) store.details.replaceFileRunsExact(session.id, exact);
  }
  return { file: full, session, dialect, priorMs, prediction: ctx.prediction, replay, problemCount: parsed.problemCount, recorded };
}

function sessionFromHeader(file: string, h: LogHeader, o: IngestOverrides, startedMs: number, endedMs: number): SessionRecord {
  const commandText = o.command ?? h.command ?? '';
  const split = splitShellWords(commandText);
  const argv = split.ok ? split.words : commandText.split(/\s+/).filter(Boolean);
  const parsed = argv.length > 0 ? parseBuildCommand(argv, { env: {}, cores: os.availableParallelism() }) : null;
  const info = parsed?.ok ? parsed.info : null;
  const jobs = o.jobs ?? h.jobs ?? info?.jobs ?? null;
  const target = o.target ?? h.target ?? info?.target ?? 'all';
  const cwd = o.cwd ?? h.cwd ?? path.dirname(file);
  const exitCode = h.exitCode;
  const statusExtra = (h.extra.status ?? '').trim() as SessionStatus;
  const status: SessionStatus = END_STATUSES.includes(statusExtra) ? statusExtra : exitCode === 0 ? 'succeeded' : exitCode !== null ? 'failed' : 'lost';
  const id = (h.extra.session ?? '').trim() || importId(cwd, startedMs, commandText);
  return {
    id, command: argv.length > 0 ? argv : [commandText], cwd, projectDir: path.resolve(cwd, info?.buildDir ?? '.'),
    tool: info?.tool ?? 'unknown', target, targets: target.split('+'), jobs,
    historyKey: historyKeyOf(h, o, target, jobs, info?.jobsUnlimited === true),
    hostname: h.extra.hostname ?? 'unknown', cores: Number(h.extra.cores) || 0, memBytes: Number(h.extra.mem_bytes) || 0,
    startedMs, endedMs, exitCode, signal: h.extra.signal?.trim() || null, status, source: 'import', logPath: file,
    runnerPid: null, runnerStart: null, buildPid: null, buildStart: null, predictedMs: null, progressPct: null, lineCount: 0,
    warningCount: 0, errorCount: 0, lastLine: null, message: null, buildCpuMs: null, runnerCpuMs: null, updatedMs: endedMs,
  };
}

/** The key the log was recorded under (buildmon writes it), unless overrides or a bare log say otherwise. */
function historyKeyOf(h: LogHeader, o: IngestOverrides, target: string, jobs: number | null, unlimited: boolean): string {
  const written = (h.extra.history_key ?? '').trim();
  if (written !== '' && o.jobs === undefined && o.target === undefined) return written;
  if (jobs !== null) return `${target}_j${jobs}`;
  return unlimited ? `${target}_junlimited` : target;
}

/** The NINJA_STATUS a log's build ran with, as its header records it (a JSON string); undefined when not recorded. */
export function ninjaStatusOf(h: LogHeader): string | undefined {
  const raw = h.extra.ninja_status;
  if (raw === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** `x.ninja_log` beside `x.log`: the exact file times of the build, when it was kept with the log. */
function siblingNinjaLog(logFile: string, startedMs: number, seen: { stepsFinished?: number; buildEndedMs: number }): ReturnType<typeof exactFileRuns> {
  const sibling = logFile.replace(/\.log$/, '') + '.ninja_log';
  if (sibling === logFile) return null;
  try {
    return exactFileRuns(fs.readFileSync(sibling, 'utf8'), startedMs, undefined, seen);
  } catch {
    return null;
  }
}

/** A stable id for a log that has none: the same log imported twice gets the same id. */
function importId(cwd: string, startedMs: number, command: string): string {
  return 'i' + crypto.createHash('sha1').update(`${cwd}\0${startedMs}\0${command}`).digest('hex').slice(0, 7);
}

function recordSession(store: Store, s: SessionRecord): IngestedLog['recorded'] {
  if (store.sessions.get(s.id)) return 'already';
  if (store.sessions.findImported(s.cwd, s.startedMs, s.command)) return 'already';
  store.sessions.insert(s);
  return 'recorded';
}
