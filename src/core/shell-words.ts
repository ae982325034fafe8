const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes argv for display and for the log header so that `splitShellWords` gives it back. */
export function joinShellWords(argv: readonly string[]): string {
  return argv.map((a) => (a !== '' && SAFE_WORD.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export type SplitResult = { ok: true; words: string[] } | { ok: false; error: string };

/**
 * Splits a command string as a POSIX shell would split words (quotes and backslashes), without
 * expansion of any kind: the result is run directly, never through a shell.
 */
export function splitShellWords(input: string): SplitResult {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < input.length; i++) {
    const c = input[i] as string;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < input.length && '"\\$`'.includes(input[i + 1] as string)) word += input[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 < input.length) word += input[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote !== null) return { ok: false, error: `unterminated ${quote} quote in command` };
  if (inWord) words.push(word);
  return { ok: true, words };
}
