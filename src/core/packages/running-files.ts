import { parseCmakeObjectPath } from '../parse/cmake-object-path.js';
import type { PackageRecord, RunningFile } from './package-record.js';
import type { PlacedCompile } from './plain-make-placement.js';
import { lastPart } from './printed-path.js';

/** One compiled file's times as the output shows them: make gives the start, ninja the end; the other is inferred or null. */
export interface FileRun {
  package: string;
  source: string;
  startedMs: number | null;
  endedMs: number | null;
}

const MAX_FILE_RUNS = 200_000;

/**
 * Make's job-slot window and the files that left it. Make prints a step when it starts and never when it
 * ends, so the oldest running step has finished once make has started more steps than it has slots. Also
 * keeps, bounded, every compiled file's run in the order it finished. Times in ms since the epoch.
 */
export class RunningFiles {
  private running: RunningFile[] = [];
  private readonly files: FileRun[] = [];
  private readonly runOf = new WeakMap<PlacedCompile, FileRun>();

  /**
   * `slots`: how many steps make runs at once (at least 1). `onRetired`: called for each step that left
   * the window, after its package's record was updated.
   */
  constructor(
    private readonly pkgs: ReadonlyMap<string, PackageRecord>,
    private readonly slots: number,
    private readonly onRetired: (p: PackageRecord, atMs: number) => void,
  ) {}

  /** `r` of package `p` took a slot at `atMs`; the oldest steps beyond the slot count have finished. */
  begin(p: PackageRecord, r: RunningFile, atMs: number): void {
    p.current.push(r);
    this.running.push(r);
    this.retire(this.running.length - this.slots, atMs);
  }

  /** The build ended: every step still in the window finished at `atMs`. */
  retireAll(atMs: number): void {
    this.retire(this.running.length, atMs);
  }

  /** Takes `r` out of the window without finishing it. */
  remove(r: RunningFile): void {
    this.running = this.running.filter((x) => x !== r);
  }

  /** `r` finished at `atMs` as a file of `p`. */
  finishRun(p: PackageRecord, r: RunningFile, atMs: number): void {
    p.done.add(r.file);
    const run = this.record(p.name, r.file, r.startedMs, atMs);
    if (!r.compile) return;
    r.compile.state = 'done';
    if (run) this.runOf.set(r.compile, run);
  }

  /** Every file `p` was compiling finished at `atMs` (it linked, or make said it was built). */
  finishFilesOf(p: PackageRecord, atMs: number): void {
    for (const r of p.current) if (!r.link) this.finishRun(p, r, atMs);
    this.running = this.running.filter((r) => r.pkg !== p.name);
    p.current = [];
  }

  /** A file whose end is all the output shows (ninja): recorded as finished at `endedMs`. */
  recordEnded(pkg: string, source: string, endedMs: number): void {
    this.record(pkg, source, null, endedMs);
  }

  /** The run recorded for a placed compile that finished, if any. */
  runOfCompile(c: PlacedCompile): FileRun | undefined {
    return this.runOf.get(c);
  }

  /** The file a failed make rule was building never finished. */
  dropRunning(pkg: string, output: string): void {
    const p = this.pkgs.get(pkg);
    const source = parseCmakeObjectPath(output).source ?? output.replace(/\.(o|obj)$/, '');
    const r = p?.current.find((c) => !c.link && (c.file === source || c.file.replace(/\.[^./]+$/, '') === source || lastPart(c.file).replace(/\.[^.]+$/, '') === lastPart(source)));
    if (!p || !r) return;
    p.current = p.current.filter((c) => c !== r);
    this.running = this.running.filter((c) => c !== r);
  }

  /** The compile a make failure names did not finish. */
  stopCompile(c: PlacedCompile): void {
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

  /** Ninja prints a failed step's status line before `FAILED:`; that file did not finish. */
  unfinish(pkg: string, output: string): void {
    const p = this.pkgs.get(pkg);
    const source = parseCmakeObjectPath(output).source;
    if (!p || source === null || !p.done.delete(source)) return;
    const at = this.files.findLastIndex((f) => f.package === pkg && f.source === source);
    if (at !== -1) this.files.splice(at, 1);
  }

  /** The files compiled so far, in the order they finished. */
  fileRuns(): FileRun[] {
    return this.files.map((f) => ({ ...f }));
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
      this.onRetired(p, atMs);
    }
  }

  private record(pkg: string, source: string, startedMs: number | null, endedMs: number | null): FileRun | null {
    if (this.files.length >= MAX_FILE_RUNS) return null;
    const run = { package: pkg, source, startedMs, endedMs };
    this.files.push(run);
    return run;
  }
}
