const NEWLINE = 0x0a;
/** An output line longer than this is cut into pieces of this size rather than buffered without bound. */
export const MAX_OUTPUT_LINE_BYTES = 16 * 1024 * 1024;

/** A line of output: its bytes without the '\n', and whether a '\n' ended it (false for a cut piece or a last line without one). */
export interface OutputLine {
  bytes: Buffer;
  newline: boolean;
}

/**
 * Splits a byte stream into lines, keeping bytes exactly as the build printed them: no decoding,
 * so invalid UTF-8 and carriage returns survive into the log untouched.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxLineBytes: number = MAX_OUTPUT_LINE_BYTES) {}

  push(chunk: Buffer): OutputLine[] {
    const lines: OutputLine[] = [];
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) {
        this.keep(chunk.subarray(start), lines);
        break;
      }
      const piece = chunk.subarray(start, nl);
      if (this.pendingBytes === 0) lines.push({ bytes: piece, newline: true });
      else {
        this.pending.push(piece);
        lines.push({ bytes: Buffer.concat(this.pending, this.pendingBytes + piece.length), newline: true });
        this.pending = [];
        this.pendingBytes = 0;
      }
      start = nl + 1;
    }
    return lines;
  }

  /** The last line, if the stream ended without a newline. */
  end(): OutputLine[] {
    if (this.pendingBytes === 0) return [];
    const last = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    return [{ bytes: last, newline: false }];
  }

  private keep(rest: Buffer, out: OutputLine[]): void {
    // Copy: the caller may reuse the chunk's memory.
    this.pending.push(Buffer.from(rest));
    this.pendingBytes += rest.length;
    while (this.pendingBytes >= this.maxLineBytes) {
      const all = Buffer.concat(this.pending, this.pendingBytes);
      out.push({ bytes: all.subarray(0, this.maxLineBytes), newline: false });
      const tail = all.subarray(this.maxLineBytes);
      this.pending = tail.length > 0 ? [tail] : [];
      this.pendingBytes = tail.length;
    }
  }
}
