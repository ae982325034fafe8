import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBuildCommand, type BuildCommandInfo } from '../core/command.js';
import { detectDialect } from '../core/parse/index.js';
import type { Dialect } from '../core/parse/types.js';
import type { BuildPrediction } from '../core/predict/build-prediction.js';
import { adviseJobs, type JobAdvice } from '../core/predict/job-advice.js';
import { predictionContext } from './prediction-context.js';
import { BuildmonError } from '../store/errors.js';
import { finishOrphanLog } from '../store/log-writer.js';
import { parseLog } from '../core/log-reader.js';
import { replayLog } from './log-replay.js';
import { buildProcesses, signalProcesses } from './process-tree.js';
import type { SessionEnd, SessionProgress, SessionRecord } from '../store/session-types.js';
import type { Store } from '../store/store.js';
import { isSameProcessAlive, processStartTime } from './proc.js';
import { checkDirectory, isCmakeMakefileDir, readCmakeGenerator, resolveExecutable, resolvePhysical } from './resolve-command.js';

const RUNNER_MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'runner-main.js');
/** A session still `starting` with no runner after this long is considered lost. */
const START_TIMEOUT_MS = 30_000;

export interface StartRequest {
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface StartedSession {
  session: SessionRecord;
  info: BuildCommandInfo;
  dialect: Dialect;
  /** What history said before it started (same job count, scaled from others, or legacy records). */
  prediction: BuildPrediction;
  /** Which -j history advises for this target on this machine; its warnings say when the -j asked for would not fit in memory. */
  advice: JobAdvice;
}

/** Everything known about a build before it starts: validated command, key, dialect, prior. */
export interface PlannedBuild {
  argv: string[];
  cwd: string;
  projectDir: string;
  info: BuildCommandInfo;
  dialect: Dialect;
}

/** Validates a build request and works out its key and output dialect; throws BuildmonError. */
export function planBuild(req: StartRequest): PlannedBuild {
  if (req.argv.length === 0 || (req.argv[0] ?? '') === '') {
    throw new BuildmonError('empty-command', 'no build command given. Usage: buildmon run -- make -j4');
  }
  const cwd = checkDirectory(req.cwd, 'working directory');
  resolveExecutable(req.argv[0] as string, cwd, req.env.PATH);
  const first = parseBuildCommand(req.argv, { env: req.env, cores: os.availableParallelism() });
  if (!first.ok) throw new BuildmonError('bad-command', first.error);
  // Symlinks resolved: one build directory reached by two paths is one directory, for history and
  // for the check that nothing else builds there, whether the CLI or MCP started the build.
  const projectDir = resolvePhysical(first.info.buildDir ?? '.', cwd);
  const generator = readCmakeGenerator(projectDir);
  const parsed = first.info.driver === 'cmake'
    ? parseBuildCommand(req.argv, { env: req.env, cores: os.availableParallelism(), cmakeGenerator: generator })
    : first;
  if (!parsed.ok) throw new BuildmonError('bad-command', parsed.error);
  const cmakeGenerator = generator ?? (parsed.info.tool === 'make' && isCmakeMakefileDir(projectDir) ? 'make' : null);
  const dialect = detectDialect({ tool: parsed.info.tool, cmakeGenerator });
  return { argv: req.argv, cwd, projectDir, info: parsed.info, dialect };
}

/**
 * Records a new session and hands the build to a detached runner process, then returns at once.
 * The runner, not the caller, owns the build: the caller may exit and the build goes on.
 */
export async function startSession(store: Store, req: StartRequest, nowMs: number = Date.now()): Promise<StartedSession> {
  return launchPlannedSession(store, planBuild(req), req.env, null, nowMs);
}

/**
 * Records a planned build as a new session and launches its detached runner. The runner runs
 * `runCommand` when given (a wrapper that does more than the build, such as configure-then-build,
 * whose output goes to the same log), else the build itself; the session's command, key and
 * dialect are always the build's. Returns at once.
 */
export async function launchPlannedSession(
  store: Store, plan: PlannedBuild, env: NodeJS.ProcessEnv, runCommand: string[] | null, nowMs: number = Date.now(),
): Promise<StartedSession> {
  const ctx = predictionContext(store, { projectDir: plan.projectDir, target: plan.info.target, jobs: plan.info.jobs, beforeMs: nowMs, expectations: false });
  const { prediction } = ctx;
  const advice = adviseJobs(ctx.history, { target: plan.info.target, requestedJobs: plan.info.jobs, machine: ctx.machine });
  const id = newSessionId();
  const session: SessionRecord = {
    id, command: plan.argv, cwd: plan.cwd, projectDir: plan.projectDir, tool: plan.info.tool,
    target: plan.info.target, targets: plan.info.targets, jobs: plan.info.jobs, historyKey: plan.info.historyKey,
    hostname: os.hostname(), cores: os.availableParallelism(), memBytes: os.totalmem(), startedMs: nowMs,
    endedMs: null, exitCode: null, signal: null, status: 'starting', source: 'live',
    logPath: path.join(store.layout.logsDir, `${id}.log`), runnerPid: null, runnerStart: null, buildPid: null, buildStart: null,
    predictedMs: prediction.totalMs, progressPct: null, lineCount: 0, warningCount: 0, errorCount: 0,
    lastLine: null, message: null, buildCpuMs: null, runnerCpuMs: null, updatedMs: nowMs,
  };
  store.sessions.insert(session);
  const spec = JSON.stringify({ command: runCommand ?? plan.argv, cwd: plan.cwd });
  const runnerPid = await launchRunner([process.execPath, RUNNER_MAIN, store.layout.home, id, plan.dialect, spec], {
    cwd: plan.cwd, env, errPath: path.join(store.layout.logsDir, `${id}.runner.err`),
  });
  if (runnerPid !== null) store.sessions.setRunner(id, runnerPid, processStartTime(runnerPid), Date.now());
  return { session: store.sessions.get(id) ?? session, info: plan.info, dialect: plan.dialect, prediction, advice };
}

/**
 * Starts the runner as a grandchild through a short-lived shell (`cmd & echo $!`), in a session of
 * its own: it is never our child, so it outlives us, no terminal signal reaches it, and its CPU
 * time (and its build's) is never counted as ours. Resolves with its pid, or null if the shell
 * could not start it.
 */
function launchRunner(argv: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; errPath: string }): Promise<number | null> {
  return new Promise((resolve) => {
    const script = 'log=$1; shift; "$@" </dev/null >>"$log" 2>&1 & echo $!';
    const sh = spawn('/bin/sh', ['-c', script, 'buildmon-launch', opts.errPath, ...argv], {
      cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    sh.stdout.on('data', (d: Buffer) => (out += d.toString('latin1')));
    sh.on('error', () => resolve(null));
    sh.on('close', () => {
      const pid = Number(out.trim());
      resolve(Number.isInteger(pid) && pid > 0 ? pid : null);
    });
  });
}

function newSessionId(): string {
  return crypto.randomBytes(5).readUIntBE(0, 5).toString(36).padStart(8, '0').slice(-8);
}

/**
 * Settles every active session of this machine whose runner is gone. If the runner wrote the end
 * into the log before dying, that end is recorded; otherwise the session is `lost`, with counters
 * from everything its log holds, and any build processes it left behind are stopped. Every command
 * calls this first.
 */
export function reconcileLost(store: Store, nowMs: number = Date.now()): SessionRecord[] {
  const settled: SessionRecord[] = [];
  const here = os.hostname();
  for (const s of store.sessions.list({ activeOnly: true, limit: 1000 })) {
    if (s.hostname !== here) continue;
    const gone = s.runnerPid === null ? nowMs - s.updatedMs > START_TIMEOUT_MS : !isSameProcessAlive(s.runnerPid, s.runnerStart);
    if (!gone) continue;
    stopLeftovers(s);
    const outcome = outcomeFromLog(s);
    if (store.sessions.finish(s.id, outcome.end, outcome.progress, nowMs)) settled.push(store.sessions.get(s.id) ?? s);
  }
  return settled;
}

/** Stops what an orphaned build left running; without the leader's start time, nothing is risked. */
function stopLeftovers(s: SessionRecord): void {
  if (s.buildPid === null || s.buildStart === null) return;
  signalProcesses(buildProcesses(s.buildPid, s.buildStart), 'SIGKILL');
}

/** How a session whose runner died ended, from its log: the end the runner wrote, or `lost`. */
function outcomeFromLog(s: SessionRecord): { end: SessionEnd; progress: SessionProgress | null } {
  let data: Buffer | null = null;
  try {
    data = fs.readFileSync(s.logPath);
  } catch {
    data = null;
  }
  const lostEnd = (endedMs: number): SessionEnd => ({
    status: 'lost', endedMs, exitCode: null, signal: null,
    message: `the runner process${s.runnerPid ? ` (pid ${s.runnerPid})` : ''} died before the build ended; everything up to then is in the log`,
  });
  if (data === null) return { end: lostEnd(s.updatedMs), progress: null };
  const log = parseLog(data);
  const written = (log.header.extra.status ?? '').trim();
  const endedMs = log.header.endedMs ?? log.lines.at(-1)?.atMs ?? s.updatedMs;
  const { progress } = replayLog(log.lines,
    { tool: s.tool, jobs: s.jobs, startedMs: s.startedMs, endedMs, exitCode: log.header.exitCode },
    { priorTotalMs: null, fractions: [] });
  if (written === 'succeeded' || written === 'failed' || written === 'cancelled') {
    const signal = (log.header.extra.signal ?? '').trim() || null;
    return { end: { status: written, endedMs, exitCode: log.header.exitCode, signal, message: null }, progress };
  }
  finishOrphanLog(s.logPath, { endedMs, exitCode: null, status: 'lost' });
  return { end: lostEnd(endedMs), progress };
}

/** Finds a session by id or unique id prefix; throws a BuildmonError that lists what exists. */
export function resolveSession(store: Store, idOrPrefix: string): SessionRecord {
  const exact = store.sessions.get(idOrPrefix);
  if (exact) return exact;
  const matches = idOrPrefix.length >= 2 ? store.sessions.findByPrefix(idOrPrefix) : [];
  if (matches.length === 1) return matches[0] as SessionRecord;
  const recent = store.sessions.list({ limit: 5 }).map((s) => s.id).join(', ') || 'none';
  if (matches.length > 1) {
    throw new BuildmonError('ambiguous-session', `'${idOrPrefix}' matches several sessions: ${matches.map((s) => s.id).join(', ')}`);
  }
  throw new BuildmonError('no-such-session', `no session '${idOrPrefix}'. Recent sessions: ${recent} (see: buildmon sessions)`);
}

export type CancelOutcome = 'requested' | 'already-ended' | 'lost';

/** Asks a session's runner to stop its build (TERM to the whole group, KILL after a grace period). */
export function requestCancel(store: Store, session: SessionRecord): CancelOutcome {
  if (session.status !== 'starting' && session.status !== 'running') return 'already-ended';
  const status = store.sessions.requestCancel(session.id, Date.now());
  if (status !== 'starting' && status !== 'running') return 'already-ended';
  // A runner still starting may not listen for signals yet (Node resets them at start-up); it
  // reads the request from the session as soon as it marks itself running.
  const runner = store.sessions.get(session.id) ?? session;
  if (status === 'starting' && (runner.runnerPid === null || isSameProcessAlive(runner.runnerPid, runner.runnerStart))) return 'requested';
  if (runner.runnerPid !== null && isSameProcessAlive(runner.runnerPid, runner.runnerStart)) {
    try {
      process.kill(runner.runnerPid, 'SIGTERM');
      return 'requested';
    } catch {
      // It ended just now; settle it below.
    }
  }
  reconcileLost(store);
  return 'lost';
}

/** Polls the store until the session has ended; resolves with its final record. */
export async function waitForEnd(store: Store, id: string, pollMs = 200, timeoutMs = Infinity): Promise<SessionRecord | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = store.sessions.get(id);
    if (!s) return null;
    if (s.status !== 'starting' && s.status !== 'running') return s;
    if (Date.now() >= deadline) return s;
    reconcileLost(store);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
