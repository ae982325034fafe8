import fs from 'node:fs';
import { parseLineStamp } from '../core/log-format.js';
import { streamsPathFor } from './log-writer.js';

/** A line read back from a build log as a runner writes it. */
export interface FollowedLine {
  atMs: number;
  raw: Buffer;
  stream: 'out' | 'err';
  /** False when the build printed no '\n' after it (a last line, or a piece of an over-long one). */
  newline: boolean;
}

const READ_CHUNK_BYTES = 1 << 20;
const END_MARK = 0x21; // '!'

/** Reads what has been appended to a file since the last call. */
class Tail {
  private fd: number | null = null;
  private offset = 0;
  private readonly chunk = Buffer.alloc(READ_CHUNK_BYTES);

  constructor(private readonly filePath: string) {}

  read(): Buffer[] {
    if (this.fd === null) {
      try {
        this.fd = fs.openSync(this.filePath, 'r');
      } catch {
        return [];
      }
    }
    const parts: Buffer[] = [];
    for (;;) {
      const n = fs.readSync(this.fd, this.chunk, 0, this.chunk.length, this.offset);
      if (n <= 0) break;
      this.offset += n;
      parts.push(Buffer.from(this.chunk.subarray(0, n)));
      if (n < this.chunk.length) break;
    }
    return parts;
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

/**
 * Tails a log that a runner is writing: each `poll()` returns the complete stamped lines added
 * since the last call, with the stream each came from (from the log's sidecar, written before the
 * line itself; stdout with a newline when there is none). Header lines are skipped. The sidecar's
 * end mark tells when the build is over without asking the database.
 */
export class LogFollower {
  private readonly log: Tail;
  private readonly streams: Tail;
  private partial: Buffer = Buffer.alloc(0);
  private kinds: Buffer = Buffer.alloc(0);
  private inHeader = true;
  private endSeen = false;

  constructor(logPath: string) {
    this.log = new Tail(logPath);
    this.streams = new Tail(streamsPathFor(logPath));
  }

  /** True once the runner has marked the log complete (all its lines have then been returned). */
  get ended(): boolean {
    return this.endSeen && this.kinds.length === 0;
  }

  poll(): FollowedLine[] {
    // The log first: the sidecar is written before the log, so every line read has its stream.
    const data = this.log.read();
    const kinds = this.streams.read();
    if (kinds.length > 0) {
      let more = Buffer.concat(kinds);
      if (more[more.length - 1] === END_MARK) {
        this.endSeen = true;
        more = more.subarray(0, more.length - 1);
      }
      this.kinds = Buffer.concat([this.kinds, more]);
    }
    if (data.length === 0) return [];
    const buf = Buffer.concat([this.partial, ...data]);
    const out: FollowedLine[] = [];
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, start);
      if (nl === -1) break;
      this.take(buf, start, nl, out);
      start = nl + 1;
    }
    this.partial = buf.subarray(start);
    return out;
  }

  close(): void {
    this.log.close();
    this.streams.close();
  }

  private take(buf: Buffer, start: number, end: number, out: FollowedLine[]): void {
    if (this.inHeader && buf[start] === 0x23 /* # */) return;
    this.inHeader = false;
    const stamp = parseLineStamp(buf, start, end);
    const kind = this.kinds[0];
    if (kind !== undefined) this.kinds = this.kinds.subarray(1);
    out.push({
      atMs: stamp?.atMs ?? 0,
      raw: buf.subarray(stamp?.textStart ?? start, end),
      stream: kind === 0x65 || kind === 0x45 ? 'err' : 'out',
      newline: kind === undefined || kind >= 0x61,
    });
  }
}
