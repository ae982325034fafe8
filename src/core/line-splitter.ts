const NEWLINE = 0x0a;
/** A line longer than this is cut into pieces of this size rather than buffered without bound. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * Splits a byte stream into lines (without the '\n'), keeping bytes exactly as the build printed
 * them: no decoding, so invalid UTF-8 and carriage returns survive into the log untouched.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxLineBytes: number = DEFAULT_MAX_LINE_BYTES) {}

  push(chunk: Buffer): Buffer[] {
    const lines: Buffer[] = [];
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) {
        this.keep(chunk.subarray(start), lines);
        break;
      }
      const piece = chunk.subarray(start, nl);
      if (this.pendingBytes === 0) lines.push(piece);
      else {
        this.pending.push(piece);
        lines.push(Buffer.concat(this.pending, this.pendingBytes + piece.length));
        this.pending = [];
        this.pendingBytes = 0;
      }
      start = nl + 1;
    }
    return lines;
  }

  /** The last line, if the stream ended without a newline. */
  end(): Buffer[] {
    if (this.pendingBytes === 0) return [];
    const last = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    return [last];
  }

  private keep(rest: Buffer, out: Buffer[]): void {
    // Copy: the caller may reuse the chunk's memory.
    this.pending.push(Buffer.from(rest));
    this.pendingBytes += rest.length;
    while (this.pendingBytes >= this.maxLineBytes) {
      const all = Buffer.concat(this.pending, this.pendingBytes);
      out.push(all.subarray(0, this.maxLineBytes));
      const tail = all.subarray(this.maxLineBytes);
      this.pending = tail.length > 0 ? [tail] : [];
      this.pendingBytes = tail.length;
    }
  }
}
