import type { DiagnosticStart, LineEvent } from './types.js';

const SECTION_RE = /^([^:\s][^:]*):\(([^)]*)\): (.*)$/;
const LOCATED_RE = /^([^:\s][^:]*):(\d+): (.*)$/;
const FILE_SEVERITY_RE = /^([^:\s][^:]*): (warning|error): (.*)$/;

/** The linker's name before its first ': ', e.g. `/usr/bin/ld`, `ld.lld`, `x86_64-linux-gnu-ld.bfd`, `mold`. */
export const LINKER_NAME_RE = /^(?:\S*\/)?(?:[\w.+-]+-)?(?:ld(?:\.(?:bfd|gold|lld|mold))?|ld64\.lld|lld|mold)(?:-[\d.]+)?$/;

const CONTINUATION: LineEvent = { kind: 'diagnostic-continuation' };

/**
 * Classifies what a GNU ld / gold / lld / mold line says after `<linker>: `:
 * `zstdcli.c:(.text+0x12): undefined reference to 'x'` is an error in zstdcli.c (no line number),
 * `foo.o: in function 'main':` continues a block, `warning: ...` is a warning.
 */
export function classifyLinkerMessage(rest: string): LineEvent {
  if (rest.startsWith('warning: ')) return linkerDiagnostic('warning', null, null, rest.slice(9));
  if (rest.startsWith('error: ')) return linkerDiagnostic('error', null, null, rest.slice(7));
  if (rest.startsWith('fatal error: ')) return linkerDiagnostic('fatal', null, null, rest.slice(13));
  if (isInFunctionLine(rest)) return CONTINUATION;
  const located = classifyLocatedLinkerLine(rest);
  if (located) return located;
  const withSeverity = FILE_SEVERITY_RE.exec(rest);
  if (withSeverity) return linkerDiagnostic(withSeverity[2] as 'warning' | 'error', withSeverity[1]!, null, withSeverity[3]!);
  if (rest.startsWith('skipping incompatible ')) return linkerDiagnostic('warning', null, null, rest);
  return linkerDiagnostic('error', null, null, rest);
}

/**
 * A linker line that starts with the place of the problem instead of the linker's name:
 * `zstdcli.c:(.text.startup+0xb89): undefined reference to 'x'` or, with debug info,
 * `/src/a.c:12: undefined reference to 'x'`. Null when the line is neither.
 */
export function classifyLocatedLinkerLine(text: string): LineEvent | null {
  const section = SECTION_RE.exec(text);
  if (section) return locatedMessage(section[1]!, null, section[3]!, true);
  const located = LOCATED_RE.exec(text);
  if (located) return locatedMessage(located[1]!, Number(located[2]), located[3]!, false);
  return null;
}

function locatedMessage(file: string, line: number | null, message: string, anyMessage: boolean): LineEvent | null {
  if (message.startsWith('undefined reference to ') || message.startsWith('multiple definition of ')) {
    return linkerDiagnostic('error', file, line, message);
  }
  if (message.startsWith('first defined here')) return linkerDiagnostic('note', file, line, message);
  if (message.startsWith('more undefined references to ')) return CONTINUATION;
  if (!anyMessage) return null;
  if (message.startsWith('warning: ')) return linkerDiagnostic('warning', file, line, message.slice(9));
  return linkerDiagnostic('error', file, line, message);
}

/** `foo.o: in function 'main':` */
function isInFunctionLine(rest: string): boolean {
  return (rest.endsWith("':") || rest.endsWith('’:')) && rest.indexOf(': in function ') !== -1;
}

function linkerDiagnostic(severity: DiagnosticStart['severity'], file: string | null, line: number | null, message: string): LineEvent {
  return { kind: 'diagnostic', diagnostic: { severity, tool: 'linker', file, line, column: null, message } };
}
