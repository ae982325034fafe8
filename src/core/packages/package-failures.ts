import type { LineEvent } from '../parse/types.js';
import { parseCmakeObjectPath } from '../parse/cmake-object-path.js';
import type { LinkAttribution } from './link-attribution.js';
import { isObjectFile } from './linked-objects.js';
import type { PackageRecord } from './package-record.js';
import type { PlacementMove, PlainMakePlacement } from './plain-make-placement.js';
import type { RunningFiles } from './running-files.js';

type MakeError = Extract<LineEvent, { kind: 'make-error' }>;
type NinjaFailed = Extract<LineEvent, { kind: 'ninja-failed' }>;

/** The tracker's state and operations that a failure reaches. */
export interface FailureContext {
  readonly pkgs: ReadonlyMap<string, PackageRecord>;
  readonly placement: PlainMakePlacement;
  readonly running: RunningFiles;
  readonly links: LinkAttribution;
  /** Make may run more than one job at once: a failure credited to the directory entered last is a guess. */
  readonly parallel: boolean;
  /** The record of `name`, created when new; null past the package limit. */
  ensure(name: string): PackageRecord | null;
  /** Carries out a move the placement decided. */
  applyMove(m: PlacementMove, atMs: number): void;
}

/**
 * Which package a failure belongs to, and what it undoes: the file that was building did not finish.
 * Under plain make with `-j` a failure may be credited by a guess; the package keeps what it was before,
 * so that later evidence (its library linked, the top-level make naming another directory) restores it.
 */
export class PackageFailures {
  constructor(private readonly ctx: FailureContext) {}

  /** CMake's make: `make[2]: *** [CMakeFiles/fmt.dir/build.make:90: CMakeFiles/fmt.dir/src/os.cc.o] Error 1` fails `fmt`. */
  onMakeError(atMs: number, e: MakeError): void {
    const pkg = this.failedMakeTarget(e);
    if (pkg === null || e.code === null) return;
    // Make lets the package's other running jobs finish; only the failed file stops.
    if (e.target !== null) this.ctx.running.dropRunning(pkg, e.target);
    this.fail(pkg, atMs);
  }

  /**
   * `make[1]: *** [Makefile:6: alpha3.o] Error 1` fails the package of the compile it names (a guess
   * under `-j`); `make: *** [Makefile:5: alpha] Error 2` fails directory `alpha`, which takes the guessed
   * failure just before it from the package it was credited to.
   */
  onPlainMakeError(atMs: number, e: MakeError): void {
    if (e.code === null) return;
    const { placement } = this.ctx;
    const level = e.level ?? 0;
    const compile = e.target !== null && isObjectFile(e.target) ? placement.compileFailed(e.target, level) : null;
    if (compile !== null) {
      this.ctx.running.stopCompile(compile);
      this.fail(compile.pkg, atMs, compile.provisional);
      return;
    }
    const named = this.failedMakeTarget(e) ?? (e.target === null ? null : placement.directoryNamedBy(e.target));
    const pkg = named ?? (level > 0 ? placement.top() : null);
    if (pkg === null) return;
    if (e.target !== null) this.ctx.running.dropRunning(pkg, e.target);
    const guess = named === null && this.ctx.parallel;
    if (guess) placement.guessedFailure(pkg, level);
    this.fail(pkg, atMs, guess);
    const settled = named !== null && placement.wasEntered(named) ? placement.directoryFailed(named, level) : null;
    if (settled?.move) this.ctx.applyMove(settled.move, atMs);
    if (settled?.unguessed) this.unguess(settled.unguessed);
  }

  /** Ninja's `FAILED: <outputs>`: each output's package failed, and that file did not finish. */
  onNinjaFailed(atMs: number, e: NinjaFailed): void {
    for (const out of e.outputs) {
      const pkg = this.ctx.links.packageOfOutput(out);
      if (pkg === null) continue;
      this.ctx.running.unfinish(pkg, out);
      this.fail(pkg, atMs);
    }
  }

  /** `guess`: credited by the directory make entered last; undone when the evidence says whose it was. */
  fail(name: string, atMs: number, guess = false): void {
    const p = this.ctx.ensure(name);
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
  unguess(name: string): void {
    const p = this.ctx.pkgs.get(name);
    if (p?.guessedFailure && --p.guessedFailure.count === 0) this.restore(p);
  }

  /** Every guessed failure of `p` was another package's: it goes back to what it was before them. */
  restore(p: PackageRecord): void {
    const before = p.guessedFailure;
    if (!before) return;
    p.guessedFailure = null;
    p.status = before.status;
    p.reason = before.reason;
    p.endedMs = before.endedMs;
  }

  private failedMakeTarget(e: MakeError): string | null {
    if (e.makefile !== null) {
      const fromMakefile = parseCmakeObjectPath(e.makefile).target;
      if (fromMakefile !== null) return fromMakefile;
    }
    if (e.target !== null) {
      const fromTarget = this.ctx.links.packageOfOutput(e.target);
      if (fromTarget !== null) return fromTarget;
    }
    return null;
  }
}
