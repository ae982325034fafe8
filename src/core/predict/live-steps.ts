import { parseCmakeObjectPath } from '../parse/cmake-object-path.js';
import type { Dialect, LineEvent } from '../parse/types.js';
import type { PackageState } from '../packages/package-state.js';
import type { FileRun } from '../packages/running-files.js';
import { inferredStartMs } from './inferred-starts.js';
import type { RunningStep } from './remaining-work.js';

/** A finished file with both of its times (epoch ms), the start inferred where the output did not say. */
export interface TimedFile {
  package: string;
  source: string;
  startedMs: number;
  endedMs: number;
}

/** A file the process sampler saw compiling, placed in a package and named as the history names it. */
export interface PlacedSource {
  package: string;
  source: string;
}

const MAX_STEP_ENDS = 200_000;

/**
 * When the steps of a running build began, for the predictor: make prints a compile when it starts, so
 * its start is kept by package and base name; ninja prints a step when it ends, so every end is kept to
 * infer starts, and the files the process sampler sees compiling are kept with the time first seen.
 * Pure: times arrive with the events (epoch ms).
 */
export class LiveSteps {
  private readonly starts = new Map<string, { source: string; atMs: number }>();
  private readonly startsByBase = new Map<string, { source: string; atMs: number }>();
  private readonly lastStartOf = new Map<string, { source: string; atMs: number }>();
  private readonly stepEnds: number[] = [];
  private seen = new Map<string, { placed: PlacedSource; atMs: number }>();
  private readonly firstSeen = new Map<string, number>();

  private readonly historyByBase = new Map<string, PlacedSource[]>();

  /** `historySources`: the sources each package compiled before, to name sampled files as the history does. */
  constructor(
    private readonly dialect: Dialect,
    private readonly slots: number,
    private readonly startedMs: number,
    historySources?: ReadonlyMap<string, readonly string[]>,
  ) {
    for (const [pkg, sources] of historySources ?? []) {
      for (const source of sources) {
        const base = baseName(source);
        this.historyByBase.set(base, [...(this.historyByBase.get(base) ?? []), { package: pkg, source }]);
      }
    }
  }

  /** One parsed line: `pkg` is the package the tracker gave a compile; `progress` says a ninja step ended. */
  onLine(atMs: number, event: LineEvent, pkg: string | null, progress: boolean): void {
    if (this.dialect === 'ninja') {
      if (progress && this.stepEnds.length < MAX_STEP_ENDS) this.stepEnds.push(atMs);
      return;
    }
    if (event.kind !== 'compile' || event.phase !== 'start') return;
    const source = event.source ?? event.object;
    const rec = { source, atMs };
    this.starts.set(`${pkg ?? ''}\u0000${baseName(source)}`, rec);
    this.startsByBase.set(baseName(source), rec);
    if (pkg !== null) this.lastStartOf.set(pkg, rec);
  }

  /**
   * The sampler's list of the files compiling at `atMs`, each as its compiler's command line names it: the
   * object (`CMakeFiles/<target>.dir/<source>.o`, which names the package too) or the source. New ones began
   * now, missing ones are no longer running. `packageOf` is the tracker's placement of a source path.
   */
  onRunningFiles(atMs: number, paths: readonly string[], packageOf: (path: string) => string | null): void {
    const next = new Map<string, { placed: PlacedSource; atMs: number }>();
    for (const path of paths) {
      const p = this.place(path, parseCmakeObjectPath(path).target === null ? packageOf(path) : null);
      if (p === null) continue;
      const key = `${p.package}\u0000${p.source}`;
      const first = this.seen.get(key)?.atMs ?? this.firstSeen.get(key) ?? atMs;
      next.set(key, { placed: p, atMs: first });
      if (!this.firstSeen.has(key)) this.firstSeen.set(key, first);
    }
    this.seen = next;
  }

  /** A sampled path as the history names it, in the tracker's package where it knows one. */
  private place(path: string, pkg: string | null): PlacedSource | null {
    const object = parseCmakeObjectPath(path);
    if (object.target !== null && object.source !== null) return { package: object.target, source: object.source };
    const clean = path.replace(/^(?:\.\.?\/)+/, '');
    const matches = (this.historyByBase.get(baseName(clean)) ?? []).filter((h) => endsAtSlash(clean, h.source.replace(/^(?:\.\.?\/)+/, '')));
    const hit = matches.find((h) => h.package === pkg) ?? matches[0];
    if (hit) return { package: pkg ?? hit.package, source: hit.source };
    return pkg === null ? null : { package: pkg, source: clean };
  }

  /** Whether the sampler has said what runs. */
  sampled(): boolean {
    return this.firstSeen.size > 0;
  }

  /** Base names the sampler sees compiling in `pkg`. */
  sampledFilesOf(pkg: string): string[] {
    return [...this.seen.values()].filter((s) => s.placed.package === pkg).map((s) => baseName(s.placed.source));
  }

  /** What runs now: make's current files and links, or the files the sampler sees (ninja). */
  running(packages: readonly PackageState[], files: readonly FileRun[]): RunningStep[] {
    const out: RunningStep[] = [];
    const lastEnd = new Map<string, number>();
    for (const f of files) if (f.endedMs !== null) lastEnd.set(f.package, Math.max(lastEnd.get(f.package) ?? 0, f.endedMs));
    if (this.dialect === 'ninja') {
      const done = new Set(files.map((f) => `${f.package}\u0000${f.source}`));
      for (const [key, s] of this.seen) if (!done.has(key)) out.push({ package: s.placed.package, source: s.placed.source, startedMs: s.atMs });
      return out;
    }
    for (const p of packages) {
      for (const base of p.current_files) {
        const rec = this.starts.get(`${p.name}\u0000${base}`) ?? this.startsByBase.get(base);
        out.push({ package: p.name, source: rec?.source ?? base, startedMs: rec?.atMs ?? null });
      }
      // Make's window retires the oldest step when a newer one starts, though a long step may still run:
      // a package is not done compiling before it links, so its last file may still be compiling.
      const last = this.lastStartOf.get(p.name);
      if (p.status === 'compiling' && p.current_files.length === 0 && last) out.push({ package: p.name, source: last.source, startedMs: last.atMs });
      if (p.status === 'linking') out.push({ package: p.name, source: null, startedMs: lastEnd.get(p.name) ?? null });
    }
    return out;
  }

  /** Ninja without the sampler: when each slot took the step it runs now (the last ends, else the build's start). */
  busySinceMs(): number[] {
    if (this.dialect !== 'ninja' || this.sampled()) return [];
    const out = this.stepEnds.slice(-this.slots);
    while (out.length < this.slots) out.unshift(this.startedMs);
    return out;
  }

  /** Finished files with a start: as printed (make), as the sampler first saw it, or inferred from the step ends. */
  timed(files: readonly FileRun[]): TimedFile[] {
    const out: TimedFile[] = [];
    for (const f of files) {
      if (f.endedMs === null) continue;
      const startedMs = f.startedMs ?? this.firstSeen.get(`${f.package}\u0000${f.source}`) ?? inferredStartMs(f.endedMs, this.stepEnds, this.slots, this.startedMs);
      out.push({ package: f.package, source: f.source, startedMs, endedMs: f.endedMs });
    }
    return out;
  }
}

/** One path ends with the other at a '/' boundary (a compiler's absolute path and CMake's relative one). */
function endsAtSlash(a: string, b: string): boolean {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  return long.endsWith(short) && (long.length === short.length || long.charCodeAt(long.length - short.length - 1) === 47);
}

function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? path : path.slice(i + 1);
}
