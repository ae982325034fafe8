import path from 'node:path';
import { BuildEngine } from '../../core/engine.js';
import { lineText } from '../../core/line-text.js';
import type { Dialect } from '../../core/parse/types.js';
import { formatDuration, formatEta } from '../../core/format.js';
import { LogFollower } from '../../store/log-follower.js';
import { BuildmonError } from '../../store/errors.js';
import type { SessionRecord } from '../../store/session-types.js';
import { reconcileLost, requestCancel, startSession } from '../../run/session-manager.js';
import { signalGroup } from '../../run/proc.js';
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
  summary: 'run a build and record it (live window on a terminal)',
  usage: USAGE,
  async run(args: string[], ctx: CliContext): Promise<number> {
    const flags = parseRunArgs(args);
    if (flags.help) {
      ctx.stdout.write(USAGE + '\n');
      return 0;
    }
    const store = ctx.store();
    const cwd = path.resolve(ctx.cwd, flags.cwd ?? '.');
    const started = startSession(store, { argv: flags.argv, cwd, env: ctx.env });
    const { session } = started;
    if (flags.detach) {
      if (flags.json) ctx.stdout.write(JSON.stringify({ session_id: session.id, history_key: session.historyKey, log_path: session.logPath, predicted_ms: session.predictedMs }) + '\n');
      else ctx.stdout.write(`${session.id}\n`);
      return 0;
    }
    const tty = ctx.stdout.isTTY === true;
    const view: BuildView = tty
      ? new LiveView(ctx.stdout, { title: session.historyKey, verbose: flags.verbose, frameMs: 100, now: Date.now, columns: () => ctx.stdout.columns || Number(ctx.env.COLUMNS) || 80 })
      : new PassthroughView(ctx.stdout);
    if (tty && started.prior) {
      ctx.stderr.write(`buildmon: ${session.id} · ${session.historyKey} · expected ${formatDuration(started.prior.totalMs)} (ETA ${formatEta(started.prior.totalMs, Date.now())}, from ${started.prior.samples} build${started.prior.samples === 1 ? '' : 's'})\n`);
    }
    const final = await follow(ctx, session, started.dialect, view);
    if (final.status === 'running') return sessionExitCode(final);
    if (!flags.quiet) ctx.stderr.write(renderSummary(final, { color: ctx.stderr.isTTY === true }) + '\n');
    return sessionExitCode(final);
  },
};

/** Shows the build as its runner records it, until it ends; Ctrl-C cancels, twice kills. */
async function follow(ctx: CliContext, session: SessionRecord, dialect: Dialect, view: BuildView): Promise<SessionRecord> {
  const store = ctx.store();
  const follower = new LogFollower(session.logPath);
  const engine = new BuildEngine({ dialect, startedMs: session.startedMs, jobs: session.jobs, priorTotalMs: session.predictedMs });
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    const current = store.sessions.get(session.id) ?? session;
    if (interrupts === 1) {
      ctx.stderr.write(`\nbuildmon: cancelling ${session.id} (Ctrl-C again to kill at once)\n`);
      requestCancel(store, current);
    } else if (current.buildPid !== null) {
      signalGroup(current.buildPid, 'SIGKILL');
    }
  };
  process.on('SIGINT', onSigint);
  // Whoever reads our output went away (`buildmon run -- make | head`): the build is the runner's
  // and goes on; stop showing it.
  let outputClosed = false;
  const onOutputError = (err: NodeJS.ErrnoException): void => {
    if (err.code !== 'EPIPE') throw err;
    outputClosed = true;
  };
  ctx.stdout.on('error', onOutputError);
  const pump = (): void => {
    for (const { atMs, raw } of follower.poll()) {
      const text = lineText(raw);
      view.line(raw, text, engine.onLine(atMs, text));
    }
    view.update(engine.snapshot(Date.now()));
  };
  try {
    let lastCheck = 0;
    for (;;) {
      if (outputClosed) {
        ctx.stderr.write(`buildmon: output closed; the build goes on as session ${session.id} (buildmon show ${session.id})\n`);
        return { ...(store.sessions.get(session.id) ?? session), status: 'running' };
      }
      pump();
      if (Date.now() - lastCheck >= 200) {
        lastCheck = Date.now();
        const s = store.sessions.get(session.id);
        if (s && s.status !== 'starting' && s.status !== 'running') {
          pump();
          engine.onExit(s.endedMs ?? Date.now(), s.exitCode, s.signal);
          view.update(engine.snapshot(s.endedMs ?? Date.now()));
          view.finish();
          return s;
        }
        reconcileLost(store);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    process.off('SIGINT', onSigint);
    ctx.stdout.off('error', onOutputError);
    follower.close();
  }
}
