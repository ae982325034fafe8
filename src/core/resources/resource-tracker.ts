import { parseCmakeObjectPath } from '../parse/cmake-object-path.js';
import { classifyProcess, type ProcessRole, type ProcessWork } from './compiler-process.js';

/** One process of the build's tree as one sample saw it (from /proc/PID/stat and, once, its cmdline). */
export interface ProcSample {
  pid: number;
  /** Its parent when sampled: tells whether its CPU time will move into a parent still in the tree. */
  ppid: number;
  /** The kernel's start time; with the pid, the process's identity. */
  startTime: string;
  /** The kernel's name (at most 15 characters); changes when the process execs another program. */
  name: string;
  /** CPU time of the process itself (utime + stime), ms. */
  cpuMs: number;
  /** CPU time of the children it has reaped (cutime + cstime), ms. */
  childCpuMs: number;
  rssBytes: number;
  /** Exited but not yet reaped: no longer counted as running, but its CPU time is still its own. */
  zombie: boolean;
  /** Its command line; null when it could not be read. */
  argv: readonly string[] | null;
}

/** The whole build at one moment. */
export interface ResourceSample {
  atMs: number;
  /** Resident memory of every running process of the build, bytes. */
  rssBytes: number;
  /** CPU used since the previous sample, percent of one core (200 = two cores busy); null for the first. */
  cpuPct: number | null;
  /** Running (not zombie) processes of the build. */
  procs: number;
  /** Files being compiled: a driver, its compiler and its assembler count once. */
  compilers: number;
}

/** One compiled file or linked artifact, with the resources of all its processes together. */
export interface ProcessRun {
  role: ProcessRole;
  package: string | null;
  /** The file compiled (or, when unknown, the object written), or the artifact linked. */
  source: string | null;
  /** First and last sample that saw it running, ms. */
  startedMs: number;
  endedMs: number;
  /** Most memory its processes held at once, bytes. */
  peakRssBytes: number;
  /** CPU time of its processes, ms (what ran between the last sample and its end is not seen). */
  cpuMs: number;
}

/** What a build used, for its session record and for predicting the next one. */
export interface ResourceSummary {
  peakRssBytes: number;
  /** Time-weighted mean CPU over the sampled span, percent of one core; null with fewer than two samples. */
  avgCpuPct: number | null;
  peakProcs: number;
  peakCompilers: number;
  /** Samples taken (the kept `samples` are thinned out on long builds). */
  sampleCount: number;
  samples: ResourceSample[];
  processRuns: ProcessRun[];
}

/** Names the package of a compile or link from what its command line says; null when unknown. */
export type PackageResolver = (work: { source: string | null; output: string | null }) => string | null;

export interface ResourceTrackerLimits {
  /** Samples kept; past it every other one is dropped and later ones are kept at half the rate. */
  maxSamples?: number;
  /** Compiled files and linked artifacts kept; later ones still count in the totals. */
  maxProcessRuns?: number;
}

const DEFAULT_MAX_SAMPLES = 5000;
const DEFAULT_MAX_PROCESS_RUNS = 20000;

interface LedgerEntry {
  id: string;
  pid: number;
  ppid: number;
  /** Own and reaped children's CPU, ms. */
  totalMs: number;
}

/**
 * Cumulative CPU of a changing set of processes. The sum of each one's own and reaped children's
 * time is conserved when a member reaps another: the time moves into the parent. A member that
 * left is taken to have been reaped inside the set when its parent (or, if that left too, the
 * parent's parent, ...) is still there; otherwise (reaped by init, or by whoever started the
 * build) its last total is kept. Never decreases.
 */
class CpuLedger {
  private last = new Map<number, LedgerEntry>();
  private creditMs = 0;
  private sumMs: number | null = null;
  totalMs = 0;

  update(entries: readonly LedgerEntry[]): number {
    const now = new Map(entries.map((e) => [e.pid, e]));
    for (const [pid, prev] of this.last) {
      if (now.get(pid)?.id !== prev.id && !this.absorbed(prev, now)) this.creditMs += prev.totalMs;
    }
    let sum = this.creditMs;
    for (const e of entries) sum += e.totalMs;
    this.totalMs = this.sumMs === null ? sum : this.totalMs + Math.max(0, sum - this.sumMs);
    this.sumMs = sum;
    this.last = now;
    return this.totalMs;
  }

  /** Whether a member that left has an ancestor still in the set, through members that left with it. */
  private absorbed(gone: LedgerEntry, now: ReadonlyMap<number, LedgerEntry>): boolean {
    let ppid = gone.ppid;
    for (let hops = 0; hops < this.last.size; hops++) {
      if (now.has(ppid)) return true;
      const parent = this.last.get(ppid);
      if (parent === undefined) return false;
      ppid = parent.ppid;
    }
    return false;
  }
}

interface Run {
  role: ProcessRole;
  source: string | null;
  output: string | null;
  startedMs: number;
  endedMs: number;
  peakRssBytes: number;
  cpu: CpuLedger;
}

interface Known {
  name: string;
  key: string | null;
  role: ProcessRole | null;
}

/**
 * Turns samples of a build's process tree into its resource use: totals per sample, and per
 * compiled file or linked artifact (its driver, compiler and assembler merged). Pure: samples and
 * their times are given to it.
 */
export class ResourceTracker {
  private readonly maxSamples: number;
  private readonly maxRuns: number;
  private known = new Map<string, Known>();
  private readonly runs = new Map<string, Run>();
  private active = new Set<string>();
  private readonly runOfOutput = new Map<string, string>();
  private readonly runOfSource = new Map<string, string>();
  private readonly tree = new CpuLedger();
  private kept: ResourceSample[] = [];
  private stride = 1;
  private count = 0;
  private latestSample: ResourceSample | null = null;
  private first: { atMs: number; cpuMs: number } | null = null;
  private previous: { atMs: number; cpuMs: number } | null = null;
  private peaks = { rssBytes: 0, procs: 0, compilers: 0 };

  constructor(private readonly resolvePackage: PackageResolver = () => null, limits: ResourceTrackerLimits = {}) {
    this.maxSamples = limits.maxSamples ?? DEFAULT_MAX_SAMPLES;
    this.maxRuns = limits.maxProcessRuns ?? DEFAULT_MAX_PROCESS_RUNS;
  }

  /** Takes one sample of the whole tree (zombies included) at `atMs`, ms; returns what it says of the build. */
  onSample(atMs: number, procs: readonly ProcSample[]): ResourceSample {
    const known = new Map<string, Known>();
    const members = new Map<string, LedgerEntry[]>();
    const runRss = new Map<string, number>();
    const compiling = new Set<string>();
    const all: LedgerEntry[] = [];
    let rssBytes = 0;
    let running = 0;
    for (const p of procs) {
      const id = `${p.pid}:${p.startTime}`;
      const entry: LedgerEntry = { id, pid: p.pid, ppid: p.ppid, totalMs: p.cpuMs + p.childCpuMs };
      all.push(entry);
      let k = this.known.get(id);
      if (k === undefined || (k.name !== p.name && !p.zombie)) k = this.identify(id, p, atMs);
      known.set(id, k);
      if (!p.zombie) {
        rssBytes += p.rssBytes;
        running++;
        if (k.role === 'compile' && k.key !== null) compiling.add(k.key);
      }
      if (k.key === null || !this.runs.has(k.key)) continue;
      const list = members.get(k.key);
      if (list) list.push(entry);
      else members.set(k.key, [entry]);
      if (!p.zombie) runRss.set(k.key, (runRss.get(k.key) ?? 0) + p.rssBytes);
    }
    this.known = known;
    for (const key of new Set([...this.active, ...members.keys()])) {
      const run = this.runs.get(key) as Run;
      run.cpu.update(members.get(key) ?? []);
      const rss = runRss.get(key);
      if (rss === undefined) continue;
      run.endedMs = atMs;
      run.peakRssBytes = Math.max(run.peakRssBytes, rss);
    }
    this.active = new Set(members.keys());
    return this.record(atMs, this.tree.update(all), rssBytes, running, compiling.size);
  }

  /** The compiles running at the latest sample, each with the object and source its command line names. */
  compiling(): { source: string | null; output: string | null }[] {
    const out: { source: string | null; output: string | null }[] = [];
    for (const key of this.active) {
      const run = this.runs.get(key);
      if (run !== undefined && run.role === 'compile') out.push({ source: run.source, output: run.output });
    }
    return out;
  }

  /** The latest sample; null before the first. */
  latest(): ResourceSample | null {
    return this.latestSample;
  }

  /** The largest total RSS seen so far (0 before the first sample). */
  peakRssBytes(): number {
    return this.peaks.rssBytes;
  }

  /** Everything so far: peaks, the average, the kept samples and each compile and link, in the order first seen. */
  summary(): ResourceSummary {
    const spanMs = this.first && this.previous ? this.previous.atMs - this.first.atMs : 0;
    const avgCpuPct = this.first && this.previous && spanMs > 0 ? roundPct(((this.previous.cpuMs - this.first.cpuMs) / spanMs) * 100) : null;
    const processRuns = [...this.runs.values()].map((r): ProcessRun => ({
      role: r.role, package: this.packageOf(r), source: r.role === 'compile' ? r.source ?? r.output : r.output,
      startedMs: r.startedMs, endedMs: r.endedMs, peakRssBytes: r.peakRssBytes, cpuMs: r.cpu.totalMs,
    }));
    processRuns.sort((a, b) => a.startedMs - b.startedMs);
    return {
      peakRssBytes: this.peaks.rssBytes, avgCpuPct, peakProcs: this.peaks.procs, peakCompilers: this.peaks.compilers,
      sampleCount: this.count, samples: [...this.kept], processRuns,
    };
  }

  /** Classifies a process seen for the first time (or after it exec'd) and finds or opens its run. */
  private identify(id: string, p: ProcSample, atMs: number): Known {
    // A process first seen as a zombie ran entirely between two samples: only its CPU time is known.
    const work = p.zombie ? null : classifyProcess(p.name, p.argv ?? []);
    if (work === null) return { name: p.name, key: null, role: null };
    const key = this.keyOf(work, id);
    const run = this.runs.get(key);
    if (run === undefined && this.runs.size < this.maxRuns) {
      this.runs.set(key, { role: work.role, source: work.source, output: work.output, startedMs: atMs, endedMs: atMs, peakRssBytes: 0, cpu: new CpuLedger() });
    } else if (run !== undefined) {
      run.source ??= work.source;
      run.output ??= work.output;
    }
    return { name: p.name, key, role: work.role };
  }

  /**
   * One run per compiled object (driver, compiler and assembler together) and per linked artifact.
   * A compile is known by its object where its command line names one, so that a source compiled
   * for two targets is two runs; a process that names only its source joins the run of that source
   * whose object is not yet known.
   */
  private keyOf(work: ProcessWork, id: string): string {
    const { source, output } = work;
    if (work.role === 'link') return output !== null ? `link\0${output}` : `proc\0${id}`;
    let key = output !== null ? this.runOfOutput.get(output) : undefined;
    if (key === undefined && source !== null) {
      const bySource = this.runOfSource.get(source);
      if (bySource !== undefined && (output === null || (this.runs.get(bySource)?.output ?? null) === null)) key = bySource;
    }
    key ??= output !== null ? `object\0${output}` : source !== null ? `source\0${source}` : `proc\0${id}`;
    if (this.runs.size < this.maxRuns) {
      if (output !== null) this.runOfOutput.set(output, key);
      if (source !== null) this.runOfSource.set(source, key);
    }
    return key;
  }

  private packageOf(run: Run): string | null {
    const resolved = this.resolvePackage({ source: run.source, output: run.output });
    if (resolved !== null) return resolved;
    return run.output !== null ? parseCmakeObjectPath(run.output).target : null;
  }

  private record(atMs: number, cpuMs: number, rssBytes: number, procs: number, compilers: number): ResourceSample {
    const prev = this.previous;
    const cpuPct = prev && atMs > prev.atMs ? roundPct(((cpuMs - prev.cpuMs) / (atMs - prev.atMs)) * 100) : null;
    const sample: ResourceSample = { atMs, rssBytes, cpuPct, procs, compilers };
    this.first ??= { atMs, cpuMs };
    this.previous = { atMs, cpuMs };
    this.peaks = {
      rssBytes: Math.max(this.peaks.rssBytes, rssBytes), procs: Math.max(this.peaks.procs, procs), compilers: Math.max(this.peaks.compilers, compilers),
    };
    if (this.count % this.stride === 0) this.kept.push(sample);
    if (this.kept.length > this.maxSamples) {
      this.kept = this.kept.filter((_, i) => i % 2 === 0);
      this.stride *= 2;
    }
    this.count++;
    this.latestSample = sample;
    return sample;
  }
}

function roundPct(pct: number): number {
  return Math.round(pct * 10) / 10;
}
