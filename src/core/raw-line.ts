/**
 * The text of one raw output line as the engine sees it: UTF-8 decoded (invalid bytes become
 * U+FFFD) with one trailing carriage return removed, exactly as the log reader gives it back, so a
 * live build and its replay see the same text.
 */
export function lineText(raw: Buffer): string {
  const end = raw.length > 0 && raw[raw.length - 1] === 0x0d ? raw.length - 1 : raw.length;
  return raw.toString('utf8', 0, end);
}
