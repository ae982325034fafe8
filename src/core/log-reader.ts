import { emptyHeader, HEADER_KEYS, isHeaderKey, LOG_FORMAT_VERSION, parseLineStamp } from './log-format.js';
import type { LogHeader, StampedLine } from './log-format.js';

/** Lines longer than this many bytes (stamp included) are cut unless the reader is told otherwise. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
/** How many problems are kept with their details; later ones are only counted. */
export const MAX_KEPT_PROBLEMS = 100;

const NEWLINE = 0x0a;
const CR = 0x0d;
const HASH = 0x23;
const DETAIL_TEXT_CHARS = 60;
const VERSION_PREFIX = '# buildmon-log';
const INTEGER = /^-?\d{1,16}$/;

/** Something odd in a log that the reader read past. `lineNumber` counts physical lines from 1, header included. */
export interface LogProblem {
  lineNumber: number;
  kind: 'no-timestamp' | 'bad-header' | 'line-too-long' | 'time-went-backwards';
  detail: string;
}

/** Limits for {@link LogReader}. */
export interface LogReaderOptions {
  /** Longest line kept, in bytes including its stamp; the rest of a longer line is dropped and flagged. */
  maxLineBytes?: number;
}

/** Everything {@link parseLog} read from a whole log. */
export interface ParsedLog {
  header: LogHeader;
  lines: StampedLine[];
  problems: LogProblem[];
  problemCount: number;
}

function lineEndBeforeCutChar(buf: Buffer, start: number, end: number): number {
  for (let i = end - 1; i >= start && i >= end - 4; i--) {
    const byte = buf[i] ?? 0;
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return i + length > end ? i : end;
  }
  return end;
}

function quote(text: string): string {
  return JSON.stringify(text.length > DETAIL_TEXT_CHARS ? `${text.slice(0, DETAIL_TEXT_CHARS)}...` : text);
}

/**
 * Streaming reader of the timestamped build log format (FORMAT.md). Chunks of any size go in,
 * complete lines come out in order, so a live build and a replay read alike. Memory stays bounded
 * by one line of at most `maxLineBytes`. No line is dropped and nothing throws: lines without a
 * stamp take the previous line's time and are reported in {@link LogReader.problems}.
 */
export class LogReader {
  readonly #maxLineBytes: number;
  readonly #header: LogHeader = emptyHeader();
  readonly #problems: LogProblem[] = [];
  #problemCount = 0;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #droppedBytes = 0;
  #hasPartialLine = false;
  #lineNumber = 0;
  #inHeader = true;
  #lastStampMs: number | null = null;

  constructor(options: LogReaderOptions = {}) {
    const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.#maxLineBytes = Number.isFinite(max) && max >= 1 ? Math.floor(max) : DEFAULT_MAX_LINE_BYTES;
  }

  /** Header lines read so far; a copy, so later input does not change it. */
  get header(): LogHeader {
    return { ...this.#header, extra: { ...this.#header.extra } };
  }

  /** The first {@link MAX_KEPT_PROBLEMS} problems, in line order. */
  get problems(): LogProblem[] {
    return this.#problems.slice();
  }

  /** How many problems were found in all, kept or not. */
  get problemCount(): number {
    return this.#problemCount;
  }

  /** Reads a chunk and returns the lines it completed; a line cut by the chunk's end waits for the next one. */
  push(chunk: Buffer): StampedLine[] {
    const out: StampedLine[] = [];
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline === -1) {
        this.#keepPartial(chunk, start, chunk.length);
        break;
      }
      if (this.#hasPartialLine) {
        this.#keepPartial(chunk, start, newline);
        this.#readPartialLine(out);
      } else {
        this.#readLine(chunk, start, newline, 0, out);
      }
      start = newline + 1;
    }
    return out;
  }

  /** Reads what is left at the end of input: a last line without `\n`. */
  end(): StampedLine[] {
    const out: StampedLine[] = [];
    if (this.#hasPartialLine) this.#readPartialLine(out);
    return out;
  }

  #keepPartial(chunk: Buffer, start: number, end: number): void {
    this.#hasPartialLine = true;
    const room = this.#maxLineBytes - this.#pendingBytes;
    const kept = Math.min(end - start, room);
    if (kept > 0) {
      this.#pending.push(Buffer.from(chunk.subarray(start, start + kept)));
      this.#pendingBytes += kept;
    }
    this.#droppedBytes += end - start - kept;
  }

  #readPartialLine(out: StampedLine[]): void {
    const pending = this.#pending;
    const line = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, this.#pendingBytes);
    const dropped = this.#droppedBytes;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#droppedBytes = 0;
    this.#hasPartialLine = false;
    this.#readLine(line, 0, line.length, dropped, out);
  }

  #readLine(buf: Buffer, start: number, end: number, droppedBytes: number, out: StampedLine[]): void {
    const lineNumber = ++this.#lineNumber;
    let lineEnd = end;
    let dropped = droppedBytes;
    if (lineEnd - start > this.#maxLineBytes) {
      dropped += lineEnd - start - this.#maxLineBytes;
      lineEnd = start + this.#maxLineBytes;
    }
    if (dropped > 0) {
      const cutEnd = lineEndBeforeCutChar(buf, start, lineEnd);
      dropped += lineEnd - cutEnd;
      lineEnd = cutEnd;
      const keptBytes = lineEnd - start;
      this.#problem(lineNumber, 'line-too-long', () => `line of ${keptBytes + dropped} bytes cut to ${keptBytes}`);
    } else if (lineEnd > start && buf[lineEnd - 1] === CR) {
      lineEnd--;
    }
    if (this.#inHeader && buf[start] === HASH) {
      if (this.#readHeaderLine(buf.toString('utf8', start, lineEnd), lineNumber)) return;
    }
    const stamp = parseLineStamp(buf, start, lineEnd);
    if (stamp !== null) {
      const last = this.#lastStampMs;
      if (last !== null && stamp.atMs < last) {
        this.#problem(lineNumber, 'time-went-backwards', () => `time went from ${last} to ${stamp.atMs} ms`);
      }
      this.#lastStampMs = stamp.atMs;
      this.#inHeader = false;
      out.push({ atMs: stamp.atMs, text: buf.toString('utf8', stamp.textStart, lineEnd) });
      return;
    }
    const text = buf.toString('utf8', start, lineEnd);
    this.#problem(lineNumber, 'no-timestamp', () => `line has no timestamp: ${quote(text)}`);
    out.push({ atMs: this.#lastStampMs ?? this.#header.startedMs ?? 0, text });
  }

  /** Applies a `# key: value` or `# buildmon-log N` line; false when the line is neither. */
  #readHeaderLine(line: string, lineNumber: number): boolean {
    if (line.startsWith(VERSION_PREFIX) && line.charCodeAt(VERSION_PREFIX.length) === 0x20) {
      this.#readVersion(line.slice(VERSION_PREFIX.length + 1).trim(), lineNumber);
      return true;
    }
    if (line.charCodeAt(1) !== 0x20) return false;
    const colon = line.indexOf(':', 2);
    if (colon === -1) return false;
    const key = line.slice(2, colon);
    if (!isHeaderKey(key)) return false;
    const value = line.charCodeAt(colon + 1) === 0x20 ? line.slice(colon + 2) : line.slice(colon + 1);
    const known = HEADER_KEYS.find((candidate) => candidate.key === key);
    if (known === undefined) {
      this.#header.extra[key] = value.trimEnd();
    } else if (!known.numeric) {
      this.#header[known.field] = value;
    } else if (value.trim() === '') {
      // A blank slot: buildmon reserves `ended` and `exit` at the start and fills them at the end.
      this.#header[known.field] = null;
    } else {
      const number = INTEGER.test(value.trimEnd()) ? Number(value.trimEnd()) : null;
      const valid = number !== null && (known.field === 'exitCode' || number >= 0);
      this.#header[known.field] = valid ? number : null;
      if (!valid) this.#problem(lineNumber, 'bad-header', () => `'${key}' is not a valid number: ${quote(value)}`);
    }
    return true;
  }

  #readVersion(value: string, lineNumber: number): void {
    const version = /^\d{1,9}$/.test(value) ? Number(value) : null;
    this.#header.version = version;
    if (version === null) {
      this.#problem(lineNumber, 'bad-header', () => `log format version is not a number: ${quote(value)}`);
    } else if (version !== LOG_FORMAT_VERSION) {
      const detail = `log format version ${version}, read as version ${LOG_FORMAT_VERSION}`;
      this.#problem(lineNumber, 'bad-header', () => detail);
    }
  }

  #problem(lineNumber: number, kind: LogProblem['kind'], detail: () => string): void {
    this.#problemCount++;
    if (this.#problems.length < MAX_KEPT_PROBLEMS) this.#problems.push({ lineNumber, kind, detail: detail() });
  }
}

/** Reads a whole log held in memory; the same result as pushing it to a {@link LogReader} in any chunks. */
export function parseLog(data: Buffer, options: LogReaderOptions = {}): ParsedLog {
  const reader = new LogReader(options);
  const lines = reader.push(data);
  for (const line of reader.end()) lines.push(line);
  return { header: reader.header, lines, problems: reader.problems, problemCount: reader.problemCount };
}
