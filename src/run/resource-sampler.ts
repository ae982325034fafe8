import {
  ResourceTracker,
  type PackageResolver,
  type ProcSample,
  type ResourceSample,
  type ResourceSummary,
} from '../core/resources/resource-tracker.js';
import { readCmdline, readProcessTable, type ProcEntry } from './proc.js';

export interface ResourceSamplerOptions {
  /** The build's first process, spawned detached: it leads its own session and process group. */
  leaderPid: number;
  resolvePackage?: PackageResolver;
  /** Called after every sample with the compiles running then (their objects and sources). */
  onSample?: (sample: ResourceSample, compiling: { source: string | null; output: string | null }[]) => void;
  now: () => number;
  /**
   * Reads the process table, zombies included. `skip` names pids already known to be outside the
   * build, which need not be read again (a reader may ignore it). Defaults to /proc.
   */
  readTable?: (skip: (pid: number) => boolean) => readonly ProcEntry[];
  /** Reads a process's command line. Defaults to /proc/PID/cmdline. */
  readArgv?: (pid: number) => readonly string[] | null;
}

/** What the sampler cost, with what it saw. */
export type SampledResources = ResourceSummary & { samplerCpuMs: number };

/**
 * Time between samples, ms, by time since sampling began: fast at first so that short builds get a
 * shape, then slower, as a long build's compile jobs last long enough to be seen anyway.
 */
export function sampleIntervalMs(elapsedMs: number): number {
  if (elapsedMs < 2_000) return 100;
  if (elapsedMs < 10_000) return 250;
  if (elapsedMs < 60_000) return 500;
  return 1000;
}

/**
 * Follows a build's whole process tree through /proc while it runs: every process in the leader's
 * session or process group, so that processes re-parented to init stay counted. No process is
 * spawned. A process's command line is read once; pids found outside the build are not read again
 * while they exist. A failing sample is counted and skipped: sampling never stops the build.
 * Sampling ends at `stop`, or by itself once no process of the build is left.
 */
export class ResourceSampler {
  /** CPU time this process spent taking samples, ms. */
  costCpuMs = 0;
  /** Samples taken, and samples that failed. */
  samples = 0;
  failures = 0;
  private readonly tracker: ResourceTracker;
  private readonly readTable: (skip: (pid: number) => boolean) => readonly ProcEntry[];
  private readonly readArgv: (pid: number) => readonly string[] | null;
  /** Pids outside the build, with the scan that last listed them. */
  private readonly outside = new Map<number, number>();
  private scan = 0;
  private argvs = new Map<string, readonly string[] | null>();
  private timer: NodeJS.Timeout | null = null;
  private startedMs: number | null = null;
  private stopped = false;

  constructor(private readonly opts: ResourceSamplerOptions) {
    this.tracker = new ResourceTracker(opts.resolvePackage);
    this.readTable = opts.readTable ?? ((skip) => readProcessTable({ zombies: true, skip }));
    this.readArgv = opts.readArgv ?? readCmdline;
  }

  /** Takes the first sample now and keeps sampling on an unref'd timer until `stop`. */
  start(): void {
    if (this.startedMs !== null || this.stopped) return;
    this.startedMs = this.opts.now();
    this.tick();
  }

  /** Stops sampling and says what the build used and what watching it cost. */
  stop(): SampledResources {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    return { ...this.tracker.summary(), samplerCpuMs: Math.round(this.costCpuMs * 1000) / 1000 };
  }

  /** The latest sample, for live views; null before the first. */
  current(): ResourceSample | null {
    return this.tracker.latest();
  }

  /** The largest total RSS of the tree so far. */
  peakRssBytes(): number {
    return this.tracker.peakRssBytes();
  }

  /** Takes one sample now; null when reading /proc failed. */
  sampleOnce(): ResourceSample | null {
    const cpuBefore = process.cpuUsage();
    try {
      return this.tracker.onSample(this.opts.now(), this.readTree());
    } catch {
      this.failures++;
      return null;
    } finally {
      const cpu = process.cpuUsage(cpuBefore);
      this.costCpuMs += (cpu.user + cpu.system) / 1000;
      this.samples++;
    }
  }

  private readonly tick = (): void => {
    const sample = this.sampleOnce();
    if (sample !== null && this.opts.onSample) {
      try {
        this.opts.onSample(sample, this.tracker.compiling());
      } catch {
        // A listener's failure never stops the sampling.
      }
    }
    // Nothing left in the build's session or group, so nothing can join it again: the build is over.
    if (sample !== null && sample.procs === 0) this.stopped = true;
    if (this.stopped) return;
    this.timer = setTimeout(this.tick, sampleIntervalMs(this.opts.now() - (this.startedMs ?? 0)));
    this.timer.unref();
  };

  private readTree(): ProcSample[] {
    const leader = this.opts.leaderPid;
    const scan = ++this.scan;
    const rows = this.readTable((pid) => {
      if (!this.outside.has(pid)) return false;
      this.outside.set(pid, scan);
      return true;
    });
    // A pid that left /proc may come back as another process, possibly of the build.
    for (const [pid, seen] of this.outside) if (seen !== scan) this.outside.delete(pid);
    const argvs = new Map<string, readonly string[] | null>();
    const tree: ProcSample[] = [];
    for (const p of rows) {
      if (p.sid !== leader && p.pgid !== leader && p.pid !== leader) {
        this.outside.set(p.pid, scan);
        continue;
      }
      const zombie = p.state === 'Z';
      // Keyed with the name too: a process reads as its parent's copy until it execs its own program.
      const key = `${p.pid}:${p.startTime}:${p.name}`;
      const argv = this.argvs.has(key) ? (this.argvs.get(key) ?? null) : zombie ? null : this.readArgv(p.pid);
      argvs.set(key, argv);
      tree.push({
        pid: p.pid, ppid: p.ppid, startTime: p.startTime, name: p.name, cpuMs: p.cpuMs, childCpuMs: p.childCpuMs,
        rssBytes: zombie ? 0 : p.rssBytes, zombie, argv,
      });
    }
    this.argvs = argvs;
    return tree;
  }
}
