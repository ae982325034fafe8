import type { Dialect, LineEvent, ParsedLine } from '../parse/types.js';
import type { ProjectModel } from '../project-model.js';
import type { PackageState } from './package-state.js';
import { markCompleted, markStarted, newPackageRecord, settleAtExit, type PackageRecord, type RunningFile } from './package-record.js';
import { packageView } from './package-view.js';
import { SourceIndex } from './source-index.js';
import { PlainMakePlacement, topLevelPackage, type PlacementMove } from './plain-make-placement.js';
import { RunningFiles, type FileRun } from './running-files.js';
import { LinkAttribution } from './link-attribution.js';
import { linkedObjects, MAX_LINK_TEXT_CHARS } from './linked-objects.js';
import { PackageFailures } from './package-failures.js';
import { targetScope } from './target-scope.js';
import { artifactStem, lastPart } from './printed-path.js';

export type { FileRun } from './running-files.js';

/** How a build was run and what is known of its project before it starts. */
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

const MAX_PACKAGES = 5000;

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
  private readonly pkgs = new Map<string, PackageRecord>();
  private readonly sources = new SourceIndex();
  private readonly links = new LinkAttribution(this.pkgs, this.sources);
  private readonly placement: PlainMakePlacement;
  private readonly running: RunningFiles;
  private readonly failures: PackageFailures;
  private readonly enteredMs = new Map<string, number>();
  private lastStepMs: number | null = null;
  private exitedAtMs: number | null = null;
  /** False when the build asked for targets the model cannot place: what it did not touch is not known to be up to date. */
  private readonly scopeKnown: boolean;

  constructor(options: PackageTrackerOptions) {
    this.opts = options;
    const parallel = (options.jobs ?? 1) > 1;
    this.placement = new PlainMakePlacement(parallel);
    this.running = new RunningFiles(this.pkgs, Math.max(1, options.jobs ?? 1), (p, atMs) => this.afterRetire(p, atMs));
    this.failures = new PackageFailures({
      pkgs: this.pkgs, placement: this.placement, running: this.running, links: this.links, parallel,
      ensure: (name) => this.ensure(name),
      applyMove: (m, atMs) => this.applyMove(m, atMs),
    });
    const scope = targetScope(options.model, options.targets ?? []);
    this.scopeKnown = scope.known;
    for (const p of options.model?.packages ?? []) {
      if (scope.packages !== null && !scope.packages.has(p.name)) continue;
      const pkg = this.ensure(p.name);
      if (!pkg) continue;
      pkg.dependsOn = [...p.dependsOn];
      pkg.total = p.sources.length > 0 ? p.sources.length : null;
      for (const s of p.sources) this.sources.add(s, p.name);
      for (const a of p.artifacts) this.links.setArtifact(a, p.name);
    }
  }

  /** Feeds one classified line at its time; `text`, the line as printed, gives a plain-make link's objects. */
  onLine(atMs: number, parsed: ParsedLine, text?: string): void {
    this.dispatch(atMs, parsed, text);
    // Under ninja every status line ends a step, a generator's included: the next step started by then.
    if (this.opts.dialect === 'ninja' && parsed.progress !== null) this.lastStepMs = atMs;
  }

  private dispatch(atMs: number, parsed: ParsedLine, text?: string): void {
    const e = parsed.event;
    const plain = this.opts.dialect === 'gnu-make';
    switch (e.kind) {
      case 'compile':
        return plain && e.phase === 'start' ? this.onPlainCompile(atMs, e) : this.onCompile(atMs, e);
      case 'link':
        if (plain && e.phase === 'start') this.onPlainLink(atMs, e, text);
        return this.onLink(atMs, e);
      case 'target-built':
        this.links.claimPendingLink(e.target);
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
      case 'make-error':
        return plain ? this.failures.onPlainMakeError(atMs, e) : this.failures.onMakeError(atMs, e);
      case 'ninja-failed':
        return this.failures.onNinjaFailed(atMs, e);
      default:
        return;
    }
  }

  /** The build ended: what was still running either finished (success) or was stopped (failure). */
  onExit(atMs: number, ok: boolean): void {
    this.exitedAtMs = atMs;
    this.running.retireAll(atMs);
    for (const p of this.pkgs.values()) settleAtExit(p, atMs, ok, this.scopeKnown);
  }

  /** The package that compiles `path` (as a compiler or CMake printed it), or null. */
  packageOfSource(path: string): string | null {
    return this.sources.find(path);
  }

  /** The package that produces `path`: an object under `CMakeFiles/<t>.dir/`, a known artifact, or `lib<name>.a`. */
  packageOfOutput(path: string): string | null {
    return this.links.packageOfOutput(path);
  }

  /** The files compiled so far, in the order they finished. */
  fileRuns(): FileRun[] {
    return this.running.fileRuns();
  }

  /** Names of packages compiling or linking, the most recently busy first. */
  busiest(): string[] {
    return [...this.pkgs.values()]
      .filter((p) => p.status === 'compiling' || p.status === 'linking')
      .sort((a, b) => (b.lastActivityMs ?? 0) - (a.lastActivityMs ?? 0) || (a.name < b.name ? -1 : 1))
      .map((p) => p.name);
  }

  /** Every package, sorted by name, as of `atMs`. */
  packages(atMs: number): PackageState[] {
    const ctx = { pkgs: this.pkgs, historyFileCounts: this.opts.historyFileCounts, exitedAtMs: this.exitedAtMs };
    return [...this.pkgs.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((p) => packageView(p, atMs, ctx));
  }

  private onCompile(atMs: number, e: Extract<LineEvent, { kind: 'compile' }>): void {
    const file = e.source ?? e.object;
    const byObject = e.source === null ? this.sources.findByObject(e.object) : null;
    const name = e.target ?? this.packageOfSource(file) ?? byObject ?? topLevelPackage(file);
    const p = this.ensure(name);
    if (!p) return;
    this.sources.add(file, name);
    if (e.phase === 'end') {
      this.start(name, this.lastStepMs ?? atMs);
      this.lastStepMs = atMs;
      p.lastActivityMs = atMs;
      p.done.add(file);
      this.running.recordEnded(name, file, atMs);
      if (p.status === 'queued') p.status = 'compiling';
      // A failed package's other steps still finish (ninja waits for running jobs): it ends with the last.
      if (p.status === 'failed' && p.endedMs !== null && atMs > p.endedMs) p.endedMs = atMs;
      return;
    }
    this.start(name, this.enteredMs.get(name) ?? atMs);
    if (p.status === 'queued' || p.status === 'completed') p.status = 'compiling';
    this.running.begin(p, { pkg: name, file, startedMs: atMs }, atMs);
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
    const r: RunningFile = { pkg: c.pkg, file, startedMs: atMs, compile: c };
    this.running.begin(p, r, atMs);
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
      this.failures.restore(p);
    }
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
        this.running.remove(r);
        this.running.finishRun(to, r, atMs);
      } else {
        to.current.push(r);
      }
    } else if (c.state === 'done') {
      from.done.delete(c.source);
      to.done.add(c.source);
      const run = this.running.runOfCompile(c);
      if (run) run.package = m.to;
    }
    const startMs = Math.min(this.enteredMs.get(m.to) ?? c.startedMs, c.startedMs);
    if (to.startedMs === null || startMs < to.startedMs) to.startedMs = startMs;
    if (to.status === 'queued') to.status = 'compiling';
    if (m.unguessed !== null) this.failures.unguess(m.unguessed);
    if (c.state === 'failed') this.failures.fail(m.to, atMs, c.provisional);
    else if (to.current.length === 0 && to.status !== 'failed' && !this.isEnteredDir(to.name)) {
      this.complete(to.name, Math.max(to.endedMs ?? 0, this.running.runOfCompile(c)?.endedMs ?? atMs));
    }
  }

  private onLink(atMs: number, e: Extract<LineEvent, { kind: 'link' }>): void {
    const known = this.opts.dialect === 'gnu-make'
      ? this.placement.linkHome(e.output) ?? this.placement.top() ?? this.links.linkedPackage(e.output, e.artifact)
      : e.target ?? this.links.linkedPackage(e.output, e.artifact);
    if (known === null && this.opts.dialect === 'cmake-make') {
      this.links.deferLink(e.output);
      return;
    }
    const name = known ?? artifactStem(e.output);
    const p = this.ensure(name);
    if (!p) return;
    this.links.setArtifact(lastPart(e.output), name);
    if (e.phase === 'end') {
      this.start(name, this.lastStepMs ?? atMs);
      this.lastStepMs = atMs;
      this.complete(name, atMs);
      return;
    }
    this.start(name, atMs);
    this.running.finishFilesOf(p, atMs);
    if (p.status !== 'failed') p.status = 'linking';
    if (this.opts.dialect === 'gnu-make') {
      // Nothing in a hand-written Makefile's output says a link ended: it has when its job slot is reused.
      this.running.begin(p, { pkg: name, file: e.output, startedMs: atMs, link: true }, atMs);
    }
  }

  /** Plain make: a package that is not a directory make entered is done when its last step is. */
  private afterRetire(p: PackageRecord, atMs: number): void {
    if (this.opts.dialect === 'gnu-make' && p.current.length === 0 && p.status !== 'failed' && !this.isEnteredDir(p.name)) {
      this.complete(p.name, atMs);
    }
  }

  private complete(name: string, atMs: number): void {
    const p = this.ensure(name);
    if (!p) return;
    this.running.finishFilesOf(p, atMs);
    markCompleted(p, atMs);
  }

  private start(name: string, atMs: number): void {
    const p = this.ensure(name);
    if (!p) return;
    p.lastActivityMs = Math.max(p.lastActivityMs ?? atMs, atMs);
    if (p.startedMs !== null) return;
    markStarted(p, atMs);
    this.completeWaitedFor(p, atMs);
  }

  /**
   * A package only starts once what it waits for is built, so a dependency still shown as queued
   * (a custom target whose steps name no target, such as a code generator under ninja) is done.
   */
  private completeWaitedFor(p: PackageRecord, atMs: number): void {
    const stack = [...p.dependsOn];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const dep = this.pkgs.get(stack.pop()!);
      if (!dep || seen.has(dep.name)) continue;
      seen.add(dep.name);
      if (dep.status !== 'queued' || dep.startedMs !== null) continue;
      dep.status = 'completed';
      dep.reason = 'built before its dependants started';
      dep.endedMs = atMs;
      stack.push(...dep.dependsOn);
    }
  }

  private isEnteredDir(name: string): boolean {
    return this.placement.isOpen(name);
  }

  private ensure(name: string): PackageRecord | null {
    const have = this.pkgs.get(name);
    if (have) return have;
    if (this.pkgs.size >= MAX_PACKAGES || name === '') return null;
    const p = newPackageRecord(name);
    this.pkgs.set(name, p);
    return p;
  }
}
