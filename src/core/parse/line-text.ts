import type { ParsedLine } from './types.js';

/** Only this many leading characters of a line are ever examined, so a multi-megabyte line costs no more than a short one. */
export const MAX_LINE_PREFIX_CHARS = 4096;

const ANSI_ESCAPE_RE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])/g;

/**
 * The part of a raw output line that the classifiers look at: its first MAX_LINE_PREFIX_CHARS characters,
 * what a terminal would show after carriage returns (the text after the last '\r'), colour escapes removed.
 */
export function normalizeLine(text: string): string {
  let line = text.length > MAX_LINE_PREFIX_CHARS ? text.slice(0, MAX_LINE_PREFIX_CHARS) : text;
  if (line.indexOf('\r') !== -1) line = afterLastCarriageReturn(line);
  if (line.indexOf('\x1b') !== -1) line = line.replace(ANSI_ESCAPE_RE, '');
  return line;
}

function afterLastCarriageReturn(line: string): string {
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) === 13) end--;
  const visible = end === line.length ? line : line.slice(0, end);
  const cr = visible.lastIndexOf('\r');
  return cr === -1 ? visible : visible.slice(cr + 1);
}

/** True for an empty line or one of only spaces and tabs. */
export function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** True when the line starts with a space or a tab. */
export function isIndented(line: string): boolean {
  const c = line.charCodeAt(0);
  return c === 32 || c === 9;
}

/**
 * Runs a dialect's line classifier on the normalised line. A parser must never throw on any
 * input; should a classifier ever fail, the line is reported as unrecognised instead.
 */
export function classifySafely(text: string, classify: (line: string) => ParsedLine): ParsedLine {
  try {
    return classify(normalizeLine(text));
  } catch {
    return { event: { kind: 'unrecognised', text: String(text).slice(0, MAX_LINE_PREFIX_CHARS) }, progress: null };
  }
}
