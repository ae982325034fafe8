import { cutText, utf8Bytes } from './answer-bounds.js';

/** What build_output was asked for. */
export interface PageRequest {
  /** First line number to return; null for the default first page (diagnostics, then the tail). */
  cursor: number | null;
  limit: number;
  /** Only lines containing this text, compared case-insensitively; null for every line. */
  grep: string | null;
  errorsOnly: boolean;
}

/** The lines a page is cut from: a build log's index, which reads text back only for the lines asked. */
export interface LineSource {
  readonly lineCount: number;
  /** Line numbers (ascending) of lines that are part of a diagnostic. */
  readonly notableLines: readonly number[];
  /** Texts of lines `from`..`to`, inclusive, numbered from 1. */
  readLines(from: number, to: number): string[];
}

/** One line of a page: its number in the log, its text (cut to {@link PAGE_LINE_CHARS}), and whether it is a diagnostic line. */
export interface PageLine {
  n: number;
  text: string;
  notable: boolean;
}

/** A bounded page of a build's output. */
export interface OutputPage {
  lines: PageLine[];
  /** Pass back as `cursor` to continue; null when there is nothing more now or later. */
  next_cursor: string | null;
  total_lines: number;
  /** Diagnostic lines in the whole output so far. */
  notable_lines: number;
  /** In the default page: diagnostic lines left out for lack of room (read them with errors_only). */
  notable_omitted: number;
}

/** Longest line text in a page; a longer line ends with `…(+N chars)`. */
export const PAGE_LINE_CHARS = 400;
/** UTF-8 bytes of line text in one page at most (the text rendering repeats them): a page ends before the line that would pass it. */
export const PAGE_TEXT_BYTES = 16 * 1024;
/** Lines a filtered page looks at in one call at most; its cursor says where to go on. */
export const MAX_EXAMINED_LINES = 250_000;
/** Lines read from the log at a time while filtering. */
const READ_LINES = 2000;

/**
 * Pages a build's output. The default first page puts the diagnostic lines (errors and warnings as
 * whole blocks) first, then fills the rest with the last lines; its cursor points past the end while
 * the build may print more, else at the first line it did not show. With a cursor, grep or
 * errors_only, lines come in log order from the cursor (default 1), filtered, looking at no more than
 * {@link MAX_EXAMINED_LINES} lines; the cursor then says where the next call goes on (its page may be
 * empty). A page holds at most `limit` lines and {@link PAGE_TEXT_BYTES} of their text: with a cursor
 * it ends before the first line that would pass that, and its cursor is that line. `more` says
 * whether the build may still print.
 */
export function pageOutput(src: LineSource, req: PageRequest, more: boolean): OutputPage {
  const total = src.lineCount;
  const notableSet = new Set<number>();
  const isNotable = (n: number): boolean => notableSet.has(n) || binaryHas(src.notableLines, n);
  const base = { total_lines: total, notable_lines: src.notableLines.length, notable_omitted: 0 };
  if (req.cursor === null && req.grep === null && !req.errorsOnly) {
    const budget = new TextBudget();
    const firstNs = src.notableLines.slice(0, req.limit);
    const firstTexts = readSome(src, firstNs);
    const first = budget.take(firstNs.map((n, i) => pageLine(n, firstTexts[i] as string, true)));
    first.forEach((l) => notableSet.add(l.n));
    const room = req.limit - first.length;
    const tailFrom = Math.max(1, total - room + 1);
    const tailNs = range(tailFrom, total).filter((n) => !notableSet.has(n));
    const tailTexts = readSome(src, tailNs);
    // The tail keeps the last lines: taken from the end, then put back in log order.
    const tail = budget.take(tailNs.map((n, i) => pageLine(n, tailTexts[i] as string, isNotable(n))).reverse()).reverse();
    const shown = new Set([...first, ...tail].map((l) => l.n));
    let unshown = 1;
    while (unshown <= total && shown.has(unshown)) unshown++;
    return {
      ...base, lines: [...first, ...tail], notable_omitted: src.notableLines.length - first.length,
      next_cursor: more ? String(total + 1) : unshown <= total ? String(unshown) : null,
    };
  }
  const start = Math.max(1, req.cursor ?? 1);
  const needle = req.grep === null ? null : req.grep.toLowerCase();
  const picked: PageLine[] = [];
  let next = start;
  const candidates = req.errorsOnly ? notableFrom(src.notableLines, start) : null;
  let examined = 0;
  const budget = new TextBudget();
  let full = false;
  while (!full && picked.length < req.limit && examined < MAX_EXAMINED_LINES) {
    const ns = candidates ? candidates.slice(examined, examined + READ_LINES) : range(next, Math.min(total, next + READ_LINES - 1));
    if (ns.length === 0) break;
    const texts = readSome(src, ns);
    let i = 0;
    for (; i < ns.length && picked.length < req.limit; i++) {
      const n = ns[i] as number;
      const text = texts[i] as string;
      if (needle !== null && !text.toLowerCase().includes(needle)) continue;
      const line = pageLine(n, text, req.errorsOnly || isNotable(n));
      // Out of room: this line is where the next page starts.
      if (!budget.fits(line)) {
        full = true;
        break;
      }
      picked.push(line);
    }
    examined += i;
    next = i < ns.length ? (ns[i] as number) : (ns.at(-1) as number) + 1;
  }
  const atEnd = candidates ? examined >= candidates.length : next > total;
  const resume = atEnd ? Math.max(start, total + 1) : next;
  return { ...base, lines: picked, next_cursor: atEnd && !more ? null : String(resume) };
}

function range(from: number, to: number): number[] {
  return to < from ? [] : Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function binaryHas(sorted: readonly number[], n: number): boolean {
  const i = lowerBound(sorted, n);
  return sorted[i] === n;
}

function lowerBound(sorted: readonly number[], n: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function notableFrom(sorted: readonly number[], start: number): readonly number[] {
  return sorted.slice(lowerBound(sorted, start));
}

/** Texts of the given line numbers, reading each run of consecutive numbers at once. */
function readSome(src: LineSource, ns: readonly number[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < ns.length) {
    let j = i;
    while (j + 1 < ns.length && ns[j + 1] === (ns[j] as number) + 1) j++;
    out.push(...src.readLines(ns[i] as number, ns[j] as number));
    i = j + 1;
  }
  return out;
}

function pageLine(n: number, text: string, notable: boolean): PageLine {
  return { n, text: cutText(text, PAGE_LINE_CHARS), notable };
}

/** The line text a page has room for ({@link PAGE_TEXT_BYTES}); the first line always fits. */
class TextBudget {
  private used = 0;
  private lines = 0;

  /** Counts the line in when it fits. */
  fits(line: PageLine): boolean {
    const size = utf8Bytes(line.text);
    if (this.lines > 0 && this.used + size > PAGE_TEXT_BYTES) return false;
    this.used += size;
    this.lines++;
    return true;
  }

  /** The leading lines that fit, in the order given. */
  take(lines: readonly PageLine[]): PageLine[] {
    const out: PageLine[] = [];
    for (const l of lines) {
      if (!this.fits(l)) break;
      out.push(l);
    }
    return out;
  }
}

/** A page as text: `!` marks diagnostic lines; the cursor line says how to go on. */
export function renderPage(sessionId: string, status: string, page: OutputPage): string {
  const out = [`${sessionId} ${status} · ${page.total_lines} lines, ${page.notable_lines} in diagnostics`];
  for (const l of page.lines) out.push(`${l.notable ? '!' : ' '}${String(l.n).padStart(5)} ${l.text}`);
  if (page.notable_omitted > 0) {
    const last = page.lines.filter((l) => l.notable).at(-1);
    out.push(`(${page.notable_omitted} more diagnostic lines: errors_only:true, cursor:"${(last?.n ?? 0) + 1}")`);
  }
  out.push(page.next_cursor === null ? '(end of output)' : `next_cursor: ${page.next_cursor}`);
  return out.join('\n');
}
