import fs from 'node:fs';
import path from 'node:path';
import { describeJobs } from '../../core/command.js';
import type { BuildEngine } from '../../core/engine.js';
import { lineText } from '../../core/raw-line.js';
import type { Dialect } from '../../core/parse/types.js';
import { formatDuration, formatEta } from '../../core/format.js';
import { LogFollower } from '../../store/log-follower.js';
import { BuildmonError } from '../../store/errors.js';
import type { SessionRecord } from '../../store/session-types.js';
import { reconcileLost, requestCancel, startSession } from '../../run/session-manager.js';
import { buildProcesses, signalProcesses } from '../../run/process-tree.js';
import type { CliCommand, CliContext } from '../command.js';
import { LiveView } from '../live-view.js';
import { renderSummary, sessionExitCode } from '../summary.js';
import { PassthroughView, type BuildView } from '../view.js';

const USAGE = `Usage: buildmon run [options] [--] <build command...>

Runs a build (make, cmake --build, ninja) exactly as it would run alone, and records it: a session
with its history key (<target>_j<jobs>), a timestamped log, duration and exit code. The build is
owned by a background runner: if this command is killed, the build goes on and is still recorded.

Examples:
  buildmon run -- make -j4
  buildmon run -- cmake --build build -j 4
  buildmon run --detach -- ninja -C build

Options:
  -v, --verbose     on a terminal, print every output line above the live window
  -d, --detach      start the build in the background, print its session id and return at once
      --json        with --detach: print the session as JSON
  -q, --quiet       no summary line at the end
      --cwd DIR     run the build in DIR (default: the current directory)
  -h, --help        this help

Exit code: the build's own (128+N when killed by signal N, 130 when cancelled, 127 when the
command cannot be found, 2 for a bad invocation).
Ctrl-C cancels the build (TERM to its whole process tree, KILL after a grace period); press it
again to kill at once.`;

interface RunFlags {
  verbose: boolean;
  detach: boolean;
  json: boolean;
  quiet: boolean;
  cwd: string | null;
  help: boolean;
  argv: string[];
}

function parseRunArgs(args: string[]): RunFlags {
  const flags: RunFlags = { verbose: false, detach: false, json: false, quiet: false, cwd: null, help: false, argv: [] };
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--') { i++; break; }
    if (!a.startsWith('-')) break;
    if (a === '-v' || a === '--verbose') flags.verbose = true;
    else if (a === '-d' || a === '--detach') flags.detach = true;
    else if (a === '--json') flags.json = true;
    else if (a === '-q' || a === '--quiet') flags.quiet = true;
    else if (a === '-h' || a === '--help') flags.help = true;
    else if (a === '--cwd' || a.startsWith('--cwd=')) {
      const v = a === '--cwd' ? args[++i] : a.slice(6);
      if (!v) throw new BuildmonError('bad-usage', 'run: --cwd needs a directory');
      flags.cwd = v;
    } else throw new BuildmonError('bad-usage', `run: unknown option '${a}' (put the build command after --)\nSee: buildmon run --help`);
  }
  flags.argv = args.slice(i);
  return flags;
}

export const runCommand: CliCommand = {
  name: 'run',
  usage: USAGE,
  async run(args: string[], ctx: CliContext): Promise<number> {
    const flags = parseRunArgs(args);
    if (flags.help) {
      ctx.stdout.write(USAGE + '\n');
      return 0;
    }
    const store = ctx.store();
    const cwd = path.resolve(ctx.cwd, flags.cwd ?? '.');
    // Ctrl-C while the session starts must still reach the build once it exists.
    let interruptedEarly = false;
    const onEarlyInterrupt = (): void => void (interruptedEarly = true);
    process.on('SIGINT', onEarlyInterrupt);
    let started: Awaited<ReturnType<typeof startSession>>;
    try {
      started = await startSession(store, { argv: flags.argv, cwd, env: ctx.env });
    } finally {
      process.off('SIGINT', onEarlyInterrupt);
    }
    const { session } = started;
    if (flags.detach) {
      if (flags.json) ctx.stdout.write(JSON.stringify({ session_id: session.id, history_key: session.historyKey, log_path: session.logPath, predicted_ms: session.predictedMs }) + '\n');
      else ctx.stdout.write(`${session.id}\n`);
      return 0;
    }
    const tty = ctx.stdout.isTTY === true;
    const view: BuildView = tty
      ? new LiveView(ctx.stdout, { title: session.historyKey, verbose: flags.verbose, frameMs: 100, now: Date.now, columns: () => ctx.stdout.columns || Number(ctx.env.COLUMNS) || 80 })
      : new PassthroughView(ctx.stdout, ctx.stderr);
    if (tty) {
      const p = started.prediction;
      const expected = p.totalMs !== null
        ? `expected ${formatDuration(p.totalMs)} (ETA ${formatEta(p.totalMs, Date.now())}; ${p.explanation}, confidence ${p.confidence.toFixed(2)})`
        : 'no history for this target yet';
      ctx.stderr.write(`buildmon: ${session.id} · ${session.historyKey} · ${describeJobs(started.info)} · ${expected}\n`);
      for (const w of started.advice.recommendations.filter((r) => r.startsWith('Warning: '))) ctx.stderr.write(`buildmon: ${w}\n`);
    }
    const final = await follow(ctx, session, started.dialect, view, tty, interruptedEarly);
    if (!flags.quiet) ctx.stderr.write(renderSummary(final, { color: ctx.stderr.isTTY === true }) + '\n');
    return sessionExitCode(final);
  },
};

/** How often the session row is read to notice a runner that died (a normal end is marked in the log). */
const STATUS_CHECK_MS = 1000;
/** How often the live window's clock moves when the build is silent. */
const CLOCK_TICK_MS = 250;
/** Without inotify, how often the log is read. */
const POLL_MS = 100;
/** Output arrives in bursts: after a change, wait this long so one read takes the whole burst. */
const COALESCE_MS = 20;

/** Wakes the follower whenever the log (or the logs folder, before the log exists) changes. */
interface LogWatch {
  /** False without inotify, or after the watch failed: the follower then polls. */
  readonly alive: boolean;
  close(): void;
}

function watchLog(logPath: string, onChange: () => void): LogWatch {
  const name = path.basename(logPath);
  const stem = name.replace(/\.log$/, '.');
  const state = { alive: false, close: (): void => {} };
  try {
    const w = fs.watch(path.dirname(logPath), { persistent: false }, (_event, file) => {
      if (file === null || file === name || file.toString().startsWith(stem)) onChange();
    });
    w.on('error', () => {
      state.alive = false;
      w.close();
    });
    state.alive = true;
    state.close = () => w.close();
  } catch {
    // No inotify here: poll.
  }
  return state;
}

/**
 * The engine behind the live window, with the project's packages. Loaded only for a terminal:
 * passthrough copies bytes and need not pay for parsing or reading the project.
 */
async function liveEngine(store: ReturnType<CliContext['store']>, session: SessionRecord, dialect: Dialect, env: NodeJS.ProcessEnv): Promise<BuildEngine> {
  const [{ BuildEngine: Engine }, { loadProject }] = await Promise.all([import('../../core/engine.js'), import('../../run/build-outcome.js')]);
  const project = loadProject(store, session);
  return new Engine({
    dialect, startedMs: session.startedMs, jobs: session.jobs, priorTotalMs: session.predictedMs, ...project.eta,
    model: project.model, historyFileCounts: project.fileCounts, targets: session.targets, ninjaStatusFormat: env.NINJA_STATUS,
  });
}

/** Shows the build as its runner records it, until it ends; Ctrl-C cancels, twice kills. */
async function follow(ctx: CliContext, session: SessionRecord, dialect: Dialect, view: BuildView, live: boolean, interrupted: boolean): Promise<SessionRecord> {
  const store = ctx.store();
  const follower = new LogFollower(session.logPath);
  const engine = live ? await liveEngine(store, session, dialect, ctx.env) : null;
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    const current = store.sessions.get(session.id) ?? session;
    if (interrupts === 1) {
      ctx.stderr.write(`\nbuildmon: cancelling ${session.id} (Ctrl-C again to kill at once)\n`);
      requestCancel(store, current);
    } else if (current.buildPid !== null) {
      signalProcesses(buildProcesses(current.buildPid, current.buildStart), 'SIGKILL');
    }
  };
  process.on('SIGINT', onSigint);
  if (interrupted) onSigint();

  // Only the live window needs the engine; passthrough just copies bytes.
  const pump = (): void => {
    for (const line of follower.poll()) {
      if (engine) {
        const text = lineText(line.raw);
        view.line(line, text, engine.onLine(line.atMs, text));
      } else view.line(line, '', 'routine');
    }
    if (engine) view.update(engine.snapshot(Date.now()));
  };
  // Wake on every change of the log (inotify), with a slow timer for the end and for live-window
  // clocks: an idle build costs next to nothing to watch.
  let wake: (() => void) | null = null;
  const watcher = watchLog(session.logPath, () => wake?.());
  try {
    let lastCheck = 0;
    let lastReconcile = Date.now();
    for (;;) {
      pump();
      const now = Date.now();
      if (follower.ended || now - lastCheck >= STATUS_CHECK_MS) {
        lastCheck = now;
        const s = store.sessions.get(session.id);
        if (s?.liveResources) view.resources?.(s.liveResources);
        if (s && s.status !== 'starting' && s.status !== 'running') {
          pump();
          engine?.onExit(s.endedMs ?? now, s.exitCode, s.signal);
          if (engine) view.update(engine.snapshot(s.endedMs ?? now));
          view.finish();
          return s;
        }
        // A runner that died, even after marking its log complete, is settled by reconciling.
        if (now - lastReconcile >= STATUS_CHECK_MS) {
          lastReconcile = now;
          reconcileLost(store);
        }
      }
      const idleMs = follower.ended ? COALESCE_MS : !watcher.alive ? POLL_MS : engine ? CLOCK_TICK_MS : STATUS_CHECK_MS;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, idleMs);
        wake = (): void => {
          clearTimeout(timer);
          setTimeout(resolve, COALESCE_MS);
        };
      });
      wake = null;
    }
  } finally {
    process.off('SIGINT', onSigint);
    watcher.close();
    follower.close();
  }
}
