import { BuildEngine } from '../core/engine.js';
import { LineSplitter, type OutputLine } from '../core/line-splitter.js';
import { lineText } from '../core/raw-line.js';
import { joinShellWords } from '../core/shell-words.js';
import type { Dialect } from '../core/parse/types.js';
import { LogWriter, type ArrivedLine } from '../store/log-writer.js';
import type { Store } from '../store/store.js';
import type { SessionEnd, SessionProgress, SessionRecord, SessionStatus } from '../store/session-types.js';
import type { CancelSwitch } from './cancel-switch.js';
import { isSameProcessAlive, processCpuMs, processStartTime } from './proc.js';
import { buildProcesses, signalProcesses, type ProcessIdentity } from './process-tree.js';
import { progressOf } from './log-replay.js';
import { retrying } from './retrying.js';
import { ResourceSampler } from './resource-sampler.js';
import { loadProject, recordOutcome } from './build-outcome.js';
import type { BuildExit, StartedBuild } from './started-build.js';

/** How often live counters are written to the database; the log itself is written at once. */
const PROGRESS_FLUSH_MS = 1000;
/** Between output lines, the live estimate is rewritten once it moved by this much. */
const ETA_REWRITE_MS = 1000;
/** After TERM, how long the build gets before KILL. */
export const DEFAULT_KILL_GRACE_MS = 5000;
/** After the build's main process exits, how long to wait for its output pipes to drain. */
const DRAIN_MS = 2000;

export interface RunnerOptions {
  dialect: Dialect;
  killGraceMs: number;
  now: () => number;
  cancel: CancelSwitch;
  /** The build, spawned as soon as the runner started; null when a cancel came before that. */
  build: StartedBuild | null;
  /** Why the build could not even be spawned (bad arguments), if so. */
  spawnError?: string | null;
}

type EndStatus = Extract<SessionStatus, 'succeeded' | 'failed' | 'cancelled'>;

/**
 * Owns one build (already spawned in its own process group): stamps and appends every output line
 * to the log as it arrives, keeps the session row current, and records how it ended. Runs inside the
 * detached runner process, so the build outlives whoever asked for it.
 */
export function runSession(store: Store, session: SessionRecord, opts: RunnerOptions): Promise<SessionStatus> {
  return new Promise((resolve) => {
    const { sessions } = store;
    const log = LogWriter.create(session.logPath, {
      command: joinShellWords(session.command), cwd: session.cwd, jobs: session.jobs, target: session.target,
      sessionId: session.id, historyKey: session.historyKey, startedMs: session.startedMs,
      hostname: session.hostname, cores: session.cores, memBytes: session.memBytes, ninjaStatus: process.env.NINJA_STATUS ?? null,
    });
    const project = loadProject(store, session);
    const engine = new BuildEngine({
      dialect: opts.dialect, startedMs: session.startedMs, jobs: session.jobs, priorTotalMs: session.predictedMs, ...project.eta,
      model: project.model, historyFileCounts: project.fileCounts, targets: session.targets,
      ninjaStatusFormat: process.env.NINJA_STATUS,
    });
    let lastLine: string | null = null;
    let lineCount = 0;
    // Once a cancel signalled the build, what it prints is the dying of its processes (make's
    // 'Terminated', 'wait: No child processes'): logged, but not read as the build's errors.
    let cancelling = false;
    let dirty = false;
    let finished = false;
    // The log is what must never be lost: should the engine ever fail on some output, the runner
    // stops feeding it, says so once, and goes on recording the build.
    let engineFailed = false;
    const guard = <T>(work: () => T, fallback: T): T => {
      if (engineFailed) return fallback;
      try {
        return work();
      } catch (err) {
        engineFailed = true;
        process.stderr.write(`runner: stopped analysing the output of ${session.id} (${(err as Error).message}); the log is complete\n`);
        return fallback;
      }
    };

    const progress = (): SessionProgress => ({
      ...guard(() => progressOf(engine.snapshot(opts.now()), lastLine), { progressPct: null, lineCount, warningCount: 0, errorCount: 0, lastLine }),
      liveResources: liveReading(),
    });
    // The sampler's latest reading, for live views in other processes; written once a second at most.
    let writtenSampleMs: number | null = null;
    const liveReading = (): SessionProgress['liveResources'] => {
      const r = sampler?.current() ?? null;
      if (r === null) return null;
      writtenSampleMs = r.atMs;
      return { rssBytes: r.rssBytes, cpuPct: r.cpuPct, compilers: r.compilers, peakRssBytes: sampler?.peakRssBytes() ?? r.rssBytes };
    };
    const onLines = (lines: OutputLine[], stream: ArrivedLine['stream'], atMs: number): void => {
      if (lines.length === 0 || finished) return;
      log.appendLines(atMs, lines.map((l) => ({ ...l, stream })));
      for (const line of lines) {
        const text = lineText(line.bytes);
        lineCount++;
        if (!cancelling) guard(() => engine.onLine(atMs, text), 'routine');
        if (text.trim() !== '') lastLine = text;
      }
      dirty = true;
    };
    let writtenTotalMs: number | null = null;
    const flush = setInterval(() => {
      // Without new output, only the estimate (which moves during one long compile) and the sampler's
      // reading change: those are written alone, the packages only when output changed them.
      const outputChanged = dirty;
      if (!outputChanged) {
        const total = guard(() => engine.snapshot(opts.now()).predictedTotalMs, null);
        const etaMoved = total !== null && writtenTotalMs !== null && Math.abs(total - writtenTotalMs) >= ETA_REWRITE_MS;
        const sampled = (sampler?.current()?.atMs ?? null) !== writtenSampleMs;
        if (!etaMoved && !sampled) return;
      }
      dirty = false;
      // A busy database delays live counters, never the build: skip this flush on failure.
      try {
        const p = progress();
        sessions.updateProgress(session.id, p, opts.now());
        writtenTotalMs = p.liveTotalMs ?? null;
        if (!outputChanged) return;
        const packages = guard(() => engine.packages(opts.now()), null);
        if (packages !== null) store.details.setLivePackages(session.id, packages);
      } catch {
        dirty = outputChanged;
      }
    }, PROGRESS_FLUSH_MS);

    // Samples the build's process tree from /proc while it runs; BUILDMON_SAMPLE=0 turns it off.
    let sampler: ResourceSampler | null = null;
    const finish = (status: EndStatus, exitCode: number | null, signal: string | null, message: string | null, endedMs = opts.now()): void => {
      if (finished) return;
      finished = true;
      clearInterval(flush);
      let resources: ReturnType<ResourceSampler['stop']> | null = null;
      try {
        resources = sampler?.stop() ?? null;
      } catch (err) {
        process.stderr.write(`runner: stopped sampling ${session.id} without a summary (${(err as Error).message})\n`);
      }
      guard(() => engine.onExit(endedMs, exitCode, signal), undefined);
      log.finish({ endedMs, exitCode, status, signal });
      log.close();
      // The runner has waited for the build, so its children's CPU time is the whole build tree's.
      const cpu = processCpuMs('self');
      const end: SessionEnd = { status, endedMs, exitCode, signal, message, buildCpuMs: cpu?.childrenMs ?? null, runnerCpuMs: cpu?.selfMs ?? null };
      try {
        retrying(() => sessions.finish(session.id, end, progress(), endedMs));
      } catch (err) {
        // The log already holds the end; the next buildmon command records it from there.
        process.stderr.write(`runner: could not record the end of ${session.id}: ${(err as Error).message}\n`);
      }
      try {
        if (resources !== null) retrying(() => store.resources.saveSummary(session.id, resources));
      } catch (err) {
        process.stderr.write(`runner: could not record the resource use of ${session.id}: ${(err as Error).message}\n`);
      }
      try {
        if (!engineFailed) recordOutcome(store, session, engine, project.model, opts.dialect, endedMs, status === 'succeeded');
      } catch (err) {
        process.stderr.write(`runner: could not record the packages of ${session.id}: ${(err as Error).message}\n`);
      }
      resolve(status);
    };

    const build = opts.build;
    if (opts.spawnError) {
      finish('failed', 127, null, `could not start ${session.command[0]}: ${opts.spawnError}`);
      return;
    }
    if (build === null) {
      finish('cancelled', null, null, 'cancelled before the build started');
      return;
    }
    const child = build.child;
    const splitters = { out: new LineSplitter(), err: new LineSplitter() };
    build.whenOutput((stream, chunk, atMs) => onLines(splitters[stream].push(chunk), stream, atMs));
    build.whenError((err) => {
      const why = err.code === 'ENOENT' ? 'command not found' : err.message;
      finish('failed', 127, null, `could not start ${session.command[0]}: ${why}`);
    });
    if (child.pid === undefined) return;
    const leader = child.pid;
    const leaderStart = processStartTime(leader);
    if (process.env.BUILDMON_SAMPLE !== '0') {
      sampler = new ResourceSampler({
        leaderPid: leader, now: opts.now,
        resolvePackage: (work) => {
          // A package the engine cannot name stays unattributed; it never stops the analysis.
          try {
            return engineFailed ? null : engine.packageOfWork(work);
          } catch {
            return null;
          }
        },
        // Ninja prints a step only when it ends: what compiles now comes from the processes.
        onSample: opts.dialect === 'ninja'
          ? (_sample, compiling) => guard(() => engine.onRunningFiles(opts.now(), compiling.flatMap((c) => c.output ?? c.source ?? [])), undefined)
          : undefined,
      });
      sampler.start();
    }
    retrying(() => sessions.markRunning(session.id, {
      runnerPid: process.pid, runnerStart: processStartTime(process.pid), buildPid: leader, buildStart: leaderStart,
    }, opts.now()));
    // A cancel asked for while we were starting is in the session, not in a signal.
    if (retrying(() => sessions.isCancelRequested(session.id))) opts.cancel.request();
    let exited: (BuildExit & { atMs: number }) | null = null;
    // Who was in the build when the cancel came: once the leader dies, its orphans are no longer its descendants.
    let cancelAtMs: number | null = null;
    let cancelled: ProcessIdentity[] = [];
    const killLeftovers = (): void => void signalProcesses([...cancelled, ...buildProcesses(leader, leaderStart)], 'SIGKILL');
    opts.cancel.onRequest(() => {
      if (exited) return; // too late: the build has already ended on its own
      cancelAtMs = opts.now();
      cancelling = true;
      retrying(() => sessions.setMessage(session.id, 'cancel requested', opts.now()));
      cancelled = buildProcesses(leader, leaderStart);
      signalProcesses(cancelled, 'SIGTERM');
      setTimeout(killLeftovers, opts.killGraceMs).unref();
    });
    const done = (): void => {
      if (!exited || finished) return;
      const { code, signal, atMs } = exited;
      onLines(splitters.out.end(), 'out', opts.now());
      onLines(splitters.err.end(), 'err', opts.now());
      if (cancelAtMs === null) {
        finish(code === 0 ? 'succeeded' : 'failed', code, signal, signal ? `killed by ${signal}` : null, atMs);
        return;
      }
      // What outlived TERM gets the rest of its grace period, then KILL; our timers die with us.
      const graceLeftMs = Math.max(0, cancelAtMs + opts.killGraceMs - opts.now());
      const survivors = cancelled.filter((p) => isSameProcessAlive(p.pid, p.startTime));
      setTimeout(() => {
        killLeftovers();
        finish('cancelled', code, signal, 'cancelled', atMs);
      }, survivors.length > 0 ? graceLeftMs : 0);
    };
    build.whenExit((exit) => {
      exited = { ...exit, atMs: opts.now() };
      setTimeout(done, DRAIN_MS).unref();
    });
    build.whenClosed(done);
  });
}
