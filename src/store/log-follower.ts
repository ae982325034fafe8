import fs from 'node:fs';

/** A line read back from a build log: its stamp and its raw bytes. */
export interface FollowedLine {
  atMs: number;
  raw: Buffer;
}

const READ_CHUNK_BYTES = 1 << 20;

/**
 * Tails a log that a runner is writing: each `poll()` returns the complete stamped lines added
 * since the last call. Header lines are skipped; a file not created yet is simply empty.
 */
export class LogFollower {
  private fd: number | null = null;
  private offset = 0;
  private partial: Buffer = Buffer.alloc(0);
  private inHeader = true;
  private readonly chunk = Buffer.alloc(READ_CHUNK_BYTES);

  constructor(private readonly filePath: string) {}

  poll(): FollowedLine[] {
    if (this.fd === null) {
      try {
        this.fd = fs.openSync(this.filePath, 'r');
      } catch {
        return [];
      }
    }
    const out: FollowedLine[] = [];
    for (;;) {
      const n = fs.readSync(this.fd, this.chunk, 0, this.chunk.length, this.offset);
      if (n <= 0) break;
      this.offset += n;
      this.consume(this.chunk.subarray(0, n), out);
      if (n < this.chunk.length) break;
    }
    return out;
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private consume(data: Buffer, out: FollowedLine[]): void {
    let buf = this.partial.length > 0 ? Buffer.concat([this.partial, data]) : Buffer.from(data);
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, start);
      if (nl === -1) break;
      this.take(buf.subarray(start, nl), out);
      start = nl + 1;
    }
    buf = buf.subarray(start);
    this.partial = Buffer.from(buf);
  }

  private take(line: Buffer, out: FollowedLine[]): void {
    if (this.inHeader && line[0] === 0x23 /* # */) return;
    this.inHeader = false;
    let i = 0;
    let atMs = 0;
    while (i < line.length && i < 20) {
      const c = line[i] as number;
      if (c < 48 || c > 57) break;
      atMs = atMs * 10 + (c - 48);
      i++;
    }
    const rawStart = i < line.length && line[i] === 0x20 ? i + 1 : i;
    out.push({ atMs, raw: line.subarray(rawStart) });
  }
}
