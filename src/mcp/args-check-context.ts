import { resolvePhysical } from '../run/resolve-command.js';
import { checkInsideRoots, type AllowedRoots } from './safety.js';

/** What the argument checks of a build command need to know besides the words themselves. */
export interface ArgsCheckContext {
  /** Absolute directory the command starts in. */
  cwd: string;
  roots: AllowedRoots;
  /** The generator of a `cmake --build` tree (whose tool reads the arguments after `--`); null when unknown. */
  generator: 'make' | 'ninja' | null;
  /** `--allow-tool` names; `make-any`, `ninja-any` and `cmake-any` lift the option checks of that tool. */
  allowedTools: ReadonlySet<string>;
  /** `--allow-make-var` names a client may assign on make's command line. */
  allowedMakeVars: ReadonlySet<string>;
}

/**
 * Refuses a target that make or ninja would read as something else: a word starting with '-' is an
 * option, a word containing '=' a variable assignment. Null when it is a plain target.
 */
export function checkTargetWord(target: string): string | null {
  if (!target.startsWith('-') && !target.includes('=')) return null;
  return `refused: target '${target}' ${target.startsWith('-') ? "starts with '-'" : "contains '='"}: ` +
    'make and ninja would read it as an option or a variable assignment. Name a target only (no leading \'-\', no \'=\').';
}

/**
 * Refuses a target that is an option in disguise ({@link checkTargetWord}) or a file outside the
 * roots: `make /elsewhere/x.o` (or `../x.o`) would build it there with make's built-in rules. The
 * target is followed from `dir`, where the tool runs, symlinks included. Null when allowed.
 */
export function checkTarget(target: string, dir: string, roots: AllowedRoots): string | null {
  return checkTargetWord(target) ?? checkNamedPath(target, dir, roots, 'target', true);
}

/** Refuses a file or directory a build option names unless it lies inside the roots; relative to `dir`, followed as the kernel does. */
export function checkNamedPath(value: string, dir: string, roots: AllowedRoots, what: string, isFile: boolean): string | null {
  return checkInsideRoots(resolvePhysical(value, dir), roots, what, isFile);
}
