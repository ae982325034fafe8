import path from 'node:path';

/** Reads a file by absolute path; null when it is missing or unreadable. */
export type NinjaFileReader = (absolutePath: string) => string | null;

/** One `build` statement with its paths evaluated and in Ninja's canonical form. */
export interface NinjaEdge {
  rule: string;
  outputs: string[];
  implicitOutputs: string[];
  inputs: string[];
  implicitInputs: string[];
  orderOnly: string[];
  bindings: Map<string, string>;
  /** The ninja file that declares it, relative to the build directory. */
  file: string;
}

/** A top-level comment (CMake marks its blocks with them) or an edge, in file order. */
export type NinjaItem = { comment: string } | { edge: NinjaEdge };

/** What a build manifest declares, with include and subninja files read in place. */
export interface NinjaManifest {
  items: NinjaItem[];
  /** Every rule `command` and edge `COMMAND` value, to find CMake's regeneration command. */
  commands: string[];
}

interface Scope {
  vars: Map<string, string>;
  parent: Scope | null;
}
interface ParseState extends NinjaManifest {
  buildDir: string;
  readFile: NinjaFileReader;
  open: string[];
  filesLeft: number;
  budget: ExpansionBudget;
}
/** Text that variable references may still expand to in this parse. */
interface ExpansionBudget {
  charsLeft: number;
}
interface PendingEdge {
  tokens: string[];
  bindings: Map<string, string>;
}

const MAX_INCLUDE_DEPTH = 32;
const MAX_FILES = 4096;
/** Longest evaluated value (1 Mi UTF-16 code units); longer values are cut. */
const MAX_VALUE_CHARS = 1024 * 1024;
/** Text all references of one manifest may expand to (256 Mi code units); past it they expand to nothing. */
const MAX_EXPANDED_CHARS = 256 * 1024 * 1024;
const SEPARATORS = new Set([':', '|', '||', '|@']);

/**
 * Parses the text of build.ninja: variables with file and subninja scopes, `$` escapes and line
 * continuations, `include`/`subninja` served by `readFile` (paths relative to `buildDir`, which is
 * a normalized POSIX path without trailing slash). Include cycles, depth, the number of files
 * read, the length of a value (1 MiB, longer is cut) and the text references expand to in all are
 * bounded, so variables that double each other end quickly. Never throws.
 */
export function parseNinjaManifest(text: string, buildDir: string, readFile: NinjaFileReader): NinjaManifest {
  const budget = { charsLeft: MAX_EXPANDED_CHARS };
  const state: ParseState = { buildDir, readFile, items: [], commands: [], open: [], filesLeft: MAX_FILES, budget };
  parseFile(text, 'build.ninja', { vars: new Map(), parent: null }, state);
  return { items: state.items, commands: state.commands };
}

/** The explicit, implicit and order-only inputs of `edge`. */
export function edgeInputs(edge: NinjaEdge): string[] {
  return [...edge.inputs, ...edge.implicitInputs, ...edge.orderOnly];
}

/** The explicit and implicit outputs of `edge`. */
export function edgeOutputs(edge: NinjaEdge): string[] {
  return [...edge.outputs, ...edge.implicitOutputs];
}

/** Ninja's canonical form of a path; absolute paths inside the build directory become relative. */
export function canonicalNinjaPath(p: string, buildDir: string): string {
  if (p === '') return '';
  const normal = path.posix.normalize(p).replace(/(.)\/$/, '$1');
  return normal.startsWith(`${buildDir}/`) ? normal.slice(buildDir.length + 1) : normal;
}

function parseFile(text: string, file: string, scope: Scope, m: ParseState): void {
  if (m.open.length >= MAX_INCLUDE_DEPTH || m.open.includes(file) || m.filesLeft <= 0) return;
  m.filesLeft--;
  m.open.push(file);
  let pending: PendingEdge | null = null;
  let inRule = false;
  const flush = (): void => {
    if (pending !== null) {
      const edge = edgeFrom(pending, file, { vars: pending.bindings, parent: scope }, m);
      if (edge !== null) m.items.push({ edge });
    }
    pending = null;
  };
  for (const line of logicalLines(text)) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      const binding = /^\s*([\w.-]+)\s*=\s?(.*)$/.exec(line);
      if (binding === null) continue;
      const [, name, raw] = binding as unknown as [string, string, string];
      if (pending !== null) pending.bindings.set(name, evaluate(raw, scope, m.budget));
      if ((pending !== null && name === 'COMMAND') || (inRule && name === 'command')) m.commands.push(evaluate(raw, scope, m.budget));
      continue;
    }
    flush();
    inRule = false;
    if (line === '') continue;
    if (line.startsWith('#')) {
      m.items.push({ comment: line.slice(1).trim() });
      continue;
    }
    const space = line.search(/\s/);
    const keyword = space === -1 ? line : line.slice(0, space);
    const rest = space === -1 ? '' : line.slice(space + 1).trim();
    if (keyword === 'build') pending = { tokens: tokenizeBuild(rest), bindings: new Map() };
    else if (keyword === 'rule') inRule = true;
    else if (keyword === 'include' || keyword === 'subninja') {
      const target = path.posix.normalize(evaluate(rest, scope, m.budget));
      const absolute = path.posix.resolve(m.buildDir, target);
      const child = m.readFile(absolute);
      const childScope = keyword === 'include' ? scope : { vars: new Map(), parent: scope };
      if (child !== null) parseFile(child, path.posix.relative(m.buildDir, absolute), childScope, m);
    } else if (keyword !== 'pool' && keyword !== 'default') {
      const binding = /^([\w.-]+)\s*=\s?(.*)$/.exec(line);
      if (binding !== null) scope.vars.set(binding[1]!, evaluate(binding[2]!, scope, m.budget));
    }
  }
  flush();
  m.open.pop();
}
/** Lines with `$` continuations joined and `\r` removed. */
function logicalLines(text: string): string[] {
  const out: string[] = [];
  let carry: string | null = null;
  for (const physical of text.split('\n')) {
    let line = physical.endsWith('\r') ? physical.slice(0, -1) : physical;
    if (carry !== null) line = carry + line.replace(/^[ \t]+/, '');
    const dollars = /\$*$/.exec(line)![0].length;
    if (dollars % 2 === 1) {
      carry = line.slice(0, -1);
      continue;
    }
    carry = null;
    out.push(line);
  }
  if (carry !== null) out.push(carry);
  return out;
}

/** Splits a build line into raw (unevaluated) paths and the separators `:`, `|`, `||`, `|@`. */
function tokenizeBuild(rest: string): string[] {
  const tokens: string[] = [];
  let current = '';
  const push = (token: string): void => {
    if (current !== '') tokens.push(current);
    current = '';
    if (token !== '') tokens.push(token);
  };
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i] as string;
    if (c === '$' && i + 1 < rest.length) {
      current += c + rest[++i];
    } else if (c === ' ' || c === '\t') push('');
    else if (c === ':') push(':');
    else if (c === '|') {
      const next = rest[i + 1];
      push(next === '|' || next === '@' ? `|${rest[++i]}` : '|');
    } else current += c;
  }
  push('');
  return tokens;
}

function edgeFrom(pending: PendingEdge, file: string, scope: Scope, m: ParseState): NinjaEdge | null {
  const colon = pending.tokens.indexOf(':');
  const rule = pending.tokens[colon + 1];
  if (colon === -1 || rule === undefined || SEPARATORS.has(rule)) return null;
  const lists: string[][] = [[], [], [], [], [], []];
  let list = 0;
  for (let i = 0; i < pending.tokens.length; i++) {
    const token = pending.tokens[i] as string;
    if (i === colon + 1) continue;
    if (token === ':') list = 2;
    else if (token === '|') list = list < 2 ? 1 : 3;
    else if (token === '||') list = 4;
    else if (token === '|@') list = 5;
    else {
      const value = canonicalNinjaPath(evaluate(token, scope, m.budget), m.buildDir);
      if (value !== '') lists[list]!.push(value);
    }
  }
  const [outputs, implicitOutputs, inputs, implicitInputs, orderOnly] = lists as [string[], string[], string[], string[], string[]];
  if (outputs.length === 0) return null;
  return { rule, outputs, implicitOutputs, inputs, implicitInputs, orderOnly, bindings: pending.bindings, file };
}

/** `raw` with `$` escapes and references evaluated in `scope`, cut to {@link MAX_VALUE_CHARS}. */
function evaluate(raw: string, scope: Scope, budget: ExpansionBudget): string {
  if (!raw.includes('$')) return raw;
  let out = '';
  const reference = (name: string): void => {
    if (budget.charsLeft <= 0 || out.length >= MAX_VALUE_CHARS) return;
    const value = lookup(name, scope);
    budget.charsLeft -= value.length;
    out += value;
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = raw[i + 1];
    if (next === '$' || next === ' ' || next === ':') {
      out += next;
      i++;
    } else if (next === '{') {
      const close = raw.indexOf('}', i + 2);
      if (close === -1) break;
      reference(raw.slice(i + 2, close));
      i = close;
    } else {
      const name = /^[\w-]+/.exec(raw.slice(i + 1, i + 257))?.[0] ?? '';
      reference(name);
      i += name.length;
    }
  }
  return out.length > MAX_VALUE_CHARS ? out.slice(0, MAX_VALUE_CHARS) : out;
}

function lookup(name: string, scope: Scope | null): string {
  for (let s = scope; s !== null; s = s.parent) {
    const value = s.vars.get(name);
    if (value !== undefined) return value;
  }
  return '';
}
