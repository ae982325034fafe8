/** Index just after make's `[ 45%] ` progress prefix, or -1 when the line does not start with one. */
export function percentPrefixEnd(line: string): number {
  if (line.charCodeAt(0) !== 91 /* [ */) return -1;
  let i = 1;
  while (line.charCodeAt(i) === 32) i++;
  const digitsStart = i;
  while (isDigit(line.charCodeAt(i))) i++;
  if (i === digitsStart || i - digitsStart > 3) return -1;
  if (line.charCodeAt(i) !== 37 /* % */ || line.charCodeAt(i + 1) !== 93 /* ] */) return -1;
  return line.charCodeAt(i + 2) === 32 ? i + 3 : i + 2;
}

/** The percentage in a prefix that `percentPrefixEnd` accepted (`end` is its result). */
export function percentValue(line: string, end: number): number {
  let value = 0;
  for (let i = 1; i < end; i++) {
    const c = line.charCodeAt(i);
    if (isDigit(c)) value = value * 10 + (c - 48);
  }
  return value;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
