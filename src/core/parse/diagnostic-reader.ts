import { classifyCmakeHeader } from './cmake-diagnostic.js';
import { classifyDriverLine, classifyLocatedCompilerLine } from './compiler-diagnostic.js';
import { classifyLinkerMessage, classifyLocatedLinkerLine, LINKER_NAME_RE } from './linker-diagnostic.js';
import { isBlank, isIndented } from './line-text.js';
import type { LineEvent } from './types.js';

const CONTINUATION: LineEvent = { kind: 'diagnostic-continuation' };
const INDENTED_CONTINUATION_RE = /^\s+(?:from \S.*[:,]$|inlined from |\| |\|$|\d+ \| |\d+ \|$|\+\+\+ \|)|^\s*\d+ \| /;
const IN_SCOPE_RE = /^In [a-z]/;
/** A CMake message block that never ends with a blank line is cut off after this many lines. */
const MAX_CMAKE_BLOCK_LINES = 400;

type Block = 'none' | 'compiler' | 'cmake' | 'cmake-gap';

/**
 * Recognises diagnostics of gcc/clang, the linkers and CMake, and keeps the one piece of state they need:
 * whether a block is open, so that its indented lines (clang's source excerpts, CMake's message text)
 * count as continuations. Dialect parsers call `endBlock()` when a line turns out to be something else.
 */
export class DiagnosticReader {
  private block: Block = 'none';
  private cmakeLines = 0;

  /** A line that is a diagnostic or a continuation by its own shape, or any line inside a CMake block; else null. */
  readStrong(line: string): LineEvent | null {
    if (this.block === 'cmake' || this.block === 'cmake-gap') {
      const inBlock = this.readCmakeBlock(line);
      if (inBlock) return inBlock;
    }
    if (line.length === 0 || isBlank(line)) return null;
    const event = this.classify(line);
    if (event !== null && this.block === 'none' && !(event.kind === 'diagnostic' && event.diagnostic.tool === 'cmake')) this.block = 'compiler';
    return event;
  }

  /** An indented line while a compiler block is open (clang prints source and caret lines without `|`). */
  readWeak(line: string): LineEvent | null {
    return this.block === 'compiler' && isIndented(line) && !isBlank(line) ? CONTINUATION : null;
  }

  /** The current line is not part of any diagnostic block. */
  endBlock(): void {
    this.block = 'none';
  }

  private readCmakeBlock(line: string): LineEvent | null {
    const blank = line.length === 0 || isBlank(line);
    if (this.block === 'cmake-gap') {
      if (blank) return CONTINUATION;
      if (isIndented(line)) {
        this.block = 'cmake';
        return CONTINUATION;
      }
      this.block = 'none';
      return null;
    }
    if (blank) {
      this.block = 'cmake-gap';
      return CONTINUATION;
    }
    if (!line.startsWith('-- ') && !line.startsWith('CMake ') && ++this.cmakeLines <= MAX_CMAKE_BLOCK_LINES) return CONTINUATION;
    this.block = 'none';
    return null;
  }

  private classify(line: string): LineEvent | null {
    const first = line.charCodeAt(0);
    if (first === 32 || first === 9) return INDENTED_CONTINUATION_RE.test(line) ? CONTINUATION : null;
    if (first === 62 /* > */) return line.startsWith('>>> ') ? CONTINUATION : null;
    if (first === 73 /* I */ && (line.startsWith('In file included from ') || (endsWithColonOrComma(line) && IN_SCOPE_RE.test(line)))) {
      return CONTINUATION;
    }
    if (first === 67 /* C */ && line.startsWith('CMake ')) {
      const header = classifyCmakeHeader(line);
      if (header === null) return null;
      if (header.opensBlock) {
        this.block = 'cmake';
        this.cmakeLines = 0;
      }
      return header.event;
    }
    if (first === 99 /* c */ && line === 'compilation terminated.') return CONTINUATION;
    return classifyColonLine(line);
  }
}

function classifyColonLine(line: string): LineEvent | null {
  const colon = line.indexOf(':');
  if (colon <= 0) return null;
  const next = line.charCodeAt(colon + 1);
  if (next === 32) {
    const name = line.slice(0, colon);
    if (LINKER_NAME_RE.test(name)) return classifyLinkerMessage(line.slice(colon + 2));
    const driver = classifyDriverLine(name, line.slice(colon + 2));
    if (driver) return driver;
  } else if (next === 40 /* ( */) {
    return classifyLocatedLinkerLine(line);
  }
  const compiler = classifyLocatedCompilerLine(line, colon);
  if (compiler) return compiler;
  return next >= 48 && next <= 57 ? classifyLocatedLinkerLine(line) : null;
}

function endsWithColonOrComma(line: string): boolean {
  const last = line.charCodeAt(line.length - 1);
  return last === 58 /* : */ || last === 44 /* , */;
}
