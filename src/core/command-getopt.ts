import { scanOk, type ScanResult } from './command-scan.js';

/**
 * How an option takes its argument. 'optional-numeric' is GNU make's rule for `-j` and `-l`: the
 * argument is attached, or the next word when that word is a number. A negative number is taken
 * too, so that `-j -3` is reported as a bad count rather than as an unknown option.
 */
export type ArgKind = 'none' | 'required' | 'optional-numeric' | 'optional-attached';

/** A getopt-style option table; short letters not listed are flags without an argument. */
export interface OptionSpec {
  /** Program name used in error messages. */
  tool: string;
  short: Readonly<Record<string, ArgKind>>;
  /** Long option name -> the short name it stands for and how it takes its argument. */
  long: Readonly<Record<string, { name: string; arg: ArgKind }>>;
  /** An option after which all remaining words belong to it (ninja's `-t`). */
  stopAfter?: string;
}

/** One option as found; `name` is the short letter it stands for, or `--name` when unlisted. */
export interface ScannedOption {
  name: string;
  value: string | undefined;
}

/** Options in order, operands (non-options) in order, and the words after a `stopAfter` option. */
export interface ScannedArgs {
  options: ScannedOption[];
  operands: string[];
  rest: string[];
}

const NUMERIC_WORD = /^-?\d/;

/**
 * Splits arguments the way GNU getopt_long does with permutation: options and operands may mix,
 * short flags may be grouped (`-kj4`), and `--` ends the options.
 */
export function scanOptions(args: readonly string[], spec: OptionSpec): ScanResult<ScannedArgs> {
  const out: ScannedArgs = { options: [], operands: [], rest: [] };
  let index = 0;
  while (index < args.length) {
    const arg = args[index] ?? '';
    if (arg === '--') {
      out.operands.push(...args.slice(index + 1));
      break;
    }
    const step = scanWord(args, index, spec, out);
    if (!step.ok) return step;
    index = step.value;
    if (spec.stopAfter !== undefined && out.options.at(-1)?.name === spec.stopAfter) {
      out.rest = args.slice(index);
      break;
    }
  }
  return scanOk(out);
}

function scanWord(args: readonly string[], index: number, spec: OptionSpec, out: ScannedArgs): ScanResult<number> {
  const arg = args[index] ?? '';
  if (arg.startsWith('--')) return scanLong(args, index, spec, out);
  if (arg.startsWith('-') && arg.length > 1) return scanShortGroup(args, index, spec, out);
  out.operands.push(arg);
  return scanOk(index + 1);
}

function scanShortGroup(
  args: readonly string[],
  index: number,
  spec: OptionSpec,
  out: ScannedArgs,
): ScanResult<number> {
  const arg = args[index] ?? '';
  for (let pos = 1; pos < arg.length; pos++) {
    const letter = arg.charAt(pos);
    const kind = spec.short[letter] ?? 'none';
    if (kind === 'none') {
      out.options.push({ name: letter, value: undefined });
      continue;
    }
    const attached = arg.slice(pos + 1);
    if (attached !== '') {
      out.options.push({ name: letter, value: attached });
      return scanOk(index + 1);
    }
    return takeSeparateValue(args, index, { name: letter, arg: kind }, `-${letter}`, spec, out);
  }
  return scanOk(index + 1);
}

function scanLong(args: readonly string[], index: number, spec: OptionSpec, out: ScannedArgs): ScanResult<number> {
  const body = (args[index] ?? '').slice(2);
  const eq = body.indexOf('=');
  const longName = eq < 0 ? body : body.slice(0, eq);
  const inline = eq < 0 ? undefined : body.slice(eq + 1);
  const def = spec.long[longName] ?? { name: `--${longName}`, arg: 'none' };
  if (inline !== undefined || def.arg === 'none' || def.arg === 'optional-attached') {
    out.options.push({ name: def.name, value: def.arg === 'none' ? undefined : inline });
    return scanOk(index + 1);
  }
  return takeSeparateValue(args, index, def, `--${longName}`, spec, out);
}

function takeSeparateValue(
  args: readonly string[],
  index: number,
  def: { name: string; arg: ArgKind },
  display: string,
  spec: OptionSpec,
  out: ScannedArgs,
): ScanResult<number> {
  const next = args[index + 1];
  const takesNext = def.arg === 'required' || (def.arg === 'optional-numeric' && NUMERIC_WORD.test(next ?? ''));
  if (def.arg === 'required' && next === undefined) {
    return { ok: false, error: `${spec.tool}: option '${display}' requires an argument` };
  }
  out.options.push({ name: def.name, value: takesNext ? next : undefined });
  return scanOk(takesNext ? index + 2 : index + 1);
}
