import type { BuildCommandInfo } from '../core/command.js';

/** What build_start may add to a command: a job count and a target. */
export interface CommandEdits {
  jobs: number | null;
  target: string | null;
}

export type EditResult = { ok: true; argv: string[] } | { ok: false; error: string };

/**
 * Adds `-j N` and a target to a build command in the place its driver reads them: right after the
 * program for make and ninja (targets at the end), before `--` for `cmake --build`. A command that
 * already says something else is not second-guessed: that is an error naming both.
 */
export function editCommand(argv: readonly string[], info: BuildCommandInfo, edits: CommandEdits): EditResult {
  let out = [...argv];
  if (edits.jobs !== null) {
    if (info.jobsSource === 'flag') {
      if (info.jobs !== edits.jobs) {
        return { ok: false, error: `the command already sets its job count (${info.jobs === null ? 'unlimited' : `-j${info.jobs}`}) and jobs is ${edits.jobs}: give only one` };
      }
    } else {
      out = info.driver === 'cmake'
        ? insertBeforeNative(out, ['--parallel', String(edits.jobs)])
        : [out[0] as string, ...(info.driver === 'ninja' ? ['-j', String(edits.jobs)] : [`-j${edits.jobs}`]), ...out.slice(1)];
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

function insertBeforeNative(argv: string[], words: string[]): string[] {
  const dashes = argv.indexOf('--');
  return dashes === -1 ? [...argv, ...words] : [...argv.slice(0, dashes), ...words, ...argv.slice(dashes)];
}
