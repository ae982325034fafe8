import { classifyCmakeStatus } from './cmake-status.js';
import { DiagnosticReader } from './diagnostic-reader.js';
import { classifySafely } from './line-text.js';
import { percentPrefixEnd, percentValue } from './make-percent.js';
import { classifyOtherLine, type OtherLineContext } from './other-line.js';
import type { LineEvent, LineParser, ParsedLine } from './types.js';

/** Deeper nesting than this is garbage or a runaway recursion; the oldest directories are forgotten. */
const MAX_DIRECTORY_DEPTH = 64;

/**
 * Parser for hand-written Makefiles: make echoes each recipe line before running it, so compile and link
 * events have phase 'start'. The target of a step is the package: the last part of the directory make
 * last said it entered (`make[1]: Entering directory '/src/proj/net'` -> 'net').
 */
export class GnuMakeParser implements LineParser {
  readonly dialect = 'gnu-make' as const;
  private readonly ctx: OtherLineContext = { diagnostics: new DiagnosticReader(), target: null, commandPhase: 'start' };
  private readonly dirs: string[] = [];

  parse(text: string): ParsedLine {
    return classifySafely(text, (line) => this.parseLine(line));
  }

  private parseLine(line: string): ParsedLine {
    const end = percentPrefixEnd(line);
    if (end !== -1) {
      this.ctx.diagnostics.endBlock();
      return { event: classifyCmakeStatus(line.slice(end), 'start'), progress: { pct: percentValue(line, end) } };
    }
    const event = classifyOtherLine(line, this.ctx);
    if (event.kind === 'enter-dir' || event.kind === 'leave-dir') this.track(event);
    return { event, progress: null };
  }

  private track(event: Extract<LineEvent, { kind: 'enter-dir' | 'leave-dir' }>): void {
    if (event.kind === 'enter-dir') {
      this.dirs.push(event.dir);
      if (this.dirs.length > MAX_DIRECTORY_DEPTH) this.dirs.shift();
    } else {
      const at = this.dirs.lastIndexOf(event.dir);
      if (at !== -1) this.dirs.splice(at, 1);
    }
    const current = this.dirs[this.dirs.length - 1];
    this.ctx.target = current === undefined ? null : packageOf(current);
  }
}

function packageOf(dir: string): string {
  const trimmed = dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir;
  const slash = trimmed.lastIndexOf('/');
  return slash === -1 || trimmed.length === 1 ? trimmed : trimmed.slice(slash + 1);
}
