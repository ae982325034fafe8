import type { CmakeArgument } from './cmake-parse.js';

/** Looks up a variable's value; undefined when it is not set (it then expands to nothing). */
export type VariableLookup = (name: string) => string | undefined;

/** How {@link expandArguments} treats references the lookup does not know. */
export interface ExpandOptions {
  /** Leave {@link UNSET_REFERENCE} where an unset variable (or `$ENV{}`) was referenced, so a command can tell a guess from a fact. */
  markUnset?: boolean;
}

/**
 * Longest variable value and expanded argument, in UTF-16 code units (1 MiB). Longer text is cut
 * (see {@link capValue}), so values that double in a loop stop growing instead of exhausting memory.
 */
export const MAX_VALUE_CHARS = 1024 * 1024;
/** Stands where an unset variable was referenced when {@link ExpandOptions.markUnset} asks for it; a private-use character. */
export const UNSET_REFERENCE = '\uE001';

const LITERAL_SEMICOLON = '\uE000';
const MAX_REFERENCE_DEPTH = 32;

/**
 * Expands arguments as CMake does before calling a command: references are replaced, an unquoted
 * argument splits on `;` into zero or more arguments (empty elements dropped), a quoted one stays
 * one argument, a bracket argument is taken literally. `$ENV{X}` expands to nothing, so the reading
 * does not depend on the environment. Each expanded argument is cut to {@link MAX_VALUE_CHARS}.
 */
export function expandArguments(args: readonly CmakeArgument[], lookup: VariableLookup, options: ExpandOptions = {}): string[] {
  const out: string[] = [];
  const mark = options.markUnset === true ? UNSET_REFERENCE : '';
  for (const arg of args) {
    if (arg.kind === 'bracket') {
      out.push(arg.text);
    } else if (arg.kind === 'quoted') {
      out.push(expandText(arg.text, lookup, mark).replaceAll(LITERAL_SEMICOLON, ';'));
    } else {
      const text = expandText(arg.text, lookup, mark);
      const escaped = text.includes(LITERAL_SEMICOLON);
      for (const part of text.split(';')) {
        if (part !== '') out.push(escaped ? part.replaceAll(LITERAL_SEMICOLON, ';') : part);
      }
    }
  }
  return out;
}

/** `text` without the {@link UNSET_REFERENCE} marks, as a command that does not look for them should see it. */
export function withoutUnsetMarks(text: string): string {
  return text.replaceAll(UNSET_REFERENCE, '');
}

/**
 * `value` cut to {@link MAX_VALUE_CHARS}: at the last `;` within the limit when there is one, so
 * that a long list loses whole elements rather than ending in half a path.
 */
export function capValue(value: string): string {
  if (value.length <= MAX_VALUE_CHARS) return value;
  const lastSeparator = value.lastIndexOf(';', MAX_VALUE_CHARS);
  return value.slice(0, lastSeparator > 0 ? lastSeparator : MAX_VALUE_CHARS);
}

function expandText(text: string, lookup: VariableLookup, mark: string): string {
  if (!text.includes('$') && !text.includes('\\')) return capValue(text);
  return capValue(expandFrom(text, 0, { lookup, mark }, 0, false).value);
}

interface Expansion {
  lookup: VariableLookup;
  mark: string;
}

/** Expands from `start`; inside a reference (`nested`) it stops at the closing `}`. Stops growing past the cap. */
function expandFrom(text: string, start: number, how: Expansion, depth: number, nested: boolean): { value: string; end: number } {
  let value = '';
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (nested && c === '}') return { value, end: i + 1 };
    if (c === '\\' && i + 1 < text.length) {
      value = append(value, unescape(text[i + 1]!));
      i += 2;
      continue;
    }
    const opener = c === '$' ? referenceOpener(text, i) : null;
    if (opener === null || depth >= MAX_REFERENCE_DEPTH) {
      value = append(value, c);
      i++;
      continue;
    }
    const inner = expandFrom(text, i + opener.length, how, depth + 1, true);
    const found = opener === '$ENV{' ? undefined : how.lookup(inner.value);
    value = append(value, found ?? how.mark);
    i = inner.end;
  }
  return { value, end: text.length };
}

/** Appends while the text is under the cap; the caller cuts what went over. */
function append(value: string, piece: string): string {
  if (value.length >= MAX_VALUE_CHARS) return value;
  return value + (piece.length > MAX_VALUE_CHARS ? piece.slice(0, MAX_VALUE_CHARS) : piece);
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
