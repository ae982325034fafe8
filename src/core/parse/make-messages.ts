import type { LineEvent } from './types.js';

const MAKE_PREFIX_RE = /^([\w.+-]*make)(?:\[(\d+)\])?: /;
const DIR_RE = /^(Entering|Leaving) directory [`'‘"](.*)['’"]\s*$/;
const FAILED_RULE_RE = /^\*\*\* \[(.*)\] (.*?)\s*$/;
const LOCATED_TARGET_RE = /^(.+?):\d+: (.+)$/;
const ERROR_CODE_RE = /^Error (\d+)/;
const QUOTED_RE = /[`'‘](.*?)['’]/;
const UP_TO_DATE_RE = /^[`'‘].*['’] is up to date\.$/;
const MAKEFILE_LOCATED_RE = /^((?:[^:\s]*\/)?(?:GNUmakefile|[Mm]akefile[^:\s/]*|[^:\s/]+\.mk|[^:\s/]+\.make)):(\d+): (.*)$/;
const RECIPE_FAILED_RE = /^recipe for target [`'‘](.*)['’] failed$/;

/**
 * Classifies GNU make's own messages: `make[2]: Entering directory ...`, `make[2]: *** [...] Error 1`,
 * `make: Nothing to be done for 'all'.`, `Makefile:12: *** missing separator.  Stop.`.
 * Null when the line is not from make.
 */
export function parseMakeLine(line: string): LineEvent | null {
  const first = line.charCodeAt(0);
  if (first >= 97 && first <= 122) {
    const m = MAKE_PREFIX_RE.exec(line);
    if (m) return prefixed(line, line.slice(m[0].length), m[2] === undefined ? 0 : Number(m[2]));
  }
  if (line.startsWith('Target ')) return notRemade(line, line, null);
  if (line.indexOf('ake') === -1 && line.indexOf('.mk:') === -1) return null;
  const located = MAKEFILE_LOCATED_RE.exec(line);
  return located ? makefileLocated(line, located[1]!, Number(located[2]), located[3]!) : null;
}

function prefixed(line: string, rest: string, level: number): LineEvent {
  const first = rest.charCodeAt(0);
  if (first === 69 /* E */ || first === 76 /* L */) {
    const m = DIR_RE.exec(rest);
    if (m) return { kind: m[1] === 'Entering' ? 'enter-dir' : 'leave-dir', dir: m[2]!, level };
  } else if (first === 42 /* * */) {
    return starred(line, rest, level);
  } else if (rest.startsWith('Nothing to be done for ') || UP_TO_DATE_RE.test(rest)) {
    return level === 0 ? { kind: 'no-work' } : { kind: 'tool-chatter', text: line };
  } else if (rest.startsWith('Target ')) {
    return notRemade(line, rest, level) ?? { kind: 'tool-chatter', text: line };
  } else if (rest.startsWith('warning: ') || rest.startsWith('Warning: ')) {
    return makeDiagnostic('warning', null, null, rest.slice(9));
  } else if (rest.startsWith('Circular ')) {
    return makeDiagnostic('warning', null, null, rest);
  }
  return { kind: 'tool-chatter', text: line };
}

function starred(line: string, rest: string, level: number): LineEvent {
  const rule = FAILED_RULE_RE.exec(rest);
  if (rule) {
    const inner = rule[1]!;
    const located = LOCATED_TARGET_RE.exec(inner);
    const code = ERROR_CODE_RE.exec(rule[2]!);
    return {
      kind: 'make-error',
      level,
      target: located ? located[2]! : inner,
      makefile: located ? located[1]! : null,
      code: code ? Number(code[1]) : null,
      text: line,
    };
  }
  if (rest.startsWith('*** Waiting for unfinished jobs')) {
    return { kind: 'make-error', level, target: null, makefile: null, code: null, text: line };
  }
  return makeDiagnostic('error', null, null, rest.slice(4));
}

function notRemade(line: string, rest: string, level: number | null): LineEvent | null {
  if (!rest.endsWith(' not remade because of errors.')) return level === null ? null : { kind: 'tool-chatter', text: line };
  const quoted = QUOTED_RE.exec(rest);
  return { kind: 'make-error', level, target: quoted ? quoted[1]! : null, makefile: null, code: null, text: line };
}

function makefileLocated(line: string, makefile: string, lineNo: number, rest: string): LineEvent {
  if (rest.startsWith('*** ')) return makeDiagnostic('error', makefile, lineNo, rest.slice(4));
  if (rest.startsWith('warning: ')) return makeDiagnostic('warning', makefile, lineNo, rest.slice(9));
  const recipe = RECIPE_FAILED_RE.exec(rest);
  if (recipe) return { kind: 'make-error', level: null, target: recipe[1]!, makefile, code: null, text: line };
  return makeDiagnostic('note', makefile, lineNo, rest);
}

function makeDiagnostic(severity: 'error' | 'warning' | 'note', file: string | null, line: number | null, message: string): LineEvent {
  return { kind: 'diagnostic', diagnostic: { severity, tool: 'make', file, line, column: null, message } };
}
