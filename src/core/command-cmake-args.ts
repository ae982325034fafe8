import { parseJobCount, scanOk, type JobSetting, type ScanResult } from './command-scan.js';

/** What `cmake --build` arguments say, before the generator's tool interprets the native args. */
export interface CmakeBuildArgs {
  /** The build directory, which cmake requires right after `--build`; null with `--preset`. */
  dir: string | null;
  /** From `-j`/`--parallel`; 'native-default' when given without a number. */
  setting: JobSetting | null;
  targets: string[];
  nativeArgs: string[];
}

const JOB_FLAG = /^(-j|--parallel)(=?)(.*)$/;
const TARGET_FLAG = /^(-t|--target)(?:=(.*))?$/;
const VALUE_FLAG = /^(--config|--preset)(?:=(.*))?$/;

type Step = ScanResult<number>;

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error: `cmake --build: ${error}` };
}

/**
 * Reads the arguments after `cmake --build` as cmake 3.25 does: `-j`/`--parallel` take a number
 * attached (`-j4`, `--parallel=4`) or as the next word unless it starts with a dash; `--target`
 * takes every following word up to the next option, each split on ';'.
 */
export function scanCmakeBuildArgs(args: readonly string[]): ScanResult<CmakeBuildArgs> {
  const first = args[0];
  if (first === undefined) return fail('a build directory is required');
  const presetFirst = first.startsWith('--preset') || first.startsWith('--list-presets');
  const out: CmakeBuildArgs = { dir: presetFirst ? null : first, setting: null, targets: [], nativeArgs: [] };
  let index = presetFirst ? 0 : 1;
  while (index < args.length) {
    if (args[index] === '--') {
      out.nativeArgs = args.slice(index + 1);
      break;
    }
    const step = scanCmakeWord(args, index, out);
    if (!step.ok) return step;
    index = step.value;
  }
  if (out.targets.includes('clean') && out.targets.some((t) => t !== 'clean')) {
    return fail("'clean' cannot be built together with other targets");
  }
  return scanOk(out);
}

function scanCmakeWord(args: readonly string[], index: number, out: CmakeBuildArgs): Step {
  const arg = args[index] ?? '';
  const job = JOB_FLAG.exec(arg);
  if (job !== null) return scanJobFlag(args, index, job, out);
  const target = TARGET_FLAG.exec(arg);
  if (target !== null) return scanTargets(args, index, target[2], out);
  const valued = VALUE_FLAG.exec(arg);
  if (valued === null || valued[2] !== undefined) return scanOk(index + 1);
  if (args[index + 1] === undefined) return fail(`option '${arg}' requires a value`);
  return scanOk(index + 2);
}

function scanJobFlag(args: readonly string[], index: number, match: RegExpExecArray, out: CmakeBuildArgs): Step {
  const [, flag = '', eq = '', attached = ''] = match;
  if (eq !== '' && attached === '') return fail(`option '${flag}' requires a value after '='`);
  const next = args[index + 1];
  const separate = attached === '' && next !== undefined && (!next.startsWith('-') || /^-\d/.test(next));
  const value = separate ? next : attached;
  if (value === '') {
    out.setting = { kind: 'native-default' };
    return scanOk(index + 1);
  }
  const count = parseJobCount(value);
  if (!count.ok) return count;
  out.setting = { kind: 'count', jobs: count.value };
  return scanOk(separate ? index + 2 : index + 1);
}

function scanTargets(args: readonly string[], index: number, inline: string | undefined, out: CmakeBuildArgs): Step {
  const words = inline === undefined ? [] : [inline];
  let next = index + 1;
  while (next < args.length && !(args[next] ?? '-').startsWith('-')) {
    words.push(args[next] ?? '');
    next++;
  }
  const targets = words.flatMap((word) => word.split(';')).filter((t) => t !== '');
  if (targets.length === 0) return fail(`option '${args[index] ?? ''}' requires at least one target`);
  out.targets.push(...targets);
  return scanOk(next);
}
