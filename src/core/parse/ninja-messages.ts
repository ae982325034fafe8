import type { DiagnosticStart, LineEvent } from './types.js';

const ENTER_RE = /^Entering directory [`'‘](.*)['’]\s*$/;
const EXIT_CODE_RE = /^\[code=-?\d+\] /;

/**
 * Classifies ninja's own `ninja: ...` lines: `no work to do.`, `build stopped: subcommand failed.`,
 * `Entering directory`, `error: ...`. Null for lines without the `ninja: ` prefix.
 */
export function parseNinjaMessage(line: string): LineEvent | null {
  if (!line.startsWith('ninja: ')) return null;
  const rest = line.slice(7).trimEnd();
  if (rest.startsWith('no work to do')) return { kind: 'no-work' };
  if (rest.startsWith('build stopped: ')) return { kind: 'ninja-stopped', reason: rest.slice(15).replace(/\.$/, '') };
  const enter = ENTER_RE.exec(rest);
  if (enter) return { kind: 'enter-dir', dir: enter[1]!, level: 0 };
  if (rest.startsWith('error: ')) return ninjaDiagnostic('error', rest.slice(7));
  if (rest.startsWith('fatal: ')) return ninjaDiagnostic('fatal', rest.slice(7));
  if (rest.startsWith('warning: ')) return ninjaDiagnostic('warning', rest.slice(9));
  return { kind: 'tool-chatter', text: line };
}

/** The outputs named by `FAILED: a.o b.o` (ninja 1.12 adds `[code=1] `); null for other lines. */
export function parseFailedOutputs(line: string): string[] | null {
  if (!line.startsWith('FAILED: ')) return null;
  const list = line.slice(8).replace(EXIT_CODE_RE, '').trim();
  return list === '' ? [] : list.split(/\s+/);
}

function ninjaDiagnostic(severity: DiagnosticStart['severity'], message: string): LineEvent {
  return { kind: 'diagnostic', diagnostic: { severity, tool: 'ninja', file: null, line: null, column: null, message } };
}
