import type { Dialect, LineEvent, LinkArtifact, ParsedLine } from '../parse/types.js';
import { parseCmakeObjectPath } from '../parse/cmake-object-path.js';
import type { ProjectModel } from '../project-model.js';
import type { PackageState, PackageStatus } from './package-state.js';
import { SourceIndex } from './source-index.js';
import { PlainMakePlacement, topLevelPackage, type PlacedCompile, type PlacementMove } from './plain-make-placement.js';

export interface PackageTrackerOptions {
  dialect: Dialect;
  /** Parallel job count; bounds how many files make can be compiling at once. Null = unknown (1 is assumed). */
  jobs: number | null;
  model: ProjectModel | null;
  /** Files per package learned from earlier builds, for packages the model does not know. */
  historyFileCounts?: ReadonlyMap<string, number>;
  /** The targets the build was asked for; absent, empty or `all`: everything. */
  targets?: readonly string[];
}

interface Running {
  pkg: string;
  file: string;
  startedMs: number;
  /** Plain make only: a link holds a job slot too, and ends when make has started more than it has slots for. */
  link?: boolean;
  /** Plain make only: the compile as placed, so that evidence can move it. */
  compile?: PlacedCompile;
}

/** A failure credited by a guess, and what the package was before it, to go back to. */
interface GuessedFailure {
  count: number;
  status: PackageStatus;
  reason: string | null;
  endedMs: number | null;
}

interface Pkg {
  name: string;
  status: PackageStatus;
  reason: string | null;
  current: Running[];
  done: Set<string>;
  total: number | null;
  startedMs: number | null;
  endedMs: number | null;
  dependsOn: string[];
  guessedFailure: GuessedFailure | null;
}

const MAX_PACKAGES = 5000;
const MAX_FILE_RUNS = 200_000;
const MAX_PENDING_LINKS = 64;
const OBJECT_RE = /\.(?:o|obj|lo)$/;
/** A link line longer than this (a few thousand objects) is read only this far for its objects. */
const MAX_LINK_TEXT_CHARS = 256 * 1024;

/** One compiled file's times as the output shows them: make gives the start, ninja the end; the other is inferred or null. */
export interface FileRun {
  package: string;
  source: string;
  startedMs: number | null;
  endedMs: number | null;
}

/**
 * The per-package state machine. Make (both CMake's generator and hand-written Makefiles) says when a
 * step starts, so a file counts as done when its package links, when make says the target is built, or
 * when more files have started since than there are job slots. Ninja (output piped) says when a step ends,
 * so a file is done on its line and the files running now are unknown. Under plain make with `-j`, where
 * the directory of a step is only a guess, the tracker applies what `PlainMakePlacement` learns.
 * Pure: time comes with each event.
 */
export class PackageTracker {
  private readonly opts: PackageTrackerOptions;
  private readonly pkgs = new Map<string, Pkg>();
  private readonly sources = new SourceIndex();
  private readonly artifacts = new Map<string, string>();
  private running: Running[] = [];
  private readonly placement: PlainMakePlacement;
  private readonly runOf = new WeakMap<PlacedCompile, FileRun>();
  private readonly enteredMs = new Map<string, number>();
  private lastStepMs: number | null = null;
  private readonly files: FileRun[] = [];
  private readonly pendingLinks: string[] = [];
  private exited: { atMs: number; ok: boolean } | null = null;
  /** False when the build asked for targets the model cannot place: what it did not touch is not known to be up to date. */
  private scopeKnown = true;

  constructor(options: PackageTrackerOptions) {
    this.opts = options;
    this.placement = new PlainMakePlacement((options.jobs ?? 1) > 1);
    const scope = this.scopeOf(options.model, options.targets ?? []);
    for (const p of options.model?.packages ?? []) {
      if (scope !== null && !scope.has(p.name)) continue;
      const pkg = this.ensure(p.name);
      if (!pkg) continue;
      pkg.dependsOn = [...p.dependsOn];
      pkg.total = p.sources.length > 0 ? p.sources.length : null;
      for (const s of p.sources) this.sources.add(s, p.name);
      for (const a of p.artifacts) this.artifacts.set(a, p.name);
    }
  }

  /** Feeds one classified line at its time; `text`, the line as printed, gives a plain-make link's objects. */
  onLine(atMs: number, parsed: ParsedLine, text?: string): void {
    const e = parsed.event;
    const plain = this.opts.dialect === 'gnu-make';
    switch (e.kind) {
      case 'compile':
        return plain && e.phase === 'start' ? this.onPlainCompile(atMs, e) : this.onCompile(atMs, e);
      case 'link':
        if (plain && e.phase === 'start') this.onPlainLink(atMs, e, text);
        return this.onLink(atMs, e);
      case 'target-built':
        this.claimPendingLink(e.target);
        return this.complete(e.target, atMs);
      case 'scan':
        return this.start(e.target, atMs);
      case 'custom':
        if (e.target !== null && this.opts.dialect !== 'gnu-make') this.start(e.target, atMs);
        return;
      case 'enter-dir':
        // Only a hand-written Makefile's directories are packages; CMake's make enters the build directory.
        if (!plain) return;
        this.placement.enter(e.dir);
        this.enteredMs.set(lastPart(e.dir), atMs);
        return;
      case 'leave-dir': {
        if (plain) this.placement.leave(e.dir);
        const left = this.pkgs.get(lastPart(e.dir));
        if (left && (left.status === 'compiling' || left.status === 'linking')) this.complete(left.name, atMs);
        return;
      }
      case 'make-error': {
        if (plain) return this.onPlainMakeError(atMs, e);
        const pkg = this.failedMakeTarget(e);
        if (pkg === null || e.code === null) return;
        // Make lets the package's other running jobs finish; only the failed file stops.
        if (e.target !== null) this.dropRunning(pkg, e.target);
        this.fail(pkg, atMs);
        return;
      }
      case 'ninja-failed':
        for (const out of e.outputs) {
          const pkg = this.packageOfOutput(out);
          if (pkg === null) continue;
          this.unfinish(pkg, out);
          this.fail(pkg, atMs);
        }
        return;
      default:
        return;
    }
  }

  /** The build ended: what was still running either finished (success) or was stopped (failure). */
  onExit(atMs: number, ok: boolean): void {
    this.exited = { atMs, ok };
    this.retire(this.running.length, atMs);
    for (const p of this.pkgs.values()) {
      p.current = [];
      if (p.status === 'completed' || p.status === 'failed') continue;
      if (ok && p.startedMs === null && !this.scopeKnown) {
        p.reason = 'not built: outside the targets asked for, or up to date';
      } else if (ok) {
        const seen = p.startedMs !== null;
        p.status = 'completed';
        p.reason = seen ? null : 'up to date';
        if (seen) p.endedMs = atMs;
      } else if (p.startedMs !== null) {
        p.status = 'failed';
        p.reason = 'stopped: the build ended before it finished';
        p.endedMs = atMs;
      } else {
        p.reason = 'not built: the build stopped first';
      }
      p.current = [];
    }
  }

  /**
   * The packages a build of `targets` involves: the targets and everything they depend on. Null means
   * all of them (no targets, `all`, no model, or a target the model cannot place).
   */
  private scopeOf(model: ProjectModel | null, targets: readonly string[]): Set<string> | null {
    const wanted = targets.filter((t) => t !== '' && t !== 'all' && t !== 'default');
    if (model === null || wanted.length === 0) return null;
    const byName = new Map(model.packages.map((p) => [p.name, p]));
    const byArtifact = new Map<string, string>();
    for (const p of model.packages) for (const a of p.artifacts) byArtifact.set(a, p.name);
    const roots = wanted.map((t) => (byName.has(t) ? t : byArtifact.get(lastPart(t)) ?? null));
    if (roots.some((r) => r === null)) {
      this.scopeKnown = false;
      return null;
    }
    const scope = new Set<string>();
    const stack = roots as string[];
    while (stack.length > 0) {
      const name = stack.pop()!;
      if (scope.has(name)) continue;
      scope.add(name);
      stack.push(...(byName.get(name)?.dependsOn ?? []));
    }
    return scope;
  }

  /** The package that compiles `path` (as a compiler or CMake printed it), or null. */
  packageOfSource(path: string): string | null {
    return this.sources.find(path);
  }

  /** The package that produces `path`: an object under `CMakeFiles/<t>.dir/`, a known artifact, or `lib<name>.a`. */
  packageOfOutput(path: string): string | null {
    const obj = parseCmakeObjectPath(path);
    if (obj.target !== null) return obj.target;
    const base = lastPart(path);
    const known = this.artifacts.get(base);
    if (known !== undefined) return known;
    const stem = base.replace(/^lib/, '').replace(/\.(a|so(\.[\d.]+)?|dylib|dll|lib|exe)$/, '');
    if (this.pkgs.has(stem)) return stem;
    if (this.pkgs.has(base)) return base;
    return this.sources.find(path.replace(/\.(o|obj)$/, ''));
  }

  /** The files compiled so far, in the order they finished. */
  fileRuns(): FileRun[] {
    return this.files.map((f) => ({ ...f }));
  }

  /** Every package, sorted by name, as of `atMs`. */
  packages(atMs: number): PackageState[] {
    return [...this.pkgs.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((p) => this.view(p, atMs));
  }

  private view(p: Pkg, atMs: number): PackageState {
    const done = p.done.size;
    const total = p.total === null ? this.opts.historyFileCounts?.get(p.name) ?? null : p.total;
    const shownTotal = total === null ? null : Math.max(total, done + p.current.filter((r) => !r.link).length);
    let pct: number | null = null;
    if (p.status === 'completed') pct = 100;
    else if (shownTotal !== null && shownTotal > 0) pct = Math.min(99, Math.floor((done / shownTotal) * 100));
    else if (shownTotal === 0) pct = p.status === 'queued' ? 0 : null;
    const until = p.endedMs ?? (this.exited?.atMs ?? atMs);
    return {
      name: p.name,
      status: p.status,
      reason: p.status === 'queued' ? this.queuedReason(p) : p.reason,
      current_files: p.current.filter((r) => !r.link).map((r) => lastPart(r.file)),
      files_done: done,
      files_total: shownTotal,
      progress_pct: pct,
      elapsed_ms: p.startedMs === null ? null : Math.max(0, until - p.startedMs),
      started_ms: p.startedMs,
      ended_ms: p.endedMs,
      depends_on: [...p.dependsOn],
      // The engine adds what the diagnostics say.
      errors: 0,
      warnings: 0,
    };
  }

  private queuedReason(p: Pkg): string | null {
    if (p.reason !== null) return p.reason;
    const waiting = p.dependsOn.filter((d) => this.pkgs.get(d)?.status !== 'completed');
    if (waiting.length > 0) return `waiting for ${waiting.join(', ')}`;
    return this.exited ? null : 'waiting for a free job slot';
  }

  private onCompile(atMs: number, e: Extract<LineEvent, { kind: 'compile' }>): void {
    const file = e.source ?? e.object;
    const name = e.target ?? this.packageOfSource(file) ?? topLevelPackage(file);
    const p = this.ensure(name);
    if (!p) return;
    this.sources.add(file, name);
    if (e.phase === 'end') {
      this.start(name, this.lastStepMs ?? atMs);
      this.lastStepMs = atMs;
      p.done.add(file);
      this.recordFile(name, file, null, atMs);
      if (p.status === 'queued') p.status = 'compiling';
      return;
    }
    this.start(name, this.enteredMs.get(name) ?? atMs);
    if (p.status === 'queued' || p.status === 'completed') p.status = 'compiling';
    const r = { pkg: name, file, startedMs: atMs };
    p.current.push(r);
    this.running.push(r);
    this.retire(this.running.length - Math.max(1, this.opts.jobs ?? 1), atMs);
  }

  /** A compile make echoed: placed by its path, the model, or the directory entered last (a guess under `-j`). */
  private onPlainCompile(atMs: number, e: Extract<LineEvent, { kind: 'compile' }>): void {
    const file = e.source ?? e.object;
    const c = this.placement.place(e.object, file, atMs, this.packageOfSource(file) ?? topLevelPackage(file));
    const p = this.ensure(c.pkg);
    if (!p) return;
    this.sources.add(file, c.pkg);
    this.start(c.pkg, this.enteredMs.get(c.pkg) ?? atMs);
    if (p.status === 'queued' || p.status === 'completed') p.status = 'compiling';
    const r: Running = { pkg: c.pkg, file, startedMs: atMs, compile: c };
    p.current.push(r);
    this.running.push(r);
    this.retire(this.running.length - Math.max(1, this.opts.jobs ?? 1), atMs);
  }

  /**
   * What a plain-make link proves before it is counted: a library named after an open directory, or any
   * link with no directory open (the top level), places the objects it lists; a library that a guess
   * had failed was not the one that failed.
   */
  private onPlainLink(atMs: number, e: Extract<LineEvent, { kind: 'link' }>, text: string | undefined): void {
    const home = this.placement.linkHome(e.output);
    if (text !== undefined && (home !== null || this.placement.top() === null)) {
      const exclusive = (e.artifact === 'static' || e.artifact === 'shared') && text.length <= MAX_LINK_TEXT_CHARS;
      for (const m of this.placement.settleLink(linkedObjects(text, e.output), home, exclusive)) this.applyMove(m, atMs);
    }
    if (home === null) return;
    const p = this.pkgs.get(home);
    if (p?.guessedFailure) {
      this.placement.forgetFailuresOf(home);
      this.restore(p);
    }
  }

  /**
   * `make[1]: *** [Makefile:6: alpha3.o] Error 1` fails the package of the compile it names (a guess
   * under `-j`); `make: *** [Makefile:5: alpha] Error 2` fails directory `alpha`, which takes the guessed
   * failure just before it from the package it was credited to.
   */
  private onPlainMakeError(atMs: number, e: Extract<LineEvent, { kind: 'make-error' }>): void {
    if (e.code === null) return;
    const level = e.level ?? 0;
    const compile = e.target !== null && OBJECT_RE.test(e.target) ? this.placement.compileFailed(e.target, level) : null;
    if (compile !== null) {
      this.stopCompile(compile);
      this.fail(compile.pkg, atMs, compile.provisional);
      return;
    }
    const named = this.failedMakeTarget(e) ?? (e.target === null ? null : this.placement.directoryNamedBy(e.target));
    const pkg = named ?? (level > 0 ? this.placement.top() : null);
    if (pkg === null) return;
    if (e.target !== null) this.dropRunning(pkg, e.target);
    const guess = named === null && (this.opts.jobs ?? 1) > 1;
    if (guess) this.placement.guessedFailure(pkg, level);
    this.fail(pkg, atMs, guess);
    const settled = named !== null && this.placement.wasEntered(named) ? this.placement.directoryFailed(named, level) : null;
    if (settled?.move) this.applyMove(settled.move, atMs);
    if (settled?.unguessed) this.unguess(settled.unguessed);
  }

  /** Carries out a move: the file's run, its count, and its entry in the source index follow it. */
  private applyMove(m: PlacementMove, atMs: number): void {
    const to = this.ensure(m.to);
    const from = this.pkgs.get(m.from);
    if (!to || !from) return;
    const c = m.compile;
    this.sources.move(c.source, m.from, m.to);
    const r = from.current.find((x) => x.compile === c);
    if (r) {
      from.current = from.current.filter((x) => x !== r);
      r.pkg = m.to;
      if (m.built) {
        this.running = this.running.filter((x) => x !== r);
        this.finishRun(to, r, atMs);
      } else {
        to.current.push(r);
      }
    } else if (c.state === 'done') {
      from.done.delete(c.source);
      to.done.add(c.source);
      const run = this.runOf.get(c);
      if (run) run.package = m.to;
    }
    const startMs = Math.min(this.enteredMs.get(m.to) ?? c.startedMs, c.startedMs);
    if (to.startedMs === null || startMs < to.startedMs) to.startedMs = startMs;
    if (to.status === 'queued') to.status = 'compiling';
    if (m.unguessed !== null) this.unguess(m.unguessed);
    if (c.state === 'failed') this.fail(m.to, atMs, c.provisional);
    else if (to.current.length === 0 && to.status !== 'failed' && !this.isEnteredDir(to.name)) {
      this.complete(to.name, Math.max(to.endedMs ?? 0, this.runOf.get(c)?.endedMs ?? atMs));
    }
  }

  /** The compile a make failure names did not finish. */
  private stopCompile(c: PlacedCompile): void {
    const p = this.pkgs.get(c.pkg);
    if (!p) return;
    const r = p.current.find((x) => x.compile === c);
    if (r) {
      p.current = p.current.filter((x) => x !== r);
      this.running = this.running.filter((x) => x !== r);
      return;
    }
    const run = this.runOf.get(c);
    if (!run) return;
    p.done.delete(c.source);
    this.runOf.delete(c);
    const at = this.files.lastIndexOf(run);
    if (at !== -1) this.files.splice(at, 1);
  }

  private onLink(atMs: number, e: Extract<LineEvent, { kind: 'link' }>): void {
    const known = this.opts.dialect === 'gnu-make'
      ? this.placement.linkHome(e.output) ?? this.placement.top() ?? this.linkedPackage(e.output, e.artifact)
      : e.target ?? this.linkedPackage(e.output, e.artifact);
    if (known === null && this.opts.dialect === 'cmake-make') {
      // `Linking C executable myapp` of a target with another OUTPUT_NAME: its `Built target` will say whose.
      if (this.pendingLinks.length < MAX_PENDING_LINKS) this.pendingLinks.push(lastPart(e.output));
      return;
    }
    const name = known ?? stemOf(e.output);
    const p = this.ensure(name);
    if (!p) return;
    this.artifacts.set(lastPart(e.output), name);
    if (e.phase === 'end') {
      this.start(name, this.lastStepMs ?? atMs);
      this.lastStepMs = atMs;
      this.complete(name, atMs);
      return;
    }
    this.start(name, atMs);
    this.finishFilesOf(p, atMs);
    if (p.status !== 'failed') p.status = 'linking';
    if (this.opts.dialect === 'gnu-make') {
      // Nothing in a hand-written Makefile's output says a link ended: it has when its job slot is reused.
      const r = { pkg: name, file: e.output, startedMs: atMs, link: true };
      p.current.push(r);
      this.running.push(r);
      this.retire(this.running.length - Math.max(1, this.opts.jobs ?? 1), atMs);
    }
  }

  /**
   * Which package a link line is for, without a model: `lib/libzstd.a` is `libzstd_static` when that
   * target exists, `libuv.a` is `uv_a`, else the name without `lib` and the extension.
   */
  private linkedPackage(output: string, artifact: LinkArtifact): string | null {
    const known = this.artifacts.get(lastPart(output));
    if (known !== undefined) return known;
    const object = parseCmakeObjectPath(output).target;
    if (object !== null) return object;
    const withLib = lastPart(output).replace(/\.(a|so(\.[\d.]+)?|dylib|dll|lib|exe)$/, '');
    const stem = withLib.replace(/^lib/, '');
    const words = artifact === 'shared' || artifact === 'module' ? ['shared', 'so', 'dynamic'] : artifact === 'static' ? ['static', 'a'] : [];
    const open = (n: string): boolean => {
      const p = this.pkgs.get(n);
      return p !== undefined && p.status !== 'completed' && p.status !== 'failed';
    };
    for (const word of words) {
      for (const n of [`${withLib}_${word}`, `${stem}_${word}`, `${withLib}-${word}`, `${stem}-${word}`]) if (open(n)) return n;
    }
    for (const n of [withLib, stem]) if (this.pkgs.has(n)) return n;
    return null;
  }

  /** A target with compiled files that is built without a link line of its own took the oldest unplaced link. */
  private claimPendingLink(name: string): void {
    const p = this.pkgs.get(name);
    if (this.pendingLinks.length === 0 || !p || p.status === 'linking' || (p.done.size === 0 && p.current.length === 0)) return;
    this.artifacts.set(this.pendingLinks.shift()!, name);
  }

  private complete(name: string, atMs: number): void {
    const p = this.ensure(name);
    if (!p) return;
    this.finishFilesOf(p, atMs);
    if (p.status === 'failed') return;
    if (p.startedMs === null) p.startedMs = atMs;
    p.status = 'completed';
    p.reason = null;
    p.endedMs = atMs;
  }

  /** `guess`: credited by the directory make entered last; undone when the evidence says whose it was. */
  private fail(name: string, atMs: number, guess = false): void {
    const p = this.ensure(name);
    if (!p) return;
    if (guess) {
      if (p.status === 'failed' && p.guessedFailure === null) return;
      if (p.guessedFailure) p.guessedFailure.count++;
      else p.guessedFailure = { count: 1, status: p.status, reason: p.reason, endedMs: p.endedMs };
    } else {
      p.guessedFailure = null;
    }
    if (p.startedMs === null) p.startedMs = atMs;
    p.status = 'failed';
    p.reason = null;
    p.endedMs = atMs;
  }

  /** One guessed failure of `name` was another package's. */
  private unguess(name: string): void {
    const p = this.pkgs.get(name);
    if (p?.guessedFailure && --p.guessedFailure.count === 0) this.restore(p);
  }

  private restore(p: Pkg): void {
    const before = p.guessedFailure;
    if (!before) return;
    p.guessedFailure = null;
    p.status = before.status;
    p.reason = before.reason;
    p.endedMs = before.endedMs;
  }

  /** The file a failed make rule was building never finished. */
  private dropRunning(pkg: string, output: string): void {
    const p = this.pkgs.get(pkg);
    const source = parseCmakeObjectPath(output).source ?? output.replace(/\.(o|obj)$/, '');
    const r = p?.current.find((c) => !c.link && (c.file === source || c.file.replace(/\.[^./]+$/, '') === source || lastPart(c.file).replace(/\.[^.]+$/, '') === lastPart(source)));
    if (!p || !r) return;
    p.current = p.current.filter((c) => c !== r);
    this.running = this.running.filter((c) => c !== r);
  }

  /** Ninja prints a failed step's status line before `FAILED:`; that file did not finish. */
  private unfinish(pkg: string, output: string): void {
    const p = this.pkgs.get(pkg);
    const source = parseCmakeObjectPath(output).source;
    if (!p || source === null || !p.done.delete(source)) return;
    const at = this.files.findLastIndex((f) => f.package === pkg && f.source === source);
    if (at !== -1) this.files.splice(at, 1);
  }

  private start(name: string, atMs: number): void {
    const p = this.ensure(name);
    if (!p || p.startedMs !== null) return;
    p.startedMs = atMs;
    if (p.status === 'queued') p.status = 'compiling';
  }

  /** The oldest `count` running files have finished: make has started more than it has slots for. */
  private retire(count: number, atMs: number): void {
    if (count <= 0) return;
    const gone = this.running.splice(0, count);
    for (const r of gone) {
      const p = this.pkgs.get(r.pkg);
      if (!p) continue;
      p.current = p.current.filter((c) => c !== r);
      if (!r.link) this.finishRun(p, r, atMs);
      // Plain make: a package that is not a directory make entered is done when its last step is.
      if (this.opts.dialect === 'gnu-make' && p.current.length === 0 && p.status !== 'failed' && !this.isEnteredDir(p.name)) {
        this.complete(p.name, atMs);
      }
    }
  }

  private isEnteredDir(name: string): boolean {
    return this.placement.isOpen(name);
  }

  private recordFile(pkg: string, source: string, startedMs: number | null, endedMs: number | null): FileRun | null {
    if (this.files.length >= MAX_FILE_RUNS) return null;
    const run = { package: pkg, source, startedMs, endedMs };
    this.files.push(run);
    return run;
  }

  private finishRun(p: Pkg, r: Running, atMs: number): void {
    p.done.add(r.file);
    const run = this.recordFile(p.name, r.file, r.startedMs, atMs);
    if (!r.compile) return;
    r.compile.state = 'done';
    if (run) this.runOf.set(r.compile, run);
  }

  private finishFilesOf(p: Pkg, atMs: number): void {
    for (const r of p.current) if (!r.link) this.finishRun(p, r, atMs);
    this.running = this.running.filter((r) => r.pkg !== p.name);
    p.current = [];
  }

  private failedMakeTarget(e: Extract<LineEvent, { kind: 'make-error' }>): string | null {
    if (e.makefile !== null) {
      const fromMakefile = parseCmakeObjectPath(e.makefile).target;
      if (fromMakefile !== null) return fromMakefile;
    }
    if (e.target !== null) {
      const fromTarget = this.packageOfOutput(e.target);
      if (fromTarget !== null) return fromTarget;
    }
    return null;
  }

  private ensure(name: string): Pkg | null {
    const have = this.pkgs.get(name);
    if (have) return have;
    if (this.pkgs.size >= MAX_PACKAGES || name === '') return null;
    const p: Pkg = {
      name, status: 'queued', reason: null, current: [], done: new Set(), total: null, startedMs: null, endedMs: null,
      dependsOn: [], guessedFailure: null,
    };
    this.pkgs.set(name, p);
    return p;
  }
}

function lastPart(path: string): string {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const i = trimmed.lastIndexOf('/');
  return i === -1 ? trimmed : trimmed.slice(i + 1);
}

/** The objects a link or archive command lists (not its output), from its first `MAX_LINK_TEXT_CHARS`. */
function linkedObjects(text: string, output: string): string[] {
  const objects = new Set<string>();
  const end = Math.min(text.length, MAX_LINK_TEXT_CHARS);
  let skipNext = false;
  for (let i = 0; i < end; ) {
    while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    let j = i;
    while (j < end && text.charCodeAt(j) !== 32 && text.charCodeAt(j) !== 9) j++;
    if (j > i) {
      const w = text.slice(i, j);
      if (skipNext) skipNext = false;
      else if (w === '-o') skipNext = true;
      else if (w !== output && OBJECT_RE.test(w)) objects.add(w);
    }
    i = j;
  }
  return [...objects];
}

function stemOf(output: string): string {
  return lastPart(output).replace(/^lib/, '').replace(/\.(a|so(\.[\d.]+)?|dylib|dll|lib|exe)$/, '');
}
