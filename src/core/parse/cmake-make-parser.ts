import { classifyCmakeStatus } from './cmake-status.js';
import { DiagnosticReader } from './diagnostic-reader.js';
import { classifySafely } from './line-text.js';
import { percentPrefixEnd, percentValue } from './make-percent.js';
import { classifyOtherLine, type OtherLineContext } from './other-line.js';
import type { LineParser, ParsedLine } from './types.js';

/**
 * Parser for CMake's Makefile generator: `[ 45%] Building CXX object ...` lines are printed when a step
 * starts, so compile and link events have phase 'start'.
 */
export class CmakeMakeParser implements LineParser {
  readonly dialect = 'cmake-make' as const;
  private readonly ctx: OtherLineContext = { diagnostics: new DiagnosticReader(), target: null, commandPhase: null };

  parse(text: string): ParsedLine {
    return classifySafely(text, (line) => this.parseLine(line));
  }

  private parseLine(line: string): ParsedLine {
    const end = percentPrefixEnd(line);
    if (end !== -1) {
      this.ctx.diagnostics.endBlock();
      return { event: classifyCmakeStatus(line.slice(end), 'start'), progress: { pct: percentValue(line, end) } };
    }
    return { event: classifyOtherLine(line, this.ctx), progress: null };
  }
}
