import { classifyEchoedCommand } from './echoed-command.js';
import { normalizeLine } from './line-text.js';
import { percentPrefixEnd } from './make-percent.js';
import { compileNinjaStatus } from './ninja-status-format.js';
import type { Dialect } from './types.js';

/** What the command line says about the build tool. */
export interface DialectHint {
  tool?: 'make' | 'cmake' | 'ninja' | 'unknown';
  /** The generator of the CMake build directory, when there is one. */
  cmakeGenerator?: 'make' | 'ninja' | null;
}

/** Sniffing gives up after this many lines. */
const MAX_SNIFF_LINES = 500;
const CMAKE_MAKE_MARKERS = ['Built target ', 'Scanning dependencies of target ', 'Consolidate compiler generated dependencies of target '] as const;
const matchNinjaStatus = compileNinjaStatus();

/**
 * Picks the dialect from the command and, failing that, sniffs the first lines:
 * `[ 45%]` means CMake's Makefiles, `[3/10]` or `ninja:` means ninja, an echoed compiler command plain make.
 */
export function detectDialect(hint: DialectHint, firstLines?: readonly string[]): Dialect {
  const { tool, cmakeGenerator } = hint;
  if (tool === 'ninja') return 'ninja';
  if (tool === 'cmake' || tool === 'make' || cmakeGenerator) {
    if (cmakeGenerator === 'ninja' && tool !== 'make') return 'ninja';
    if (cmakeGenerator === 'make') return 'cmake-make';
  }
  return sniffDialect(firstLines ?? []) ?? (tool === 'cmake' ? 'cmake-make' : 'gnu-make');
}

function sniffDialect(lines: readonly string[]): Dialect | null {
  const count = Math.min(lines.length, MAX_SNIFF_LINES);
  for (let i = 0; i < count; i++) {
    const line = normalizeLine(String(lines[i]));
    if (percentPrefixEnd(line) !== -1) return 'cmake-make';
    if (line.startsWith('ninja: ') || (matchNinjaStatus !== null && matchNinjaStatus(line) !== null)) return 'ninja';
    for (const marker of CMAKE_MAKE_MARKERS) if (line.startsWith(marker)) return 'cmake-make';
    const step = classifyEchoedCommand(line, 'start', null);
    if (step !== null && (step.kind === 'compile' || step.kind === 'link')) return 'gnu-make';
  }
  return null;
}
