import { spawn, type ChildProcess } from 'node:child_process';
import { BuildEngine } from '../core/engine.js';
import { LineSplitter } from '../core/line-splitter.js';
import { lineText } from '../core/line-text.js';
import { joinShellWords } from '../core/shell-words.js';
import type { Dialect } from '../core/parse/types.js';
import { LogWriter } from '../store/log-writer.js';
import type { Store } from '../store/store.js';
import type { SessionRecord, SessionStatus } from '../store/session-types.js';
import { processCpuMs, processStartTime, signalGroup } from './proc.js';

/** How often live counters are written to the database; the log itself is written at once. */
const PROGRESS_FLUSH_MS = 1000;
/** After TERM, how long the build gets before KILL. */
export const DEFAULT_KILL_GRACE_MS = 5000;
/** After the build's main process exits, how long to wait for its output pipes to drain. */
const DRAIN_MS = 2000;

export interface RunnerOptions {
  dialect: Dialect;
  killGraceMs: number;
  now: () => number;
}

/**
 * Owns one build: spawns it in its own process group, stamps and appends every output line to the
 * log as it arrives, keeps the session row current, and records how it ended. Runs inside the
 * detached runner process, so the build outlives whoever asked for it.
 */
export function runSession(store: Store, session: SessionRecord, opts: RunnerOptions): Promise<SessionStatus> {
  return new Promise((resolve) => {
    const { sessions } = store;
    const log = LogWriter.create(session.logPath, {
      command: joinShellWords(session.command), cwd: session.cwd, jobs: session.jobs, target: session.target,
      sessionId: session.id, historyKey: session.historyKey, startedMs: session.startedMs,
    });
    const engine = new BuildEngine({
      dialect: opts.dialect, startedMs: session.startedMs, jobs: session.jobs, priorTotalMs: session.predictedMs,
    });
    let lastLine: string | null = null;
    let dirty = false;
    let cancelRequested = false;
    let finished = false;

    const progress = (): Parameters<typeof sessions.updateProgress>[1] => {
      const snap = engine.snapshot(opts.now());
      return { progressPct: snap.progressPct, lineCount: snap.lineCount, warningCount: snap.warningCount, errorCount: snap.errorCount, lastLine };
    };
    const onLines = (lines: Buffer[]): void => {
      if (lines.length === 0) return;
      const atMs = opts.now();
      log.appendLines(atMs, lines);
      for (const line of lines) {
        const text = lineText(line);
        engine.onLine(atMs, text);
        if (text.trim() !== '') lastLine = text;
      }
      dirty = true;
    };
    const flush = setInterval(() => {
      if (!dirty) return;
      dirty = false;
      sessions.updateProgress(session.id, progress(), opts.now());
    }, PROGRESS_FLUSH_MS);

    const finish = (status: SessionStatus & ('succeeded' | 'failed' | 'cancelled'), exitCode: number | null, signal: string | null, message: string | null): void => {
      if (finished) return;
      finished = true;
      clearInterval(flush);
      const endedMs = opts.now();
      engine.onExit(endedMs, exitCode, signal);
      log.finish({ endedMs, exitCode, status });
      log.close();
      // The runner has waited for the build, so its children's CPU time is the whole build tree's.
      const cpu = processCpuMs('self');
      sessions.finish(session.id, {
        status, endedMs, exitCode, signal, message, buildCpuMs: cpu?.childrenMs ?? null, runnerCpuMs: cpu?.selfMs ?? null,
      }, progress(), endedMs);
      resolve(status);
    };

    let child: ChildProcess;
    try {
      child = spawn(session.command[0] as string, session.command.slice(1), {
        cwd: session.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: process.env,
      });
    } catch (err) {
      finish('failed', 127, null, `could not start ${session.command[0]}: ${(err as Error).message}`);
      return;
    }
    const splitters = { out: new LineSplitter(), err: new LineSplitter() };
    child.stdout?.on('data', (chunk: Buffer) => onLines(splitters.out.push(chunk)));
    child.stderr?.on('data', (chunk: Buffer) => onLines(splitters.err.push(chunk)));
    child.on('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'ENOENT' ? 'command not found' : err.message;
      finish('failed', 127, null, `could not start ${session.command[0]}: ${why}`);
    });
    if (child.pid !== undefined) {
      const pgid = child.pid;
      sessions.markRunning(session.id, { runnerPid: process.pid, runnerStart: processStartTime(process.pid), buildPid: pgid }, opts.now());
      const cancel = (): void => {
        if (cancelRequested) return;
        cancelRequested = true;
        sessions.setMessage(session.id, 'cancel requested', opts.now());
        signalGroup(pgid, 'SIGTERM');
        setTimeout(() => signalGroup(pgid, 'SIGKILL'), opts.killGraceMs).unref();
      };
      for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, cancel);
      let exited: { code: number | null; signal: string | null } | null = null;
      const done = (): void => {
        if (!exited) return;
        onLines([...splitters.out.end(), ...splitters.err.end()]);
        if (cancelRequested) {
          signalGroup(pgid, 'SIGKILL');
          finish('cancelled', exited.code, exited.signal, 'cancelled');
        } else {
          const ok = exited.code === 0;
          finish(ok ? 'succeeded' : 'failed', exited.code, exited.signal, exited.signal ? `killed by ${exited.signal}` : null);
        }
      };
      child.on('exit', (code, signal) => {
        exited = { code, signal };
        setTimeout(done, DRAIN_MS).unref();
      });
      child.on('close', done);
    }
  });
}
