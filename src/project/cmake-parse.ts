/** How an argument was written, which decides how it expands (CMake language manual, "Command Arguments"). */
export type CmakeArgumentKind = 'bracket' | 'quoted' | 'unquoted';

/** One argument as written, escapes and variable references still unexpanded. */
export interface CmakeArgument {
  kind: CmakeArgumentKind;
  text: string;
}

/** One command invocation; `name` is lower-cased because CMake command names are case-insensitive. */
export interface CmakeCommand {
  name: string;
  args: CmakeArgument[];
}

/**
 * Tokenizes a listfile into its commands (the CMake language subset buildmon needs to read
 * CMakeLists.txt without running CMake). Pure, linear in the input, never throws: garbage between
 * commands is skipped, and a command whose parentheses never close ends the file, as it does for
 * CMake (which stops there with an error).
 */
export function parseCmakeCommands(text: string): CmakeCommand[] {
  const commands: CmakeCommand[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x23) {
      i = skipComment(text, i);
    } else if (isIdentifierStart(c)) {
      const start = i;
      while (i < n && isIdentifierPart(text.charCodeAt(i))) i++;
      const name = text.slice(start, i).toLowerCase();
      while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
      if (text[i] !== '(') continue;
      const parsed = parseArguments(text, i + 1);
      if (parsed === null) break;
      commands.push({ name, args: parsed.args });
      i = parsed.end;
    } else {
      i++;
    }
  }
  return commands;
}

function parseArguments(text: string, from: number): { args: CmakeArgument[]; end: number } | null {
  const args: CmakeArgument[] = [];
  const n = text.length;
  let depth = 0;
  let i = from;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === ')') {
      i++;
      if (depth === 0) return { args, end: i };
      depth--;
      args.push({ kind: 'unquoted', text: ')' });
    } else if (c === '(') {
      i++;
      depth++;
      args.push({ kind: 'unquoted', text: '(' });
    } else if (c === '#') {
      i = skipComment(text, i);
    } else if (c === '"') {
      const close = quotedEnd(text, i + 1);
      args.push({ kind: 'quoted', text: text.slice(i + 1, Math.min(close, n)) });
      i = close + 1;
    } else if (c === '[' && bracketOpenLength(text, i) > 0) {
      const bracket = readBracket(text, i);
      args.push({ kind: 'bracket', text: bracket.content });
      i = bracket.end;
    } else {
      const end = unquotedEnd(text, i);
      args.push({ kind: 'unquoted', text: text.slice(i, end) });
      i = end;
    }
  }
  return null;
}

function skipComment(text: string, hash: number): number {
  if (text[hash + 1] === '[' && bracketOpenLength(text, hash + 1) > 0) return readBracket(text, hash + 1).end;
  const newline = text.indexOf('\n', hash);
  return newline < 0 ? text.length : newline + 1;
}

/** Length of `[==[` at `at` (2 plus the number of `=`), or 0 when there is no bracket opening. */
function bracketOpenLength(text: string, at: number): number {
  let i = at + 1;
  while (text[i] === '=') i++;
  return text[i] === '[' ? i - at + 1 : 0;
}

function readBracket(text: string, at: number): { content: string; end: number } {
  const open = bracketOpenLength(text, at);
  const closing = `]${'='.repeat(open - 2)}]`;
  let start = at + open;
  if (text[start] === '\r' && text[start + 1] === '\n') start += 2;
  else if (text[start] === '\n') start += 1;
  const close = text.indexOf(closing, start);
  if (close < 0) return { content: text.slice(start), end: text.length };
  return { content: text.slice(start, close), end: close + closing.length };
}

function quotedEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i;
    else i++;
  }
  return text.length;
}

function unquotedEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '(' || c === ')' || c === '#') return i;
    if (c === '\\') i += 2;
    else if (c === '"') i = quotedEnd(text, i + 1) + 1;
    else i++;
  }
  return text.length;
}

function isIdentifierStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

function isIdentifierPart(c: number): boolean {
  return isIdentifierStart(c) || (c >= 0x30 && c <= 0x39);
}
