import { dirNamesOf, lastPart, pathsMatch } from './printed-path.js';

/** One compile of a hand-written Makefile's build and the package it is credited to. */
export interface PlacedCompile {
  /** The object as the compile printed it (relative to the directory its make runs in). */
  readonly object: string;
  /** The file the package counts: the source, else the object. */
  readonly source: string;
  readonly startedMs: number;
  pkg: string;
  /**
   * Credited to the directory make entered last while other makes may print at the same time (`-j`):
   * a guess that a link listing the object, or the failure of a directory, corrects.
   */
  provisional: boolean;
  /** The directories open when it was printed (as make printed them); null when too many to keep. */
  readonly candidates: readonly string[] | null;
  /** Directories ruled out: their library was linked without it, or before it was printed. */
  readonly excluded: string[];
  state: 'running' | 'done' | 'failed';
}

/**
 * A compile that the evidence puts in another package. `built`: a link listed it, so it has finished.
 * `unguessed`: a package that its failure had been credited to by a guess.
 */
export interface PlacementMove {
  compile: PlacedCompile;
  from: string;
  to: string;
  built: boolean;
  unguessed: string | null;
}

interface GuessedFailure {
  compile: PlacedCompile | null;
  pkg: string;
  level: number;
}

const MAX_COMPILES = 200_000;
const MAX_CANDIDATES = 16;
const MAX_GUESSED_FAILURES = 64;
const MAX_LISTED_OBJECTS = 20_000;
const MAX_ENTERED = 10_000;

/**
 * Where the steps of a recursive plain-make build belong. Make says which directory a sub-make entered,
 * but under `-j` sibling sub-makes (and the make above them) print at the same time, so "the directory
 * entered last" is only a guess. The evidence that settles it: a compile whose path names an open
 * directory; a library named after an open directory (`libalpha.a` in `alpha`) listing its objects; the
 * top-level link listing objects built at the top; the top-level make naming the directory that failed.
 * With one job, the directory entered last is right and nothing is provisional. Pure and bounded.
 */
export class PlainMakePlacement {
  private readonly stack: string[] = [];
  private readonly open = new Map<string, number>();
  private readonly entered = new Set<string>();
  private readonly byBase = new Map<string, PlacedCompile[]>();
  private readonly guessed = new Set<PlacedCompile>();
  /** Open directories whose library is linked: their make is finishing, later compiles are not theirs. */
  private readonly linked = new Set<string>();
  private guessedFailures: GuessedFailure[] = [];
  private compileCount = 0;

  /** `parallel`: make may run more than one job at once. */
  constructor(private readonly parallel: boolean) {}

  enter(dir: string): void {
    this.stack.push(dir);
    const name = lastPart(dir);
    this.open.set(name, (this.open.get(name) ?? 0) + 1);
    if (this.entered.size < MAX_ENTERED) this.entered.add(name);
    this.linked.delete(name);
  }

  leave(dir: string): void {
    const at = this.stack.lastIndexOf(dir);
    if (at === -1) return;
    this.stack.splice(at, 1);
    this.forget(dir);
  }

  /** The package of the directory make entered last; null when none is open. */
  top(): string | null {
    const dir = this.stack[this.stack.length - 1];
    return dir === undefined ? null : lastPart(dir);
  }

  isOpen(name: string): boolean {
    return this.open.has(name);
  }

  wasEntered(name: string): boolean {
    return this.entered.has(name);
  }

  /**
   * The entered directory a failed make target stands for: its own name (`alpha`, `lib/alpha`), else the
   * one directory it names after a separator (`package_alpha`, `alpha-all`); null when none or several.
   */
  directoryNamedBy(target: string): string | null {
    const t = lastPart(target);
    if (this.entered.has(t)) return t;
    let found: string | null = null;
    for (const n of this.entered) {
      if (t.length <= n.length || !namesWord(t, n)) continue;
      if (found !== null) return null;
      found = n;
    }
    return found;
  }

  /**
   * Credits a compile to the directory entered last. Under `-j`: to the open directory its source path
   * names, else, as a guess, to the directory entered last whose library is not linked yet. With no
   * directory open: to `fallback` (the package already known for that source, else its own directory or `top`).
   */
  place(object: string, source: string, startedMs: number, fallback: string): PlacedCompile {
    const top = this.top();
    const named = this.parallel && top !== null ? this.openDirIn(source) : null;
    const provisional = named === null && top !== null && this.parallel;
    const candidates = provisional ? this.openDirs() : null;
    const unlinked = candidates?.filter((d) => !this.linked.has(lastPart(d))) ?? [];
    const guess = unlinked.length > 0 ? lastPart(unlinked[unlinked.length - 1]!) : top;
    const c: PlacedCompile = {
      object, source, startedMs, pkg: named ?? guess ?? fallback, provisional, candidates,
      excluded: candidates?.map(lastPart).filter((n) => this.linked.has(n)) ?? [], state: 'running',
    };
    if (this.compileCount >= MAX_COMPILES) return { ...c, provisional: false };
    this.compileCount++;
    const base = lastPart(object);
    const list = this.byBase.get(base);
    if (list) list.push(c);
    else this.byBase.set(base, [c]);
    if (provisional) this.guessed.add(c);
    return c;
  }

  /** The open directory an archive or library is named after (`alpha/libalpha.a` -> `alpha`): whose link it is. */
  linkHome(output: string): string | null {
    const stem = lastPart(output).replace(/^lib/, '').replace(/\.(a|so(\.[\d.]+)?|dylib|dll|lib)$/, '');
    return this.isOpen(stem) ? stem : null;
  }

  /**
   * What a link's object list proves. Each listed object is `home`'s (null: the top level, where an object
   * goes where a compile with no directory open would), or the entered directory its path names. With
   * `exclusive` (a library whose whole list is known), home is done: the guessed compiles it does not list
   * are not home's (those credited to it go to the innermost other directory open when they were printed,
   * or to the top level when none is left), and compiles printed later are not credited to it.
   */
  settleLink(objects: readonly string[], home: string | null, exclusive: boolean): PlacementMove[] {
    if (!this.parallel || objects.length === 0) return [];
    const moves: PlacementMove[] = [];
    const listed = new Set<PlacedCompile>();
    for (const object of new Set(objects.slice(0, MAX_LISTED_OBJECTS))) {
      const named = this.enteredDirIn(object);
      const c = this.pick(object, listed, named ?? home);
      if (c === null) continue;
      listed.add(c);
      if (!c.provisional) continue;
      this.guessed.delete(c);
      c.provisional = false;
      this.moveTo(c, named ?? home ?? topLevelPackage(c.source), moves, true);
    }
    if (!exclusive || home === null || objects.length > MAX_LISTED_OBJECTS) return moves;
    this.linked.add(home);
    for (const c of [...this.guessed]) {
      if (listed.has(c) || !couldBeIn(c, home)) continue;
      if (!c.excluded.includes(home)) c.excluded.push(home);
      const to = c.pkg === home ? this.alternativeFor(c) : null;
      if (to !== null) this.moveTo(c, to, moves, false);
    }
    return moves;
  }

  /**
   * `make[N]: *** [...: alpha3.o] Error 1`: the compile of that object stopped. Returns it (null when no
   * compile printed it); when its package was a guess, remembers it so that the directory the top-level
   * make names can take it.
   */
  compileFailed(object: string, level: number): PlacedCompile | null {
    const list = this.byBase.get(lastPart(object)) ?? [];
    let found: PlacedCompile | null = null;
    for (let i = list.length - 1; i >= 0; i--) {
      const c = list[i]!;
      if (c.state === 'failed' || !pathsMatch(c.object, object)) continue;
      if (found === null || (found.state !== 'running' && c.state === 'running')) found = c;
      if (c.state === 'running') break;
    }
    if (found === null) return null;
    found.state = 'failed';
    if (found.provisional) this.rememberFailure({ compile: found, pkg: found.pkg, level });
    return found;
  }

  /** A failure with no compile to name was credited to `pkg` by a guess. */
  guessedFailure(pkg: string, level: number): void {
    if (this.parallel) this.rememberFailure({ compile: null, pkg, level });
  }

  /**
   * `make: *** [Makefile:5: alpha] Error 2`: the sub-make in `dir` failed. The guessed failure of a
   * deeper make just before it, if it could be dir's, was dir's: returns the package it had wrongly
   * failed and the compile that moves, or null when there is none.
   */
  directoryFailed(dir: string, level: number): { unguessed: string | null; move: PlacementMove | null } | null {
    for (let i = this.guessedFailures.length - 1; i >= 0; i--) {
      const f = this.guessedFailures[i]!;
      if (f.level <= level || (f.compile !== null && !couldBeIn(f.compile, dir))) continue;
      this.guessedFailures.splice(i, 1);
      const unguessed = f.pkg === dir ? null : f.pkg;
      if (f.compile === null || !f.compile.provisional) return { unguessed, move: null };
      this.guessed.delete(f.compile);
      f.compile.provisional = false;
      const moves: PlacementMove[] = [];
      this.moveTo(f.compile, dir, moves, false, false);
      return { unguessed, move: moves[0] ?? null };
    }
    return null;
  }

  /** A package failed only by guesses linked its library after all: those failures were not its own. */
  forgetFailuresOf(pkg: string): void {
    this.guessedFailures = this.guessedFailures.filter((f) => f.pkg !== pkg);
  }

  private pick(object: string, taken: Set<PlacedCompile>, target: string | null): PlacedCompile | null {
    let fallback: PlacedCompile | null = null;
    for (const c of this.byBase.get(lastPart(object)) ?? []) {
      if (taken.has(c) || c.state === 'failed' || !pathsMatch(c.object, object)) continue;
      if (c.pkg === (target ?? topLevelPackage(c.source))) return c;
      if (fallback === null && c.provisional && (target === null || couldBeIn(c, target))) fallback = c;
    }
    return fallback;
  }

  /**
   * Among the directories open when it was printed and not yet ruled out, the one that no other contains
   * (a make in a directory prints its own steps, its enclosing make only what no subdirectory can have);
   * the top level when none is left; null while more than one is possible.
   */
  private alternativeFor(c: PlacedCompile): string | null {
    if (c.candidates === null) return null;
    const left = c.candidates.filter((d) => !c.excluded.includes(lastPart(d)));
    if (left.length === 0) return topLevelPackage(c.source);
    const innermost = new Set(left.filter((d) => !left.some((other) => other.startsWith(d.endsWith('/') ? d : `${d}/`))).map(lastPart));
    return innermost.size === 1 ? [...innermost][0]! : null;
  }

  private moveTo(c: PlacedCompile, to: string, moves: PlacementMove[], built: boolean, settleFailure = true): void {
    if (c.pkg === to) return;
    const from = c.pkg;
    let unguessed: string | null = null;
    if (settleFailure && c.state === 'failed') {
      const at = this.guessedFailures.findIndex((f) => f.compile === c);
      if (at !== -1) unguessed = this.guessedFailures.splice(at, 1)[0]!.pkg;
    }
    c.pkg = to;
    moves.push({ compile: c, from, to, built, unguessed });
  }

  private rememberFailure(f: GuessedFailure): void {
    if (this.guessedFailures.length >= MAX_GUESSED_FAILURES) this.guessedFailures.shift();
    this.guessedFailures.push(f);
  }

  private forget(dir: string): void {
    const name = lastPart(dir);
    const count = this.open.get(name) ?? 0;
    if (count <= 1) this.open.delete(name);
    else this.open.set(name, count - 1);
  }

  private openDirs(): string[] | null {
    if (this.stack.length > MAX_CANDIDATES) return null;
    return [...new Set(this.stack)];
  }

  /** The nearest directory of `path` that names an open directory. */
  private openDirIn(path: string): string | null {
    return dirNamesOf(path).find((n) => this.open.has(n)) ?? null;
  }

  private enteredDirIn(path: string): string | null {
    return dirNamesOf(path).find((n) => this.entered.has(n)) ?? null;
  }
}

/** `package_alpha`, `alpha-all`, `alpha.stamp` name `alpha`. */
function namesWord(text: string, word: string): boolean {
  const separated = (i: number): boolean => i >= 0 && i < text.length && '_-.'.includes(text[i]!);
  return (text.endsWith(word) && separated(text.length - word.length - 1)) || (text.startsWith(word) && separated(word.length));
}

function couldBeIn(c: PlacedCompile, name: string): boolean {
  return c.candidates === null || c.candidates.some((d) => lastPart(d) === name);
}

/** Where a file compiled with no directory open goes: its own directory (`src/net/a.c` -> `net`), else `top`. */
export function topLevelPackage(file: string): string {
  const i = file.lastIndexOf('/');
  return i <= 0 ? 'top' : lastPart(file.slice(0, i));
}
