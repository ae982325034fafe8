import type { BuildCommandInfo } from '../core/command.js';
import { scanMakeArgs } from '../core/command-make.js';
import { scanNinjaArgs } from '../core/command-ninja.js';

/** What build_start may add to a command: a job count and a target. */
export interface CommandEdits {
  jobs: number | null;
  target: string | null;
  /** When the command sets its own job count: replace it with `jobs` (jobs "auto") instead of refusing. */
  replaceJobs?: boolean;
}

export type EditResult = { ok: true; argv: string[] } | { ok: false; error: string };

/**
 * Adds `-j N` and a target to a build command in the place its driver reads them: right after the
 * program for make and ninja (targets at the end), before `--` for `cmake --build`. A command that
 * already says something else is not second-guessed: that is an error naming both, unless
 * `replaceJobs` asks for its job count to be replaced (see {@link overrideJobs}).
 */
export function editCommand(argv: readonly string[], info: BuildCommandInfo, edits: CommandEdits): EditResult {
  let out = [...argv];
  if (edits.jobs !== null) {
    if (info.jobsSource === 'flag') {
      if (info.jobs !== edits.jobs) {
        if (!edits.replaceJobs) {
          return { ok: false, error: `the command already sets its job count (${info.jobs === null ? 'unlimited' : `-j${info.jobs}`}) and jobs is ${edits.jobs}: give only one` };
        }
        out = overrideJobs(out, info, edits.jobs);
      }
    } else {
      out = info.driver === 'cmake'
        ? insertBeforeNative(out, ['--parallel', String(edits.jobs)])
        : [out[0] as string, ...jobWords(info, edits.jobs), ...out.slice(1)];
    }
  }
  if (edits.target !== null && edits.target !== info.target) {
    if (info.target !== 'all') {
      return { ok: false, error: `the command already names its target (${info.target}) and target is ${edits.target}: give only one` };
    }
    out = info.driver === 'cmake' ? insertBeforeNative(out, ['--target', edits.target]) : [...out, edits.target];
  }
  return { ok: true, argv: out };
}

/** The job count a command runs with, for notes: `-j4`, `unlimited -j`, or `its default job count` when unknown. */
export function describeJobs(info: BuildCommandInfo): string {
  return info.jobsUnlimited ? 'unlimited -j' : info.jobs === null ? 'its default job count' : `-j${info.jobs}`;
}

/**
 * Sets the job count of a command that already has one by adding another where the last one wins:
 * make and ninja read their options in order (before a `--`); `cmake --build` passes its own
 * `--parallel` before the native arguments, so when those set a job count the new one goes last.
 */
function overrideJobs(argv: string[], info: BuildCommandInfo, jobs: number): string[] {
  if (info.driver === 'cmake') {
    const native = info.tool === 'ninja' ? scanNinjaArgs(info.nativeArgs) : scanMakeArgs(info.nativeArgs);
    const nativeSetsJobs = native.ok && native.value.setting !== null;
    return nativeSetsJobs ? [...argv, `-j${jobs}`] : insertBeforeNative(argv, ['--parallel', String(jobs)]);
  }
  return insertBeforeNative(argv, jobWords(info, jobs));
}

/** `-j N` as make (`-jN`) or ninja (`-j N`) reads it. */
function jobWords(info: BuildCommandInfo, jobs: number): string[] {
  return info.driver === 'ninja' ? ['-j', String(jobs)] : [`-j${jobs}`];
}

/** `words` before the first `--` (cmake's native arguments, make's or ninja's operands), else at the end. */
function insertBeforeNative(argv: string[], words: string[]): string[] {
  const dashes = argv.indexOf('--');
  return dashes === -1 ? [...argv, ...words] : [...argv.slice(0, dashes), ...words, ...argv.slice(dashes)];
}
