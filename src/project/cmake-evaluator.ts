import { capValue, expandArguments, MAX_VALUE_CHARS, withoutUnsetMarks } from './cmake-expand.js';
import type { CmakeCommand } from './cmake-parse.js';

/** A variable scope: a directory's or a function's. `parent` is where `set(... PARENT_SCOPE)` writes. */
export interface CmakeScope {
  vars: Map<string, string>;
  parent: Map<string, string> | null;
}

/** Runs a command the evaluator does not handle itself (targets, directories, files). */
export type CmakeCommandHost<F extends CmakeScope> = (name: string, args: string[], frame: F, depth: number) => void;

interface UserCommand {
  params: string[];
  body: CmakeCommand[];
  isMacro: boolean;
}

/** Work units: one per command run, one per 4 KiB of variable text read, one per 64 list elements made. */
const MAX_WORK = 100_000;
const CHARS_PER_WORK = 4096;
const ELEMENTS_PER_WORK = 64;
/** Past twice the budget every variable reads as unset, so what is left of hostile input runs in linear time. */
const HARD_WORK_LIMIT = 2 * MAX_WORK;
const MAX_NESTING = 64;
const MAX_FOREACH_ITERATIONS = 10_000;

/**
 * Evaluates the variable and control-flow part of the CMake language: set/unset/list, foreach,
 * function and macro, with directory and function scopes and a global cache. Conditions are not
 * evaluated: if/elseif/else/while are markers it reads through, so every branch is read once as if
 * its condition held, and return/break/continue are ignored. Work is bounded (nesting, loop
 * iterations, and a budget that counts commands run, variable text read and list elements made;
 * each value is cut to 1 MiB): once the budget is spent, calls and loops are skipped or left (see
 * {@link CmakeEvaluator.exhausted}) while plain commands still run, so hostile input ends and what
 * follows it is still read; past twice the budget, variables read as unset. Pure: everything else
 * goes to the host.
 */
export class CmakeEvaluator<F extends CmakeScope> {
  private readonly userCommands = new Map<string, UserCommand>();
  private readonly cache = new Map<string, string>();
  private work = 0;

  /**
   * `markUnsetIn` names the commands whose arguments the host receives with
   * `UNSET_REFERENCE` where an unset variable was referenced (see `expandArguments`).
   */
  constructor(
    private readonly host: CmakeCommandHost<F>,
    private readonly markUnsetIn: ReadonlySet<string> = new Set(),
  ) {}

  /** Value of a variable as `${name}` would expand in `frame`, or undefined when unset. */
  get(frame: F, name: string): string | undefined {
    return frame.vars.get(name) ?? this.cache.get(name);
  }

  /** True once the work budget is spent: hosts then skip what multiplies work (include, add_subdirectory). */
  get exhausted(): boolean {
    return this.work >= MAX_WORK;
  }

  /** Runs commands in `frame`; `depth` counts nested directories, includes and calls. */
  run(commands: readonly CmakeCommand[], frame: F, depth: number): void {
    if (depth > MAX_NESTING) return;
    for (let i = 0; i < commands.length; i++) {
      this.work++;
      const command = commands[i]!;
      const markUnset = this.markUnsetIn.has(command.name);
      const expanded = expandArguments(command.args, (name) => this.read(frame, name), { markUnset });
      this.work += expanded.length / ELEMENTS_PER_WORK;
      const args = markUnset && this.userCommands.has(command.name) ? expanded.map(withoutUnsetMarks) : expanded;
      if (command.name === 'function' || command.name === 'macro') {
        const end = findBlockEnd(commands, i, command.name, `end${command.name}`);
        const [name, ...params] = args;
        const isMacro = command.name === 'macro';
        if (name !== undefined) this.userCommands.set(name.toLowerCase(), { params, body: commands.slice(i + 1, end), isMacro });
        i = end;
      } else if (command.name === 'foreach') {
        const end = findBlockEnd(commands, i, 'foreach', 'endforeach');
        if (!this.exhausted) this.loop(args, commands.slice(i + 1, end), frame, depth);
        i = end;
      } else if (command.name === 'set') {
        this.set(args, frame);
      } else if (command.name === 'unset') {
        if (args[0] !== undefined) (args[1] === 'PARENT_SCOPE' ? frame.parent : frame.vars)?.delete(args[0]);
      } else if (command.name === 'list') {
        this.list(args, frame);
      } else if (this.userCommands.has(command.name) && !this.exhausted) {
        this.callUser(this.userCommands.get(command.name)!, args, frame, depth);
      } else {
        this.host(this.builtinName(command.name), args, frame, depth);
      }
    }
  }

  /** A variable read by the code being run: its text counts as work, and past the hard limit it is unset. */
  private read(frame: F, name: string): string | undefined {
    if (this.work >= HARD_WORK_LIMIT) return undefined;
    const value = this.get(frame, name);
    if (value !== undefined) this.work += value.length / CHARS_PER_WORK;
    return value;
  }

  /** The elements of a list variable, counted as work. */
  private readList(frame: F, name: string): string[] {
    const elements = (this.read(frame, name) ?? '').split(';').filter((s) => s !== '');
    this.work += elements.length / ELEMENTS_PER_WORK;
    return elements;
  }

  /** A function that overrides a built-in reaches the original as `_name`, as in CMake. */
  private builtinName(name: string): string {
    return name.startsWith('_') && this.userCommands.has(name.slice(1)) ? name.slice(1) : name;
  }

  private set(args: string[], frame: F): void {
    const name = args[0];
    if (name === undefined) return;
    let values = args.slice(1);
    let scope: Map<string, string> | null = frame.vars;
    if (values.at(-1) === 'PARENT_SCOPE') [values, scope] = [values.slice(0, -1), frame.parent];
    const cacheAt = values.indexOf('CACHE');
    if (cacheAt >= 0) {
      if (!this.cache.has(name) || values.includes('FORCE', cacheAt)) this.cache.set(name, capValue(values.slice(0, cacheAt).join(';')));
      return;
    }
    if (values.length === 0) scope?.delete(name);
    else scope?.set(name, capValue(values.join(';')));
  }

  private list(args: string[], frame: F): void {
    const [operation, name, ...items] = args;
    if (name === undefined) return;
    if (operation === 'APPEND' || operation === 'PREPEND') {
      const current = (this.work < HARD_WORK_LIMIT ? this.get(frame, name) : undefined) ?? '';
      if (items.length === 0) return;
      const added = items.join(';');
      const joined = current === '' ? added : operation === 'APPEND' ? `${current};${added}` : `${added};${current}`;
      if (joined.length > MAX_VALUE_CHARS) this.work += joined.length / CHARS_PER_WORK;
      frame.vars.set(name, capValue(joined));
      return;
    }
    if (operation !== 'REMOVE_ITEM' && operation !== 'REMOVE_DUPLICATES' && operation !== 'TRANSFORM') return;
    const current = this.readList(frame, name);
    let next: string[];
    if (operation === 'REMOVE_ITEM') next = current.filter((s) => !items.includes(s));
    else if (operation === 'REMOVE_DUPLICATES') next = [...new Set(current)];
    else if (operation === 'TRANSFORM' && (items[0] === 'APPEND' || items[0] === 'PREPEND') && items[1] !== undefined) {
      const [action, text] = [items[0], items[1]];
      next = current.map((s) => (action === 'APPEND' ? s + text : text + s));
      const out = items.indexOf('OUTPUT_VARIABLE');
      if (out >= 0 && items[out + 1] !== undefined) return void frame.vars.set(items[out + 1]!, capValue(next.join(';')));
    } else return;
    frame.vars.set(name, capValue(next.join(';')));
  }

  private loop(args: string[], body: CmakeCommand[], frame: F, depth: number): void {
    const [variable, ...rest] = args;
    if (variable === undefined) return;
    const previous = frame.vars.get(variable);
    for (const item of foreachItems(rest, (name) => this.readList(frame, name))) {
      if (this.exhausted) break;
      frame.vars.set(variable, item);
      this.run(body, frame, depth);
    }
    if (previous === undefined) frame.vars.delete(variable);
    else frame.vars.set(variable, previous);
  }

  private callUser(command: UserCommand, args: string[], frame: F, depth: number): void {
    const bound = new Map([['ARGC', String(args.length)], ['ARGV', capValue(args.join(';'))], ['ARGN', capValue(args.slice(command.params.length).join(';'))]]);
    args.forEach((arg, i) => bound.set(`ARGV${i}`, arg));
    command.params.forEach((param, i) => bound.set(param, args[i] ?? ''));
    if (!command.isMacro) {
      this.run(command.body, { ...frame, vars: new Map([...frame.vars, ...bound]), parent: frame.vars }, depth + 1);
      return;
    }
    const saved = [...bound.keys()].map((key) => [key, frame.vars.get(key)] as const);
    for (const [key, value] of bound) frame.vars.set(key, value);
    this.run(command.body, frame, depth + 1);
    for (const [key, value] of saved) {
      if (value === undefined) frame.vars.delete(key);
      else frame.vars.set(key, value);
    }
  }
}

function foreachItems(args: string[], list: (name: string) => string[]): string[] {
  const items: string[] = [];
  if (args[0] === 'RANGE') {
    const [start = 0, stop = 0, step = 1] = args.length > 2 ? args.slice(1).map(Number) : [0, Number(args[1])];
    if (!(step > 0)) return items;
    for (let i = start; i <= stop && items.length < MAX_FOREACH_ITERATIONS; i += step) items.push(String(i));
    return items;
  }
  if (args[0] !== 'IN') return args.slice(0, MAX_FOREACH_ITERATIONS);
  let mode = '';
  for (const arg of args.slice(1)) {
    if (arg === 'LISTS' || arg === 'ITEMS' || arg === 'ZIP_LISTS') mode = arg;
    else if (mode === 'LISTS') items.push(...list(arg).slice(0, MAX_FOREACH_ITERATIONS));
    else if (mode === 'ITEMS') items.push(arg);
  }
  return items.slice(0, MAX_FOREACH_ITERATIONS);
}

function findBlockEnd(commands: readonly CmakeCommand[], open: number, opener: string, closer: string): number {
  let depth = 0;
  for (let i = open; i < commands.length; i++) {
    const name = commands[i]!.name;
    if (name === opener) depth++;
    else if (name === closer && --depth === 0) return i;
  }
  return commands.length;
}
