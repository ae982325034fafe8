/**
 * Finds the package of a file path however the tool printed it: CMake's object paths carry the source
 * relative to the target's directory (`src/os.cc`) or absolute without its leading '/', the model has
 * paths relative to the source directory, and compilers print relative or absolute paths. A path matches
 * an entry when one ends with the other at a '/' boundary; the longest match wins, then the first added.
 * Each (path, package) pair counts how often it was added, so that a compile credited to the wrong package
 * can be moved without losing another compile of the same path.
 */
export class SourceIndex {
  private readonly byBase = new Map<string, { path: string; pkg: string }[]>();
  private readonly known = new Map<string, number>();
  /** Entries by base name without its extension (`foo.c` under `foo`), to place an object whose step names no source. */
  private readonly byStem = new Map<string, { path: string; pkg: string }[]>();

  add(path: string, pkg: string): void {
    const clean = normalize(path);
    const key = `${clean}\0${pkg}`;
    if (clean === '') return;
    const count = this.known.get(key);
    this.known.set(key, (count ?? 0) + 1);
    if (count !== undefined) return;
    const base = baseName(clean);
    let list = this.byBase.get(base);
    if (!list) this.byBase.set(base, (list = []));
    const entry = { path: clean, pkg };
    list.push(entry);
    const stem = stripExtension(base);
    let stemList = this.byStem.get(stem);
    if (!stemList) this.byStem.set(stem, (stemList = []));
    stemList.push(entry);
  }

  /** Takes back one `add(path, pkg)`; the entry goes when every add of it is taken back. */
  remove(path: string, pkg: string): void {
    const clean = normalize(path);
    const key = `${clean}\0${pkg}`;
    const count = this.known.get(key);
    if (count === undefined) return;
    if (count > 1) {
      this.known.set(key, count - 1);
      return;
    }
    this.known.delete(key);
    const base = baseName(clean);
    const list = this.byBase.get(base)!;
    list.splice(list.findIndex((e) => e.path === clean && e.pkg === pkg), 1);
    if (list.length === 0) this.byBase.delete(base);
    const stem = stripExtension(base);
    const stemList = this.byStem.get(stem)!;
    stemList.splice(stemList.findIndex((e) => e.path === clean && e.pkg === pkg), 1);
    if (stemList.length === 0) this.byStem.delete(stem);
  }

  /** One compile of `path` credited to `from` belongs to `to`. */
  move(path: string, from: string, to: string): void {
    if (from === to) return;
    this.remove(path, from);
    this.add(path, to);
  }

  /** The package of `path`, or null when no entry matches (or the match is ambiguous at the same length). */
  find(path: string): string | null {
    const clean = normalize(path);
    const list = this.byBase.get(baseName(clean));
    if (!list) return null;
    let best: { len: number; pkg: string; tie: boolean } | null = null;
    for (const e of list) {
      const len = suffixMatch(clean, e.path);
      if (len === 0) continue;
      if (best === null || len > best.len) best = { len, pkg: e.pkg, tie: false };
      else if (len === best.len && e.pkg !== best.pkg) best.tie = true;
    }
    return best === null || best.tie ? null : best.pkg;
  }

  /**
   * The package of an object whose step names no source (`CC obj/foo.o` from a ninja rule's
   * description): the source it was compiled from has the object's name without `.o`
   * (`foo.c.o` -> `foo.c`, `foo.o` -> `foo.*`). Null unless exactly one package has such a source.
   */
  findByObject(objectPath: string): string | null {
    const bare = normalize(objectPath).replace(/\.(o|obj)$/, '');
    const exact = this.find(bare);
    if (exact !== null) return exact;
    const pkgs = new Set((this.byStem.get(baseName(bare)) ?? []).map((e) => e.pkg));
    return pkgs.size === 1 ? [...pkgs][0]! : null;
  }

  /** Every package that has a file with this base name. */
  packagesWithBase(base: string): string[] {
    return [...new Set((this.byBase.get(base) ?? []).map((e) => e.pkg))];
  }
}

function normalize(path: string): string {
  let p = path.trim();
  for (;;) {
    if (p.startsWith('./')) p = p.slice(2);
    else if (p.startsWith('../') || p.startsWith('__/')) p = p.slice(3);
    else break;
  }
  return p.replace(/\/\.\//g, '/');
}

function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? path : path.slice(i + 1);
}

/** Length of the shared tail when one path ends with the other at a '/' boundary; 0 otherwise. */
function suffixMatch(a: string, b: string): number {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  if (!long.endsWith(short)) return 0;
  if (long.length === short.length) return short.length;
  const before = long.charCodeAt(long.length - short.length - 1);
  return before === 47 /* / */ ? short.length : 0;
}

function stripExtension(base: string): string {
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}
