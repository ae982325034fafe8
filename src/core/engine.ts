import { createLineParser } from './parse/index.js';
import type { Dialect, LineEvent, LineParser } from './parse/types.js';
import { estimateTotalMs } from './predict/prior.js';
import { LiveEstimator, type EtaBasis, type EtaRegime, type LiveEstimate, type PriorTotal } from './predict/live-estimate.js';
import { LiveSteps } from './predict/live-steps.js';
import type { WorkExpectations } from './predict/work-expectations.js';
import { PackageTracker, type FileRun } from './packages/package-tracker.js';
import type { PackageState } from './packages/package-state.js';
import type { ProjectModel } from './project-model.js';
import { DiagnosticCollector } from './diagnostics/diagnostic-collector.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';

/** How a line should be shown to a person who is not reading every line. */
export type LineDisplay = 'routine' | 'notable';

/** The state of one build at a moment, as every face (CLI, MCP, dashboard) shows it. Times in ms. */
export interface BuildSnapshot {
  atMs: number;
  startedMs: number;
  elapsedMs: number;
  lineCount: number;
  /** 0-100 as the tool reports it (make's rule percentage, ninja's finished/total); null when unknown. */
  progressPct: number | null;
  stepsDone: number | null;
  stepsTotal: number | null;
  /** What the build is doing now, most recent last (e.g. `package_core: foo.cc`). */
  activity: string[];
  warningCount: number;
  errorCount: number;
  /** Expected total wall time; null with no history and no progress. */
  predictedTotalMs: number | null;
  /** Expected remaining time; null when unknown, 0 once finished. */
  remainingMs: number | null;
  /** 0-1: how far to trust `predictedTotalMs`; 1 once finished; null when there is none. */
  etaConfidence?: number | null;
  /** What `predictedTotalMs` mostly rests on (the schedule of what is left, progress, the prior); null when none. */
  etaBasis?: EtaBasis | null;
  /** Whether this build's files take what history says; null without history. */
  etaRegime?: EtaRegime | null;
  finished: boolean;
  /** Packages at a glance: how many are known, done and failed, and the ones building now. */
  packages: PackageSummary;
  endedMs: number | null;
  exitCode: number | null;
  signal: string | null;
}

/** Packages at a glance, for one-line views. */
export interface PackageSummary {
  total: number;
  completed: number;
  failed: number;
  /** Compiling or linking now, the most recently busy first; at most 8. */
  active: { name: string; status: string; filesDone: number; filesTotal: number | null }[];
}

export interface EngineOptions {
  dialect: Dialect;
  startedMs: number;
  /** Parallel job count, for how many concurrent steps to show; null = unknown. */
  jobs: number | null;
  /** Expected total from history before the build started (see `priorFromHistory`). */
  priorTotalMs: number | null;
  /** The project's packages and graph, when known before the build. */
  model?: ProjectModel | null;
  /** Files per package from earlier builds, for packages the model does not know. */
  historyFileCounts?: ReadonlyMap<string, number>;
  /** The targets asked for, so that packages outside them are not shown as waiting. */
  targets?: readonly string[];
  /** The NINJA_STATUS the build ran with; ninja's default when absent. */
  ninjaStatusFormat?: string;
  /** What history says each file and link of this target costs (see `expectationsFrom`); the ETA schedules what is left with it. */
  expectations?: WorkExpectations | null;
  /** Expected total from history with its confidence (0-1); takes the place of `priorTotalMs` when given. */
  prior?: PriorTotal | null;
  /** Cores of the machine: the job slots when `jobs` is null. */
  cores?: number | null;
}

const MAX_ACTIVITY = 8;
/** How far a prior given as a bare total (`priorTotalMs`) is trusted beside expectations. */
const BARE_PRIOR_CONFIDENCE = 0.5;
const DIAGNOSTIC_WORD = /\b(error|warning)\b/i;
const INCLUDE_CHAIN_RE = /^(?:In file included from |\s+from )(.+?):\d+(?::\d+)?[,:]$/;
const SCOPE_LINE_RE = /^[^\s:][^:]*: (?:In |At global scope:|At top level:)/;

/**
 * The pure heart: takes timestamped output lines and the exit, keeps the build's state. It never
 * reads the clock; a live build and a replayed log go through exactly this code.
 */
export class BuildEngine {
  private readonly parser: LineParser;
  private readonly opts: EngineOptions;
  private readonly tracker: PackageTracker;
  private readonly collector: DiagnosticCollector;
  private diagnosticsCache: { version: number; list: Diagnostic[] } | null = null;
  private lineCount = 0;
  /** Changes with every event that can change the prediction. */
  private version = 0;
  private readonly steps: LiveSteps;
  private readonly estimator = new LiveEstimator();
  private progressPct: number | null = null;
  private stepsDone: number | null = null;
  private stepsTotal: number | null = null;
  private activity: string[] = [];
  private lastMs: number;
  private exit: { atMs: number; exitCode: number | null; signal: string | null } | null = null;

  constructor(options: EngineOptions) {
    this.opts = options;
    this.parser = createLineParser(options.dialect, { ninjaStatusFormat: options.ninjaStatusFormat });
    this.lastMs = options.startedMs;
    this.tracker = new PackageTracker({
      dialect: options.dialect, jobs: options.jobs, model: options.model ?? null, historyFileCounts: options.historyFileCounts,
      targets: options.targets,
    });
    this.collector = new DiagnosticCollector(this.tracker);
    const slots = options.jobs ?? options.cores ?? 1;
    this.steps = new LiveSteps(options.dialect, Math.max(1, slots), options.startedMs, options.expectations?.packageSources);
  }

  /** Feeds one output line; returns how it should be displayed. */
  onLine(atMs: number, text: string): LineDisplay {
    this.lineCount++;
    this.version++;
    if (atMs > this.lastMs) this.lastMs = atMs;
    const parsed = this.parser.parse(text);
    if (parsed.progress) this.applyProgress(parsed.progress);
    this.tracker.onLine(atMs, parsed, text);
    const e = parsed.event;
    const pkg = e.kind === 'compile' ? e.target ?? this.tracker.packageOfSource(e.source ?? e.object) : null;
    this.steps.onLine(atMs, e, pkg, parsed.progress !== null);
    this.collector.onLine(atMs, text, parsed);
    return this.applyEvent(parsed.event, text);
  }

  onExit(atMs: number, exitCode: number | null, signal: string | null): void {
    if (atMs > this.lastMs) this.lastMs = atMs;
    this.version++;
    this.exit = { atMs, exitCode, signal };
    this.activity = [];
    this.tracker.onExit(atMs, exitCode === 0 && signal === null);
    this.collector.finish();
  }

  /**
   * The files compiling at `atMs` as the process sampler sees them: each compiler's object (`-o`, which names
   * its target) or source path. Ninja prints a step only when it ends; this says what runs, for
   * `current_files` and the ETA. Ignored under make, whose output says it.
   */
  onRunningFiles(atMs: number, sources: readonly string[]): void {
    if (this.opts.dialect !== 'ninja' || this.exit) return;
    this.version++;
    this.steps.onRunningFiles(atMs, sources, (path) => this.tracker.packageOfSource(path));
  }

  /** The package a compiler or linker process works for, from the source it compiles or the file it writes; null when unknown. */
  packageOfWork(work: { source: string | null; output: string | null }): string | null {
    return (work.source !== null ? this.tracker.packageOfSource(work.source) : null)
      ?? (work.output !== null ? this.tracker.packageOfOutput(work.output) : null);
  }

  /** Every package's state, sorted by name, with the errors and warnings attributed to it. */
  packages(atMs: number): PackageState[] {
    const counts = new Map<string, { errors: number; warnings: number }>();
    for (const d of this.diagnostics()) {
      if (d.package === null) continue;
      const c = counts.get(d.package) ?? { errors: 0, warnings: 0 };
      if (d.severity === 'warning') c.warnings++;
      else c.errors++;
      counts.set(d.package, c);
    }
    const sampled = this.opts.dialect === 'ninja' && this.exit === null && this.steps.sampled();
    return this.tracker.packages(atMs).map((p0) => {
      const p = sampled && p0.status !== 'completed' && p0.status !== 'failed' ? { ...p0, current_files: this.steps.sampledFilesOf(p0.name) } : p0;
      const c = counts.get(p.name);
      if (!c) return p;
      const failed = c.errors > 0 && p.status !== 'completed';
      return { ...p, errors: c.errors, warnings: c.warnings, status: failed ? 'failed' : p.status, current_files: failed ? [] : p.current_files };
    });
  }

  /**
   * The build's problems as whole blocks, attributed to file and package, in the order they began. Under
   * plain make a compiler's problem goes to the package that compiles its translation unit as the tracker
   * knows it now: under `-j` the directory make entered last, which the collector saw, may have been
   * corrected since.
   */
  diagnostics(): Diagnostic[] {
    // Snapshots ask every second and on every redraw; the answer changes only with new output.
    const version = this.lineCount + (this.exit ? 1 : 0) * 0.5;
    if (this.diagnosticsCache?.version !== version) this.diagnosticsCache = { version, list: this.buildDiagnostics() };
    return [...this.diagnosticsCache.list];
  }

  private buildDiagnostics(): Diagnostic[] {
    const list = this.collector.diagnostics();
    if (this.opts.dialect !== 'gnu-make') return list;
    return list.map((d) => {
      if (d.tool !== 'compiler' || d.file === null) return d;
      const pkg = this.tracker.packageOfSource(translationUnitOf(d.text) ?? d.file);
      return pkg === null || pkg === d.package ? d : { ...d, package: pkg };
    });
  }

  /** The files compiled so far with the times the output shows. */
  fileRuns(): FileRun[] {
    return this.tracker.fileRuns();
  }

  snapshot(atMs: number): BuildSnapshot {
    const elapsedMs = Math.max(0, (this.exit?.atMs ?? atMs) - this.opts.startedMs);
    const fraction = this.progressPct === null ? null : this.progressPct / 100;
    const finished = this.exit !== null;
    const live = finished ? null : this.liveEstimate(atMs, fraction);
    const predictedTotalMs = finished ? elapsedMs : live ? live.totalMs : estimateTotalMs(elapsedMs, fraction, this.opts.priorTotalMs);
    const plainBasis: EtaBasis | null = predictedTotalMs === null ? null : this.opts.priorTotalMs !== null && (fraction ?? 0) < 0.5 ? 'prior' : 'progress';
    return {
      atMs, startedMs: this.opts.startedMs, elapsedMs, lineCount: this.lineCount,
      progressPct: this.progressPct, stepsDone: this.stepsDone, stepsTotal: this.stepsTotal,
      activity: [...this.activity], warningCount: this.collector.warningCount(), errorCount: this.collector.errorCount(),
      predictedTotalMs, remainingMs: predictedTotalMs === null ? null : Math.max(0, predictedTotalMs - elapsedMs),
      etaConfidence: finished ? 1 : live?.confidence ?? null, etaBasis: finished ? null : live ? live.basis : plainBasis,
      etaRegime: live && this.opts.expectations ? live.regime : null,
      finished, packages: this.packageSummary(atMs), endedMs: this.exit?.atMs ?? null, exitCode: this.exit?.exitCode ?? null, signal: this.exit?.signal ?? null,
    };
  }

  /** The prediction from history, when the build has any (expectations or a prior); null otherwise. */
  private liveEstimate(atMs: number, toolFraction: number | null): LiveEstimate | null {
    const o = this.opts;
    const expectations = o.expectations ?? null;
    if (expectations === null && !o.prior) return null;
    const prior = o.prior ?? (o.priorTotalMs === null ? null : { totalMs: o.priorTotalMs, confidence: BARE_PRIOR_CONFIDENCE });
    const at = Math.max(atMs, o.startedMs);
    return this.estimator.estimate(this.version, at, o.startedMs, toolFraction, prior, () => {
      const packages = this.packages(at);
      const files = this.tracker.fileRuns();
      return {
        atMs: at, startedMs: o.startedMs, dialect: o.dialect, jobs: o.jobs, cores: o.cores ?? null, packages,
        files: this.steps.timed(files), running: this.steps.running(packages, files), busySinceMs: this.steps.busySinceMs(),
        toolFraction, expectations, prior,
        stepsLeft: o.dialect === 'ninja' && this.stepsTotal !== null && this.stepsDone !== null ? this.stepsTotal - this.stepsDone : null,
      };
    });
  }

  private packageSummary(atMs: number): PackageSummary {
    const all = this.packages(atMs);
    const byName = new Map(all.map((p) => [p.name, p]));
    // The packages busy most recently first: one waiting for a dependency has been idle for a while.
    const active = this.tracker.busiest()
      .map((name) => byName.get(name)!)
      .filter((p) => p !== undefined && (p.status === 'compiling' || p.status === 'linking'))
      .slice(0, MAX_ACTIVITY)
      .map((p) => ({ name: p.name, status: p.status, filesDone: p.files_done, filesTotal: p.files_total }));
    return {
      total: all.length, completed: all.filter((p) => p.status === 'completed').length,
      failed: all.filter((p) => p.status === 'failed').length, active,
    };
  }

  private applyProgress(p: { pct: number } | { done: number; total: number }): void {
    if ('pct' in p) {
      this.progressPct = p.pct;
      return;
    }
    this.stepsDone = p.done;
    this.stepsTotal = p.total;
    this.progressPct = p.total > 0 ? Math.round((p.done / p.total) * 1000) / 10 : null;
  }

  private applyEvent(event: LineEvent, text: string): LineDisplay {
    switch (event.kind) {
      case 'diagnostic':
        return 'notable';
      case 'diagnostic-continuation':
        // Context lines ('In function', 'In file included from') come before their diagnostic.
        return 'notable';
      case 'make-error':
      case 'ninja-failed':
      case 'ninja-command':
      case 'ninja-stopped':
        return 'notable';
      case 'compile':
        this.pushActivity(describeCompile(event));
        return 'routine';
      case 'link':
        this.pushActivity(`linking ${event.target ?? basename(event.output)}`);
        return 'routine';
      case 'custom':
        this.pushActivity(event.text.length > 80 ? event.text.slice(0, 79) + '…' : event.text);
        return 'routine';
      case 'unrecognised':
        return DIAGNOSTIC_WORD.test(text.length > 4096 ? text.slice(0, 4096) : text) ? 'notable' : 'routine';
      default:
        return 'routine';
    }
  }

  private pushActivity(entry: string): void {
    this.activity.push(entry);
    const keep = Math.min(MAX_ACTIVITY, Math.max(1, this.opts.jobs ?? 1));
    if (this.activity.length > keep) this.activity.splice(0, this.activity.length - keep);
  }
}

function describeCompile(e: Extract<LineEvent, { kind: 'compile' }>): string {
  const file = basename(e.source ?? e.object);
  const verb = e.phase === 'end' ? 'compiled' : 'compiling';
  return e.target ? `${verb} ${e.target}: ${file}` : `${verb} ${file}`;
}

/** The file at the top of a block's include chain (`In file included from a.h:3,` / `from b.c:9:`), or null. */
function translationUnitOf(text: string): string | null {
  let tu: string | null = null;
  for (const line of text.split('\n')) {
    const chain = INCLUDE_CHAIN_RE.exec(line);
    if (chain) tu = chain[1]!;
    else if (tu !== null || !SCOPE_LINE_RE.test(line)) break;
  }
  return tu;
}

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i >= 0 ? p.slice(i + 1) : p;
}
