import { scanOptions } from '../core/command-getopt.js';
import { NINJA_OPTIONS } from '../core/command-ninja.js';
import { resolvePhysical } from '../run/resolve-command.js';
import { checkNamedPath, checkTarget, type ArgsCheckContext } from './args-check-context.js';

/** Subtools that only read the build graph or remove what it built; `browse` starts a web server, others write files. */
export const NINJA_SAFE_SUBTOOLS: readonly string[] = ['clean', 'targets', 'commands', 'query'];

/**
 * Refuses what a ninja command line (without the program) could use to reach outside the roots:
 * `-C` and `-f` outside them, subtools other than {@link NINJA_SAFE_SUBTOOLS}, and targets that are
 * options in disguise or files outside the roots. `dir` is where ninja starts. Null when allowed.
 */
export function checkNinjaArgs(args: readonly string[], dir: string, ctx: ArgsCheckContext): string | null {
  const scanned = scanOptions(args, NINJA_OPTIONS);
  if (!scanned.ok) return `refused: ${scanned.error}`;
  const { options, operands } = scanned.value;
  let runDir = dir;
  for (const option of options.filter((o) => o.name === 'C')) {
    runDir = resolvePhysical(option.value ?? '', dir);
    const outside = checkNamedPath(runDir, dir, ctx.roots, 'directory (ninja -C)', false);
    if (outside) return outside;
  }
  for (const option of options) {
    if (option.name === 'f') {
      const outside = checkNamedPath(option.value ?? '', runDir, ctx.roots, 'build file (ninja -f)', true);
      if (outside) return outside;
    }
    if (option.name === 't' && !ctx.allowedTools.has('ninja-any') && !NINJA_SAFE_SUBTOOLS.includes(option.value ?? '')) {
      return `refused: ninja -t ${option.value ?? ''} is not allowed (allowed subtools: ${NINJA_SAFE_SUBTOOLS.join(', ')}). ` +
        'To allow every ninja subtool, start the server with --allow-tool ninja-any.';
    }
  }
  for (const word of operands) {
    const refused = checkTarget(word, runDir, ctx.roots);
    if (refused) return refused;
  }
  return null;
}
