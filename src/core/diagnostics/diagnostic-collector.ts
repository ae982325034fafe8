import { parseCmakeObjectPath } from '../parse/cmake-object-path.js';
import { normalizeLine } from '../parse/line-text.js';
import { LINKER_NAME_RE } from '../parse/linker-diagnostic.js';
import type { DiagnosticStart, LineEvent, ParsedLine } from '../parse/types.js';
import { categorizeDiagnostic } from './categorize.js';
import type { Diagnostic, DiagnosticCollectorOptions, PackageResolver } from './diagnostic.js';

const DEFAULT_MAX_DIAGNOSTICS = 500;
const DEFAULT_MAX_BLOCK_CHARS = 16 * 1024;
/** Lines of other output (another job's status lines) that may come between the parts of one block. */
const JOIN_WINDOW_LINES = 4;
const MAX_DEDUP_KEYS = 100_000;
const KEY_MESSAGE_CHARS = 512;
const MAX_UNCLAIMED = 1_000;
const MAX_COMPILES = 200_000;
const CUT_MARK = '…';

const INCLUDE_CHAIN_RE = /^(?:In file included from |\s+from )(.+?):\d+(?::\d+)?[,:]$/;
const SCOPE_RE = /^(?:[^\s:][^:]*: (?:In |At global scope:|At top level:)|In [a-z].*[,:]$)/;
const INSTANTIATION_CONTEXT_RE = /^[^\s:][^:]*:\d+(?::\d+)?: {2,}\S/;
const CHAIN_CONTINUATION_RE = /^\s+(?:from |inlined from )/;
const LINK_SUMMARY_RE = /^(?:ld returned \d+ exit status|linker command failed)/;
const OBJECT_FILE_RE = /\.(?:o|obj|a|so|lo)(?:\([^()]*\))?$/;
const CMAKE_TARGET_RE = /\btarget "([^"]+)"/;
const NEEDED_BY_RE = /needed by [`'‘](.+?)['’]/;
const OBJECT_SUFFIX_RE = /\.(?:o|obj)$/;

type Severity = Diagnostic['severity'];
type Tool = Diagnostic['tool'];

interface TextBuffer {
  lines: string[];
  chars: number;
  cut: boolean;
}

interface Block extends TextBuffer {
  severity: Severity;
  aloneNote: boolean;
  tool: Tool;
  file: string | null;
  line: number | null;
  column: number | null;
  message: string;
  pkg: string | null;
  /** The translation unit of a compiler diagnostic: the top of its include chain, else its file. */
  tu: string | null;
  atMs: number;
  kept: boolean;
  settled: boolean;
}

interface Lead extends TextBuffer {
  atMs: number;
  tu: string | null;
  object: string | null;
}

interface FailedStep extends TextBuffer {
  atMs: number;
  outputs: string[];
  pkg: string | null;
  explained: boolean;
}

/**
 * Turns the classified output of a build into whole diagnostic blocks (context lines, the diagnostic, its
 * notes and source excerpts), attributes each to the package it belongs to, and keeps them bounded.
 * Attribution goes by the paths inside the block: the translation unit at the top of an include chain,
 * the object a linker names, the target of the make or ninja failure it explains. When one source is
 * compiled by several targets, its repeated diagnostics go to each compile in turn. Make and ninja failures
 * become diagnostics only when no error explains them. Never throws; times come in with each line.
 */
export class DiagnosticCollector {
  private readonly maxDiagnostics: number;
  private readonly maxBlockChars: number;
  private readonly blocks: Block[] = [];
  private readonly keys = new Set<string>();
  private readonly compiles = new Map<string, { forms: string[]; target: string }[]>();
  private compileCount = 0;
  private readonly seenCompiles = new Set<string>();
  private errors = 0;
  private warnings = 0;
  private current: Block | null = null;
  private lead: Lead | null = null;
  private quietLines = 0;
  private previous: { file: string; tu: string | null } | null = null;
  private linkObject: string | null = null;
  /** The last linker error of the link being reported: `collect2: ... ld returned 1` belongs to it. */
  private linkError: Block | null = null;
  private unclaimed: Block[] = [];
  private deepestFailedLevel = -1;
  private step: FailedStep | null = null;
  private cmakeFailed = false;

  /** `resolver` answers what the block's paths alone cannot; `options` bound what is kept. */
  constructor(
    private readonly resolver: PackageResolver,
    options: DiagnosticCollectorOptions = {},
  ) {
    this.maxDiagnostics = positiveOr(options.maxDiagnostics, DEFAULT_MAX_DIAGNOSTICS);
    this.maxBlockChars = Math.max(2, positiveOr(options.maxBlockChars, DEFAULT_MAX_BLOCK_CHARS));
  }

  /** Feed every line with its parse, in order; `atMs` is when it arrived, in epoch milliseconds. */
  onLine(atMs: number, text: string, parsed: ParsedLine): void {
    const event = parsed.event;
    const progress = parsed.progress;
    if (this.step && (progress !== null || event.kind === 'ninja-failed' || event.kind === 'ninja-stopped' || event.kind === 'no-work')) this.closeStep();
    if (progress !== null && 'done' in progress) this.endContext();
    if (event.kind === 'diagnostic') return this.onDiagnostic(atMs, text, event.diagnostic);
    if (event.kind === 'diagnostic-continuation') return this.onContinuation(atMs, text);
    this.closeCmakeBlock();
    if (++this.quietLines > JOIN_WINDOW_LINES) this.endContext();
    if (event.kind === 'compile') this.noteCompile(event);
    else if (event.kind === 'make-error') this.onMakeError(atMs, text, event);
    else if (event.kind === 'ninja-failed') return this.openStep(atMs, text, event.outputs);
    if (this.step) this.append(this.step, text);
  }

  /** Closes the open block and settles what still waited for a make failure (end of build). */
  finish(): void {
    this.closeStep();
    this.endContext();
    for (const b of this.unclaimed) if (!b.settled) this.settle(b);
    this.unclaimed = [];
  }

  /** The kept diagnostics (at most `maxDiagnostics`), in the order their blocks began. */
  diagnostics(): Diagnostic[] {
    return this.blocks.map((b) => {
      const text = trimTrailingBlankLines(b.lines).join('\n');
      const category = categorizeDiagnostic(b.aloneNote ? 'note' : b.severity, b.tool, b.message, text);
      return { severity: b.severity, tool: b.tool, file: b.file, line: b.line, column: b.column, message: b.message, package: b.pkg, category, text, atMs: b.atMs };
    });
  }

  /** Errors and fatal errors seen, duplicates excluded, kept or not. */
  errorCount(): number {
    return this.errors;
  }

  /** Warnings (and notes standing alone) seen, duplicates excluded, kept or not. */
  warningCount(): number {
    return this.warnings;
  }

  private onDiagnostic(atMs: number, text: string, d: DiagnosticStart): void {
    this.quietLines = 0;
    this.closeCmakeBlock();
    const open = this.current;
    const joins = d.tool === 'linker' && this.linkError !== null && LINK_SUMMARY_RE.test(d.message) ? this.linkError
      : open !== null && d.severity === 'note' ? open : null;
    if (joins !== null) {
      for (const l of this.takeLead()?.lines ?? []) this.append(joins, l);
      this.append(joins, text);
      return;
    }
    if (d.tool === 'cmake' && this.cmakeFailed && d.message.startsWith('CMake Generate step failed')) {
      this.lead = null;
      return;
    }
    this.create(atMs, text, d);
  }

  private onContinuation(atMs: number, text: string): void {
    this.quietLines = 0;
    const open = this.current;
    const shape = normalizeLine(text);
    if (open?.tool === 'cmake') this.append(open, text);
    else if (this.isLeading(shape)) this.addLead(atMs, text, shape);
    else if (open) this.append(open, text);
    else if (this.step) this.append(this.step, text);
  }

  /** Whether a continuation line (as the parser saw it) comes before its diagnostic: include chains, scopes, instantiation contexts, the linker's `in function`. */
  private isLeading(shape: string): boolean {
    if (shape.startsWith('In file included from ') || SCOPE_RE.test(shape) || INSTANTIATION_CONTEXT_RE.test(shape)) return true;
    if (this.lead !== null && CHAIN_CONTINUATION_RE.test(shape)) return true;
    return linkObjectOf(shape) !== null;
  }

  private addLead(atMs: number, text: string, shape: string): void {
    const lead = (this.lead ??= { lines: [], chars: 0, cut: false, atMs, tu: null, object: null });
    this.append(lead, text);
    const chain = INCLUDE_CHAIN_RE.exec(shape);
    if (chain) lead.tu = chain[1]!;
    lead.object = linkObjectOf(shape) ?? lead.object;
  }

  private takeLead(): Lead | null {
    const lead = this.lead;
    this.lead = null;
    return lead;
  }

  private create(atMs: number, text: string, d: DiagnosticStart): void {
    const lead = this.takeLead();
    const severity: Severity = d.severity === 'note' ? 'warning' : d.severity;
    const b = this.newBlock(lead?.atMs ?? atMs, severity, d.tool, d.file, d.line, d.column, d.message);
    b.aloneNote = d.severity === 'note';
    for (const l of lead?.lines ?? []) this.append(b, l);
    this.append(b, text);
    this.attribute(b, lead);
    this.current = b;
    this.register(b);
    const isError = severity !== 'warning';
    if (isError && this.step) this.step.explained = true;
    if (d.tool === 'cmake') {
      this.cmakeFailed ||= isError;
      return;
    }
    if (isError && !this.step) {
      if (this.unclaimed.length >= MAX_UNCLAIMED) this.unclaimed.shift();
      this.unclaimed.push(b);
      if (b.pkg === null) return;
    }
    this.settle(b);
  }

  private attribute(b: Block, lead: Lead | null): void {
    const stepPkg = this.step?.pkg ?? null;
    if (b.tool === 'linker') {
      const object = lead?.object ?? (b.file !== null && OBJECT_FILE_RE.test(b.file) ? b.file : null) ?? this.linkObject;
      this.linkObject = object;
      if (b.severity !== 'warning') this.linkError = b;
      b.pkg = (object === null ? null : this.packageOfOutput(object.replace(/\([^()]*\)$/, ''))) ?? stepPkg;
      return;
    }
    this.linkObject = null;
    this.linkError = null;
    if (b.tool === 'compiler' && b.file !== null) {
      b.tu = lead?.tu ?? (this.previous?.file === b.file ? this.previous.tu : b.file);
      this.previous = { file: b.file, tu: b.tu };
      b.pkg = this.packageOfTu(b) ?? stepPkg;
    } else if (b.tool !== 'cmake') {
      const neededBy = NEEDED_BY_RE.exec(b.message);
      b.pkg = (neededBy ? this.packageOfOutput(neededBy[1]!) : null) ?? stepPkg;
    }
  }

  /** The target whose compile printed this: among the compiles seen whose source is the TU, the first that has not printed it yet. */
  private packageOfTu(b: Block): string | null {
    const tu = b.tu!;
    const targets = this.compileTargetsOf(tu);
    if (targets.length > 0) return targets.find((t) => !this.keys.has(keyOf(b, t))) ?? targets[0]!;
    return ask(() => this.resolver.packageOfSource(tu)) ?? (tu === b.file ? null : ask(() => this.resolver.packageOfSource(b.file!)));
  }

  private compileTargetsOf(tu: string): string[] {
    const list = this.compiles.get(baseName(tu));
    let best = 0;
    let targets: string[] = [];
    for (const c of list ?? []) {
      let length = 0;
      for (const f of c.forms) if (pathEndsWith(tu, f) || pathEndsWith(f, tu)) length = Math.max(length, Math.min(f.length, tu.length));
      if (length > best) [best, targets] = [length, [c.target]];
      else if (length > 0 && length === best && !targets.includes(c.target)) targets.push(c.target);
    }
    return targets;
  }

  private noteCompile(e: Extract<LineEvent, { kind: 'compile' }>): void {
    if (e.target === null || this.compileCount >= MAX_COMPILES) return;
    const forms = sourceForms(e.object, e.source);
    if (forms.length === 0) return;
    const seenKey = `${e.target}\0${forms[0]}`;
    if (this.seenCompiles.has(seenKey)) return;
    this.seenCompiles.add(seenKey);
    const base = baseName(forms[0]!);
    const list = this.compiles.get(base) ?? [];
    list.push({ forms, target: e.target });
    this.compiles.set(base, list);
    this.compileCount++;
  }

  /**
   * A failure is a cascade, never a diagnostic, when a deeper make already failed or when it is a make's own
   * exit status (Error 2) reported by the top level or by CMake's per-target `all` rules.
   */
  private onMakeError(atMs: number, text: string, e: Extract<LineEvent, { kind: 'make-error' }>): void {
    this.endContext();
    if (e.code === null || e.target === null) return;
    const level = e.level ?? 0;
    const cascade = this.deepestFailedLevel > level || (e.code === 2 && (level === 0 || e.target === 'all' || e.target.endsWith('/all')));
    this.deepestFailedLevel = Math.max(this.deepestFailedLevel, level);
    if (cascade) return;
    const pkg = this.packageOfOutput(e.target) ?? (e.makefile === null ? null : parseCmakeObjectPath(e.makefile).target);
    if (this.claim(e.target, pkg) > 0) return;
    this.addFailure(atMs, 'make', [text], `${e.target} failed: Error ${e.code}`, pkg);
  }

  /**
   * Marks the errors that explain a failed make step: for an object, the compiler errors of its source
   * (else of its package); otherwise the errors of its package and those with none, which take the step's.
   */
  private claim(target: string, pkg: string | null): number {
    if (!OBJECT_SUFFIX_RE.test(target)) return this.claimWhere(pkg, (b) => b.pkg === null || b.pkg === pkg);
    const forms = objectSourceForms(target);
    const bySource = this.claimWhere(pkg, (b) => b.tool === 'compiler' && (b.tu === null || forms.some((f) => pathEndsWith(b.tu!, f) || pathEndsWith(stripExtension(b.tu!), f))));
    return bySource > 0 || pkg === null ? bySource : this.claimWhere(pkg, (b) => b.tool === 'compiler' && b.pkg === pkg);
  }

  private claimWhere(pkg: string | null, explains: (b: Block) => boolean): number {
    let count = 0;
    this.unclaimed = this.unclaimed.filter((b) => {
      if (!explains(b)) return true;
      count++;
      b.pkg ??= pkg;
      if (!b.settled) this.settle(b);
      return false;
    });
    return count;
  }

  private openStep(atMs: number, text: string, outputs: string[]): void {
    this.endContext();
    const first = outputs[0];
    this.step = { lines: [], chars: 0, cut: false, atMs, outputs, pkg: first === undefined ? null : this.packageOfOutput(first), explained: false };
    this.append(this.step, text);
  }

  private closeStep(): void {
    const s = this.step;
    this.step = null;
    if (s && !s.explained) this.addFailure(s.atMs, 'ninja', s.lines, `${s.outputs.join(' ')} failed`, s.pkg);
  }

  private addFailure(atMs: number, tool: Tool, lines: string[], message: string, pkg: string | null): void {
    const b = this.newBlock(atMs, 'error', tool, null, null, null, message);
    for (const l of lines) this.append(b, l);
    b.pkg = pkg;
    this.register(b);
    this.settle(b);
  }

  private newBlock(atMs: number, severity: Severity, tool: Tool, file: string | null, line: number | null, column: number | null, message: string): Block {
    const msg = message.length > this.maxBlockChars ? cutText(message, this.maxBlockChars) : message;
    return { lines: [], chars: 0, cut: false, severity, aloneNote: false, tool, file, line, column, message: msg, pkg: null, tu: null, atMs, kept: false, settled: false };
  }

  private register(b: Block): void {
    if (b.severity === 'warning') this.warnings++;
    else this.errors++;
    b.kept = this.blocks.length < this.maxDiagnostics;
    if (b.kept) this.blocks.push(b);
  }

  /** The package is final: drop the block if the very same diagnostic was already seen. */
  private settle(b: Block): void {
    b.settled = true;
    const key = keyOf(b, b.pkg);
    if (!this.keys.has(key)) {
      if (this.keys.size < MAX_DEDUP_KEYS) this.keys.add(key);
      return;
    }
    if (b.severity === 'warning') this.warnings--;
    else this.errors--;
    if (b.kept) this.blocks.splice(this.blocks.lastIndexOf(b), 1);
    b.kept = false;
  }

  private closeCmakeBlock(): void {
    const b = this.current;
    if (b?.tool !== 'cmake') return;
    this.current = null;
    const named = CMAKE_TARGET_RE.exec(b.lines.join('\n'));
    b.pkg = named ? named[1]! : b.file === null ? null : ask(() => this.resolver.packageOfSource(b.file!));
    this.settle(b);
  }

  /** Nothing that follows can continue what came before: another step's output begins. */
  private endContext(): void {
    this.closeCmakeBlock();
    this.current = null;
    this.lead = null;
    this.linkObject = null;
    this.linkError = null;
  }

  private packageOfOutput(path: string): string | null {
    return ask(() => this.resolver.packageOfOutput(path)) ?? parseCmakeObjectPath(path).target;
  }

  private append(buf: TextBuffer, line: string): void {
    if (buf.cut) return;
    const separator = buf.lines.length > 0 ? 1 : 0;
    const room = this.maxBlockChars - buf.chars - separator;
    if (line.length <= room) {
      buf.lines.push(line);
      buf.chars += separator + line.length;
      return;
    }
    buf.cut = true;
    if (room < 1) return;
    buf.lines.push(cutText(line, room));
    buf.chars = this.maxBlockChars;
  }
}

function positiveOr(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}

/** A resolver is outside code: a throw there must not stop the collector. */
function ask(question: () => string | null): string | null {
  try {
    return question() ?? null;
  } catch {
    return null;
  }
}

function keyOf(b: Block, pkg: string | null): string {
  return [b.severity, b.tool, b.file, b.line, b.column, b.message.slice(0, KEY_MESSAGE_CHARS), pkg].join('\u0000');
}

/** `text` cut to at most `chars` code units, ending with '…', never splitting a surrogate pair. */
function cutText(text: string, chars: number): string {
  let end = chars - CUT_MARK.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, Math.max(0, end)) + CUT_MARK;
}

/** The object a linker line names: `/usr/bin/ld: dir/a.o: in function 'f':` gives `dir/a.o`. */
function linkObjectOf(text: string): string | null {
  if (!(text.endsWith("':") || text.endsWith('’:'))) return null;
  const at = text.lastIndexOf(': in function ');
  if (at <= 0) return null;
  const head = text.slice(0, at);
  const colon = head.indexOf(': ');
  return colon !== -1 && LINKER_NAME_RE.test(head.slice(0, colon)) ? head.slice(colon + 2) : head;
}

/** The ways a compile's source may be printed: relative to the build tree's directory of its target, and as CMake wrote it. */
function sourceForms(object: string, source: string | null): string[] {
  const src = source ?? object.replace(OBJECT_SUFFIX_RE, '');
  const marker = object.indexOf('CMakeFiles/');
  const forms = new Set([normalizePath((marker > 0 ? object.slice(0, marker) : '') + src), normalizePath(src)]);
  forms.delete('');
  return [...forms];
}

function objectSourceForms(target: string): string[] {
  const parsed = parseCmakeObjectPath(target);
  return parsed.source === null ? [normalizePath(target.replace(OBJECT_SUFFIX_RE, ''))] : sourceForms(target, parsed.source);
}

/** Resolves `.`, `..` and CMake's `__` (its spelling of `..` in object paths); `..` above the start is dropped. */
function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' || part === '__') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

function pathEndsWith(path: string, tail: string): boolean {
  return tail !== '' && (path === tail || (path.endsWith(tail) && path.charCodeAt(path.length - tail.length - 1) === 47));
}

function stripExtension(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') + 1 ? path.slice(0, dot) : path;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function trimTrailingBlankLines(lines: readonly string[]): readonly string[] {
  let end = lines.length;
  while (end > 1 && lines[end - 1]!.trim() === '') end--;
  return end === lines.length ? lines : lines.slice(0, end);
}
