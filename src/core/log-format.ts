/** Version written in the first header line, `# buildmon-log 1`. */
export const LOG_FORMAT_VERSION = 1;

/**
 * What the `# key: value` lines at the top of a build log say about the build.
 * Every field is null when its line is missing or unreadable, so logs written by other tools
 * (no header at all) read as a header of nulls. Times are epoch milliseconds.
 */
export interface LogHeader {
  version: number | null;
  command: string | null;
  cwd: string | null;
  jobs: number | null;
  target: string | null;
  startedMs: number | null;
  endedMs: number | null;
  exitCode: number | null;
  /** Header lines with keys this version does not know (e.g. `signal`, `status`, `history_key`), kept verbatim. */
  extra: Record<string, string>;
}

/**
 * One output line of the build and the epoch milliseconds at which it arrived.
 * `text` is the line decoded as UTF-8 (invalid bytes become U+FFFD) without its line ending;
 * carriage returns inside the line are kept, see {@link displayText}.
 */
export interface StampedLine {
  atMs: number;
  text: string;
}

type NumericHeaderField = 'jobs' | 'startedMs' | 'endedMs' | 'exitCode';
type TextHeaderField = 'command' | 'cwd' | 'target';

/** Header keys of version 1 in the order they are written, with the field each one fills. */
export const HEADER_KEYS: ReadonlyArray<
  { key: string; field: TextHeaderField; numeric: false } | { key: string; field: NumericHeaderField; numeric: true }
> = [
  { key: 'command', field: 'command', numeric: false },
  { key: 'cwd', field: 'cwd', numeric: false },
  { key: 'jobs', field: 'jobs', numeric: true },
  { key: 'target', field: 'target', numeric: false },
  { key: 'started', field: 'startedMs', numeric: true },
  { key: 'ended', field: 'endedMs', numeric: true },
  { key: 'exit', field: 'exitCode', numeric: true },
];

const HEADER_KEY_PATTERN = /^[A-Za-z0-9_.-]+$/;
const LINE_BREAKS = /[\r\n]/g;
const ESC = 0x1b;
const BEL = 0x07;
const CSI_8BIT = 0x9b;

/** A header with every value unknown: what a log without header lines reads as. */
export function emptyHeader(): LogHeader {
  return {
    version: null,
    command: null,
    cwd: null,
    jobs: null,
    target: null,
    startedMs: null,
    endedMs: null,
    exitCode: null,
    extra: {},
  };
}

/** True for keys that may appear in a `# key: value` line: letters, digits, `_`, `.` and `-`. */
export function isHeaderKey(key: string): boolean {
  return HEADER_KEY_PATTERN.test(key);
}

function headerLine(key: string, value: string | number): string {
  return `# ${key}: ${String(value).replace(LINE_BREAKS, ' ')}\n`;
}

/**
 * The header block of a log, each line ending in `\n`, ready to be followed by stamped lines.
 * Known keys come in the order of FORMAT.md; `ended` and `exit` (and any other field) only when
 * known; then `extra` in insertion order. Line breaks inside values become spaces. Extra keys that
 * are not valid header keys, or that would shadow a known key, are left out because they could
 * not be read back as written.
 */
export function formatHeader(header: Partial<LogHeader> & { command: string; startedMs: number }): string {
  let out = `# buildmon-log ${LOG_FORMAT_VERSION}\n`;
  for (const { key, field } of HEADER_KEYS) {
    const value = header[field];
    if (value !== null && value !== undefined) out += headerLine(key, value);
  }
  for (const [key, value] of Object.entries(header.extra ?? {})) {
    if (isHeaderKey(key) && key !== 'buildmon-log' && !HEADER_KEYS.some((known) => known.key === key)) {
      out += headerLine(key, value);
    }
  }
  return out;
}

/**
 * One log line: `<atMs> <raw>\n`. The raw bytes are copied exactly, whatever their encoding;
 * callers split output on `\n`, so `raw` never contains one. `atMs` is epoch milliseconds and is
 * written as an integer (fractions are dropped).
 */
export function formatStampedLine(atMs: number, raw: Buffer): Buffer {
  const stamp = String(Math.floor(atMs));
  const out = Buffer.allocUnsafe(stamp.length + 1 + raw.length + 1);
  out.write(stamp, 0, 'latin1');
  out[stamp.length] = 0x20;
  raw.copy(out, stamp.length + 1);
  out[out.length - 1] = 0x0a;
  return out;
}

function skipUntilStringTerminator(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === BEL) return i + 1;
    if (code === ESC && text.charCodeAt(i + 1) === 0x5c) return i + 2;
  }
  return text.length;
}

function skipControlSequence(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    i++;
    if (code >= 0x40 && code <= 0x7e) return i;
    if (code < 0x20 || code > 0x3f) return i - 1;
  }
  return i;
}

/** Index just past the escape sequence that starts at `from` (which holds ESC or an 8-bit CSI). */
function skipEscape(text: string, from: number): number {
  if (text.charCodeAt(from) === CSI_8BIT) return skipControlSequence(text, from + 1);
  const next = text.charCodeAt(from + 1);
  if (Number.isNaN(next)) return from + 1;
  if (next === 0x5b) return skipControlSequence(text, from + 2);
  if (next === 0x5d || next === 0x50 || next === 0x58 || next === 0x5e || next === 0x5f) {
    return skipUntilStringTerminator(text, from + 2);
  }
  let i = from + 1;
  while (i < text.length && text.charCodeAt(i) >= 0x20 && text.charCodeAt(i) <= 0x2f) i++;
  return i < text.length ? i + 1 : i;
}

function stripEscapes(text: string): string {
  let out = '';
  let copiedTo = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== ESC && code !== CSI_8BIT) continue;
    out += text.slice(copiedTo, i);
    copiedTo = skipEscape(text, i);
    i = copiedTo - 1;
  }
  return out + text.slice(copiedTo);
}

/**
 * What a terminal leaves visible of a line that redraws itself: ANSI escape sequences (colours,
 * cursor moves, OSC titles) are removed, then only the text after the last carriage return that is
 * followed by something is kept, so `50%\r60%\r` shows `60%`.
 */
export function displayText(text: string): string {
  const plain = text.indexOf('\x1b') === -1 && text.indexOf('\x9b') === -1 ? text : stripEscapes(text);
  let end = plain.length;
  while (end > 0 && plain.charCodeAt(end - 1) === 0x0d) end--;
  if (end === 0) return '';
  const lastCr = plain.lastIndexOf('\r', end - 1);
  return lastCr === -1 && end === plain.length ? plain : plain.slice(lastCr + 1, end);
}

/** Where a line's stamp said it arrived (epoch ms) and the byte offset where its text starts. */
export interface LineStamp {
  atMs: number;
  textStart: number;
}

const DIGIT_0 = 0x30;
const SPACE = 0x20;
const MIN_EPOCH_MS_DIGITS = 12;
const MAX_EPOCH_MS_DIGITS = 15;
const MIN_EPOCH_SECONDS_DIGITS = 9;
const MAX_EPOCH_SECONDS_DIGITS = 11;
const MAX_FRACTION_DIGITS = 9;
const ISO_TIME_END = 19;

function digitAt(buf: Buffer, index: number, end: number): number {
  if (index >= end) return -1;
  const value = (buf[index] ?? 0) - DIGIT_0;
  return value >= 0 && value <= 9 ? value : -1;
}

function twoDigits(buf: Buffer, index: number, end: number): number {
  const tens = digitAt(buf, index, end);
  const ones = digitAt(buf, index + 1, end);
  return tens < 0 || ones < 0 ? -1 : tens * 10 + ones;
}

/** Offset of the text after a stamp ending at `index`: one space or the end of the line, else -1. */
function textStartAfter(buf: Buffer, index: number, end: number): number {
  if (index === end) return end;
  return buf[index] === SPACE ? index + 1 : -1;
}

function parseSecondsFraction(buf: Buffer, start: number, dot: number, end: number): LineStamp | null {
  let seconds = 0;
  for (let i = start; i < dot; i++) seconds = seconds * 10 + ((buf[i] ?? 0) - DIGIT_0);
  let millis = 0;
  let i = dot + 1;
  for (let digit = digitAt(buf, i, end); digit >= 0; digit = digitAt(buf, ++i, end)) {
    if (i - dot <= 3) millis = millis * 10 + digit;
  }
  const fractionDigits = i - dot - 1;
  if (fractionDigits < 1 || fractionDigits > MAX_FRACTION_DIGITS) return null;
  for (let shown = Math.min(fractionDigits, 3); shown < 3; shown++) millis *= 10;
  const textStart = textStartAfter(buf, i, end);
  return textStart < 0 ? null : { atMs: seconds * 1000 + millis, textStart };
}

function parseIsoStamp(buf: Buffer, start: number, end: number): LineStamp | null {
  const at = (offset: number): number => buf[start + offset] ?? 0;
  const year = twoDigits(buf, start, end) * 100 + twoDigits(buf, start + 2, end);
  const month = twoDigits(buf, start + 5, end);
  const day = twoDigits(buf, start + 8, end);
  const hour = twoDigits(buf, start + 11, end);
  const minute = twoDigits(buf, start + 14, end);
  const second = twoDigits(buf, start + 17, end);
  if (start + ISO_TIME_END > end || at(7) !== 0x2d || (at(10) | 0x20) !== 0x74) return null;
  if (at(13) !== 0x3a || at(16) !== 0x3a) return null;
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23) return null;
  if (minute < 0 || minute > 59 || second < 0 || second > 60) return null;
  let i = start + ISO_TIME_END;
  let millis = 0;
  if (i < end && (buf[i] === 0x2e || buf[i] === 0x2c)) {
    const fractionStart = i + 1;
    for (i = fractionStart; digitAt(buf, i, end) >= 0; i++) {
      if (i - fractionStart < 3) millis = millis * 10 + digitAt(buf, i, end);
    }
    const fractionDigits = i - fractionStart;
    if (fractionDigits < 1 || fractionDigits > MAX_FRACTION_DIGITS) return null;
    for (let shown = Math.min(fractionDigits, 3); shown < 3; shown++) millis *= 10;
  }
  let offsetMinutes = 0;
  const zone = buf[i] ?? 0;
  if (i < end && (zone | 0x20) === 0x7a) {
    i++;
  } else if (i < end && (zone === 0x2b || zone === 0x2d)) {
    const offsetHours = twoDigits(buf, i + 1, end);
    const colon = buf[i + 3] === 0x3a ? 1 : 0;
    const offsetMins = twoDigits(buf, i + 3 + colon, end);
    if (offsetHours < 0 || offsetHours > 23 || offsetMins < 0 || offsetMins > 59) return null;
    offsetMinutes = (zone === 0x2b ? 1 : -1) * (offsetHours * 60 + offsetMins);
    i += 5 + colon;
  } else {
    return null;
  }
  const textStart = textStartAfter(buf, i, end);
  if (textStart < 0) return null;
  return { atMs: Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000, textStart };
}

/**
 * Reads the stamp at the start of the line `buf[start, end)`: epoch milliseconds (`1795995639974 `),
 * moreutils `ts '%.s'` seconds with a fraction (`1795995639.974123 `, rounded down to the
 * millisecond) or ISO-8601 with a zone (`2026-11-29T14:30:00.1234567Z `, `+02:00`). The stamp is
 * followed by exactly one space or by the end of the line. Null when the line has no such stamp;
 * a bare number of other lengths (`5 warnings generated`) is text, not a stamp.
 */
export function parseLineStamp(buf: Buffer, start: number, end: number): LineStamp | null {
  let i = start;
  let value = 0;
  for (let digit = digitAt(buf, i, end); digit >= 0; digit = digitAt(buf, ++i, end)) {
    if (i - start < MAX_EPOCH_MS_DIGITS) value = value * 10 + digit;
  }
  const digits = i - start;
  if (digits === 0) return null;
  const next = i < end ? buf[i] : SPACE;
  if (next === SPACE) {
    if (digits < MIN_EPOCH_MS_DIGITS || digits > MAX_EPOCH_MS_DIGITS) return null;
    return { atMs: value, textStart: i === end ? end : i + 1 };
  }
  if (next === 0x2e && digits >= MIN_EPOCH_SECONDS_DIGITS && digits <= MAX_EPOCH_SECONDS_DIGITS) {
    return parseSecondsFraction(buf, start, i, end);
  }
  if (next === 0x2d && digits === 4) return parseIsoStamp(buf, start, end);
  return null;
}
