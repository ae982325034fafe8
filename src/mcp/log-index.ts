import fs from 'node:fs';
import { BuildEngine } from '../core/engine.js';
import type { Diagnostic } from '../core/diagnostics/diagnostic.js';
import { parseLineStamp } from '../core/log-format.js';
import { detectDialect } from '../core/parse/index.js';
import { lineText } from '../core/raw-line.js';
import { readCmakeGenerator } from '../run/resolve-command.js';
import type { SessionRecord } from '../store/session-types.js';

/** Bytes read from the log at a time while indexing or scanning. */
const CHUNK_BYTES = 1 << 20;
/** How many first lines are sniffed for the output dialect when neither the tool nor CMake's cache tells it. */
const SNIFF_LINES = 50;

/**
 * What is known of a session's log without holding its text: where each output line starts in the
 * file (8 bytes a line), which lines are part of a diagnostic, and the engine's diagnostics. Text is
 * read back from the file only for the lines a page shows. {@link advance} reads in bounded slices,
 * so a large log is indexed over several calls, never in one blocking read.
 */
export class LogIndex {
  private starts = new Float64Array(1024);
  private count = 0;
  /** Byte offset just after the last whole line indexed. */
  private doneBytes = 0;
  private readonly notable: number[] = [];
  private engine: BuildEngine | null = null;
  private sniff: { atMs: number; text: string }[] = [];
  private inHeader = true;
  private exited = false;
  private lastAtMs: number | null = null;
  private chunk = Buffer.alloc(CHUNK_BYTES);

  constructor(private session: SessionRecord) {}

  /** Output lines indexed so far. */
  get lineCount(): number {
    return this.count;
  }

  /** Line numbers (from 1, ascending) that are part of a warning or error block, or a failure line. */
  get notableLines(): readonly number[] {
    return this.notable;
  }

  /** Bytes of the log indexed, and its size when last looked at. */
  progress(): { doneBytes: number; fileBytes: number } {
    return { doneBytes: this.doneBytes, fileBytes: this.fileBytes() };
  }

  diagnostics(): Diagnostic[] {
    return this.engine ? this.engine.diagnostics() : [];
  }

  /**
   * Indexes what was appended since the last call for at most `budgetMs` (by `nowMs`); true once
   * everything in the file is indexed. `ended` (the session is over, so its log is complete) also
   * ends the engine's run, once.
   */
  advance(session: SessionRecord, ended: boolean, budgetMs: number, nowMs: () => number): boolean {
    this.session = session;
    const stopAt = nowMs() + budgetMs;
    let fd: number;
    try {
      fd = fs.openSync(session.logPath, 'r');
    } catch {
      return true;
    }
    try {
      for (;;) {
        const n = fs.readSync(fd, this.chunk, 0, this.chunk.length, this.doneBytes);
        if (n <= 0) break;
        const last = this.chunk.lastIndexOf(0x0a, n - 1);
        if (last < 0) {
          if (n < this.chunk.length) break;
          this.chunk = Buffer.alloc(this.chunk.length * 2);
          continue;
        }
        this.indexChunk(this.chunk, last + 1);
        if (nowMs() >= stopAt) return this.doneBytes >= fs.fstatSync(fd).size && this.finish(ended);
      }
    } finally {
      fs.closeSync(fd);
    }
    return this.finish(ended);
  }

  /** The text of lines `from`..`to` (inclusive, from 1), stamps removed, read back from the log. */
  readLines(from: number, to: number): string[] {
    const first = Math.max(1, from);
    const last = Math.min(to, this.count);
    if (last < first) return [];
    const begin = this.starts[first - 1] as number;
    const end = this.endOf(last);
    const buf = Buffer.alloc(end - begin);
    const fd = fs.openSync(this.session.logPath, 'r');
    try {
      fs.readSync(fd, buf, 0, buf.length, begin);
    } finally {
      fs.closeSync(fd);
    }
    const out: string[] = [];
    for (let n = first; n <= last; n++) {
      const s = (this.starts[n - 1] as number) - begin;
      const e = this.endOf(n) - begin - 1;
      const stamp = parseLineStamp(buf, s, e);
      out.push(lineText(buf.subarray(stamp?.textStart ?? s, e)));
    }
    return out;
  }

  /** Bytes the lines `from`..`to` take in the log, so a reader can bound what it reads at once. */
  bytesOf(from: number, to: number): number {
    return this.endOf(Math.min(to, this.count)) - (this.starts[Math.max(1, from) - 1] as number);
  }

  private endOf(n: number): number {
    return n < this.count ? (this.starts[n] as number) : this.doneBytes;
  }

  private fileBytes(): number {
    try {
      return fs.statSync(this.session.logPath).size;
    } catch {
      return 0;
    }
  }

  private indexChunk(buf: Buffer, length: number): void {
    let start = 0;
    while (start < length) {
      const nl = buf.indexOf(0x0a, start);
      const at = this.doneBytes + start;
      if (!(this.inHeader && buf[start] === 0x23)) {
        this.inHeader = false;
        const stamp = parseLineStamp(buf, start, nl);
        this.addLine(at, stamp?.atMs ?? 0, lineText(buf.subarray(stamp?.textStart ?? start, nl)));
      }
      start = nl + 1;
    }
    this.doneBytes += length;
  }

  private addLine(offset: number, atMs: number, text: string): void {
    if (this.count === this.starts.length) {
      const grown = new Float64Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[this.count++] = offset;
    this.lastAtMs = atMs;
    if (this.engine === null) {
      this.sniff.push({ atMs, text });
      if (this.sniff.length >= SNIFF_LINES) this.startEngine();
      return;
    }
    if (this.engine.onLine(atMs, text) === 'notable') this.notable.push(this.count);
  }

  private startEngine(): void {
    const s = this.session;
    const dialect = detectDialect({ tool: s.tool as 'make' | 'cmake' | 'ninja' | 'unknown', cmakeGenerator: readCmakeGenerator(s.projectDir) },
      this.sniff.map((l) => l.text));
    const engine = new BuildEngine({ dialect, startedMs: s.startedMs, jobs: s.jobs, priorTotalMs: null, targets: s.targets });
    this.engine = engine;
    const first = this.count - this.sniff.length;
    this.sniff.forEach((l, i) => {
      if (engine.onLine(l.atMs, l.text) === 'notable') this.notable.push(first + i + 1);
    });
    this.sniff = [];
  }

  private finish(ended: boolean): boolean {
    if (!ended) {
      if (this.sniff.length > 0) this.startEngine();
      return true;
    }
    if (this.engine === null || this.sniff.length > 0) this.startEngine();
    if (!this.exited) {
      this.exited = true;
      const s = this.session;
      this.engine?.onExit(s.endedMs ?? this.lastAtMs ?? s.startedMs, s.exitCode, s.signal);
    }
    return true;
  }
}
