import type { LineProgress } from './types.js';

/** Ninja's status prefix when NINJA_STATUS is not set. */
export const DEFAULT_NINJA_STATUS = '[%f/%t] ';

/** Where a status prefix ends in a line, and the progress it reports. */
export interface StatusMatch {
  end: number;
  progress: LineProgress | null;
}

/** Finds the status prefix at the start of a line; null when the line has none. */
export type StatusMatcher = (line: string) => StatusMatch | null;

const PLACEHOLDER_PATTERNS: Readonly<Record<string, string>> = {
  f: '(\\d+)', t: '(\\d+)', p: ' *(\\d+)%', s: '\\d+', r: '\\d+', u: '\\d+',
  o: '(?:[\\d.]+|\\?)', c: '(?:[\\d.]+|\\?)', e: '[\\d.]+', w: '[\\d:.?]+', E: '[\\d:.?]+', W: '[\\d:.?]+', '%': '%',
};

/**
 * Builds the matcher for a NINJA_STATUS format (`%f` finished, `%t` total, `%p` percent, ...).
 * Null for a format that prints nothing, since then status lines cannot be told apart by their prefix.
 */
export function compileNinjaStatus(format: string = DEFAULT_NINJA_STATUS): StatusMatcher | null {
  if (format === DEFAULT_NINJA_STATUS) return matchDefaultStatus;
  if (format === '') return null;
  let pattern = '^';
  let group = 0;
  let finishedGroup = 0;
  let totalGroup = 0;
  let percentGroup = 0;
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    const next = format[i + 1];
    if (ch !== '%' || next === undefined || PLACEHOLDER_PATTERNS[next] === undefined) {
      pattern += escapeRegex(ch);
      continue;
    }
    i++;
    pattern += PLACEHOLDER_PATTERNS[next];
    if (next === 'f' || next === 't' || next === 'p') {
      group++;
      if (next === 'f' && finishedGroup === 0) finishedGroup = group;
      if (next === 't' && totalGroup === 0) totalGroup = group;
      if (next === 'p' && percentGroup === 0) percentGroup = group;
    }
  }
  const re = new RegExp(pattern);
  return (line: string): StatusMatch | null => {
    const m = re.exec(line);
    if (!m) return null;
    let progress: LineProgress | null = null;
    if (finishedGroup > 0 && totalGroup > 0) progress = { done: Number(m[finishedGroup]), total: Number(m[totalGroup]) };
    else if (percentGroup > 0) progress = { pct: Number(m[percentGroup]) };
    return { end: m[0].length, progress };
  };
}

function matchDefaultStatus(line: string): StatusMatch | null {
  if (line.charCodeAt(0) !== 91 /* [ */) return null;
  let i = 1;
  let done = 0;
  while (isDigit(line.charCodeAt(i))) done = done * 10 + (line.charCodeAt(i++) - 48);
  if (i === 1 || i > 10 || line.charCodeAt(i) !== 47 /* / */) return null;
  const totalStart = ++i;
  let total = 0;
  while (isDigit(line.charCodeAt(i))) total = total * 10 + (line.charCodeAt(i++) - 48);
  if (i === totalStart || i - totalStart > 9 || line.charCodeAt(i) !== 93 /* ] */ || line.charCodeAt(i + 1) !== 32) return null;
  return { end: i + 2, progress: { done, total } };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? '\\' + ch : ch;
}
