import type { DiagnosticStart, LineEvent } from './types.js';

const LOCATION_RE = /^([^:]+):(\d+)(?::(\d+))?:( +)(.*)$/;
const SEVERITY_RE = /^(fatal error|internal compiler error|error|warning|note|remark|Error|Warning): ?(.*)$/;
const DRIVER_NAME_RE = /^(?:\S*\/)?(?:[\w.+-]+-)?(cc1(?:plus|obj|objplus)?|lto1|lto-wrapper|f951|gcc|g\+\+|cc|c\+\+|cpp|clang(?:\+\+)?(?:-\d+)?|as|collect2)(?:-[\d.]+)?$/;
const SCOPE_SUFFIXES = [' In ', ' At global scope:', ' At top level:', ' Assembler messages:'] as const;
const MAKEFILE_NAME_RE = /(?:^|\/)(?:GNUmakefile|[Mm]akefile[^/]*|[^/]+\.mk|[^/]+\.make)$/;

const CONTINUATION: LineEvent = { kind: 'diagnostic-continuation' };

/**
 * Classifies a line that starts `<place>:` as gcc/clang print it:
 * `file:line:col: error: message` (also without column, and `Error:` from the assembler),
 * `file:line:col:   required from here` and `file: In function 'f':` (continuations).
 * `colon` is the index of the line's first ':'. Null when the line is not a compiler diagnostic.
 */
export function classifyLocatedCompilerLine(line: string, colon: number): LineEvent | null {
  const next = line.charCodeAt(colon + 1);
  if (next >= 48 && next <= 57) return located(line);
  if (next === 32 /* space */) {
    for (const suffix of SCOPE_SUFFIXES) if (line.startsWith(suffix, colon + 1)) return CONTINUATION;
  }
  return null;
}

/**
 * Classifies `<driver>: <severity>: message` from the compiler driver and its helpers
 * (`cc1plus: note: ...`, `g++: error: unrecognized ...`, `collect2: error: ld returned 1 exit status`).
 * `name` is the text before the first ': '. Null when `name` is not a compiler driver.
 */
export function classifyDriverLine(name: string, rest: string): LineEvent | null {
  const driver = DRIVER_NAME_RE.exec(name);
  if (!driver) return null;
  const m = SEVERITY_RE.exec(rest);
  if (!m) return rest.startsWith('all warnings being treated as errors') ? CONTINUATION : null;
  const program = driver[1]!;
  const message = m[2]!;
  const linker = program === 'collect2' || program === 'lto-wrapper' || message.startsWith('linker command failed');
  return diagnostic(severityOf(m[1]!), linker ? 'linker' : 'compiler', null, null, null, message);
}

function located(line: string): LineEvent | null {
  const m = LOCATION_RE.exec(line);
  if (!m) return null;
  const tail = m[5]!;
  if (m[4]!.length >= 2) return tail === '' ? null : CONTINUATION;
  const sev = SEVERITY_RE.exec(tail);
  if (!sev) return null;
  const file = m[1]!;
  const tool = MAKEFILE_NAME_RE.test(file) ? 'make' : 'compiler';
  return diagnostic(severityOf(sev[1]!), tool, file, Number(m[2]), m[3] === undefined ? null : Number(m[3]), sev[2]!);
}

function severityOf(word: string): DiagnosticStart['severity'] {
  switch (word) {
    case 'fatal error':
    case 'internal compiler error':
      return 'fatal';
    case 'error':
    case 'Error':
      return 'error';
    case 'warning':
    case 'Warning':
      return 'warning';
    default:
      return 'note';
  }
}

function diagnostic(
  severity: DiagnosticStart['severity'],
  tool: DiagnosticStart['tool'],
  file: string | null,
  line: number | null,
  column: number | null,
  message: string,
): LineEvent {
  return { kind: 'diagnostic', diagnostic: { severity, tool, file, line, column, message } };
}
