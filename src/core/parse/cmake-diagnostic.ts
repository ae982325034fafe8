import type { LineEvent } from './types.js';

const HEADER_RE = /^CMake (Error|Warning|Deprecation Warning|Deprecation Error)(?: \(\w+\))?(?: at ([^:]+):(\d+)(?: \([^)]*\))?:| in ([^:]+):|:\s*(.*))\s*$/;
const GENERATE_FAILED = 'CMake Generate step failed.';

/** Result of reading a `CMake ...` line: the event, and whether indented lines that follow belong to it. */
export interface CmakeHeader {
  event: LineEvent;
  opensBlock: boolean;
}

/**
 * Classifies the first line of a CMake message: `CMake Error at CMakeLists.txt:12 (message):`,
 * `CMake Warning (dev) at ...`, `CMake Error in src/CMakeLists.txt:`, `CMake Error: text`,
 * `CMake Generate step failed. ...`. For the `at`/`in` forms the message is the header itself,
 * since the text follows on the next lines. Null when the line is no such header.
 */
export function classifyCmakeHeader(line: string): CmakeHeader | null {
  const m = HEADER_RE.exec(line);
  if (m) {
    const severity = m[1]!.endsWith('Error') ? 'error' : 'warning';
    const file = m[2] ?? m[4] ?? null;
    const message = m[5] !== undefined && m[5] !== '' ? m[5] : line.trimEnd().replace(/:$/, '');
    return {
      event: { kind: 'diagnostic', diagnostic: { severity, tool: 'cmake', file, line: m[3] === undefined ? null : Number(m[3]), column: null, message } },
      opensBlock: true,
    };
  }
  if (line.startsWith(GENERATE_FAILED)) {
    return { event: { kind: 'diagnostic', diagnostic: { severity: 'error', tool: 'cmake', file: null, line: null, column: null, message: line.trimEnd() } }, opensBlock: false };
  }
  return null;
}
