import type { CmakeArgument } from './cmake-parse.js';

/** Looks up a variable's value; undefined when it is not set (it then expands to nothing). */
export type VariableLookup = (name: string) => string | undefined;

const LITERAL_SEMICOLON = '\uE000';
const MAX_REFERENCE_DEPTH = 32;

/**
 * Expands arguments as CMake does before calling a command: references are replaced, an unquoted
 * argument splits on `;` into zero or more arguments (empty elements dropped), a quoted one stays
 * one argument, a bracket argument is taken literally. `$ENV{X}` expands to nothing, so the reading
 * does not depend on the environment.
 */
export function expandArguments(args: readonly CmakeArgument[], lookup: VariableLookup): string[] {
  const out: string[] = [];
  for (const arg of args) {
    if (arg.kind === 'bracket') {
      out.push(arg.text);
    } else if (arg.kind === 'quoted') {
      out.push(expandText(arg.text, lookup).replaceAll(LITERAL_SEMICOLON, ';'));
    } else {
      for (const part of expandText(arg.text, lookup).split(';')) {
        if (part !== '') out.push(part.replaceAll(LITERAL_SEMICOLON, ';'));
      }
    }
  }
  return out;
}

function expandText(text: string, lookup: VariableLookup): string {
  if (!text.includes('$') && !text.includes('\\')) return text;
  return expandFrom(text, 0, lookup, 0, false).value;
}

/** Expands from `start`; inside a reference (`nested`) it stops at the closing `}`. */
function expandFrom(text: string, start: number, lookup: VariableLookup, depth: number, nested: boolean): { value: string; end: number } {
  let value = '';
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (nested && c === '}') return { value, end: i + 1 };
    if (c === '\\' && i + 1 < text.length) {
      value += unescape(text[i + 1]!);
      i += 2;
      continue;
    }
    const opener = c === '$' ? referenceOpener(text, i) : null;
    if (opener === null || depth >= MAX_REFERENCE_DEPTH) {
      value += c;
      i++;
      continue;
    }
    const inner = expandFrom(text, i + opener.length, lookup, depth + 1, true);
    if (opener !== '$ENV{') value += lookup(inner.value) ?? '';
    i = inner.end;
  }
  return { value, end: text.length };
}

function referenceOpener(text: string, at: number): string | null {
  for (const opener of ['${', '$ENV{', '$CACHE{']) if (text.startsWith(opener, at)) return opener;
  return null;
}

function unescape(c: string): string {
  if (c === 'n') return '\n';
  if (c === 't') return '\t';
  if (c === 'r') return '\r';
  if (c === ';') return LITERAL_SEMICOLON;
  return c;
}
