import { scanCmakeBuildArgs } from '../core/command-cmake-args.js';
import { resolvePhysical } from '../run/resolve-command.js';
import { checkTarget, type ArgsCheckContext } from './args-check-context.js';
import { checkMakeArgs } from './make-args-check.js';
import { checkNinjaArgs } from './ninja-args-check.js';

export type { ArgsCheckContext } from './args-check-context.js';

const MAKE_NAMES = new Set(['make', 'gmake']);
const NINJA_NAMES = new Set(['ninja', 'ninja-build']);
const CMAKE_NAMES = new Set(['cmake', 'cmake3']);

/**
 * Checks the arguments of a build command whose program is already allowed (see BuildPolicy): what
 * make, ninja, and the native tool behind `cmake --build` would read from outside the roots, or run
 * besides the build, is refused with a sentence naming the flag and how to allow it. Programs allowed
 * by `--allow-tool` other than these are the operator's choice and pass as they are. Null when allowed.
 */
export function checkBuildArgs(argv: readonly string[], ctx: ArgsCheckContext): string | null {
  const name = argv[0] ?? '';
  const args = argv.slice(1);
  if (MAKE_NAMES.has(name)) return checkMakeArgs(args, ctx.cwd, ctx);
  if (NINJA_NAMES.has(name)) return checkNinjaArgs(args, ctx.cwd, ctx);
  if (CMAKE_NAMES.has(name) && args[0] === '--build') return checkCmakeBuild(args.slice(1), ctx);
  return null;
}

function checkCmakeBuild(args: readonly string[], ctx: ArgsCheckContext): string | null {
  const first = args[0] ?? '';
  if ((first.startsWith('--preset') || first.startsWith('--list-presets')) && !ctx.allowedTools.has('cmake-any')) {
    return 'refused: cmake --build --preset is not allowed: the build directory a preset names cannot be checked against the roots. ' +
      'Name the build directory (cmake --build DIR), or start the server with --allow-tool cmake-any.';
  }
  const scanned = scanCmakeBuildArgs(args);
  if (!scanned.ok) return `refused: ${scanned.error}`;
  const buildDir = resolvePhysical(scanned.value.dir ?? '.', ctx.cwd);
  for (const target of scanned.value.targets) {
    const refused = checkTarget(target, buildDir, ctx.roots);
    if (refused) return refused;
  }
  const native = scanned.value.nativeArgs;
  if (native.length === 0) return null;
  const asMake = ctx.generator === 'ninja' ? null : checkMakeArgs(native, buildDir, ctx);
  if (asMake) return asMake.replace(/^refused: /, 'refused: after cmake --build --: ');
  const asNinja = ctx.generator === 'make' ? null : checkNinjaArgs(native, buildDir, ctx);
  return asNinja ? asNinja.replace(/^refused: /, 'refused: after cmake --build --: ') : null;
}
