import { scanOptions } from '../core/command-getopt.js';
import { joinMakeDirs, MAKE_OPTIONS } from '../core/command-make.js';
import { resolvePhysical } from '../run/resolve-command.js';
import { checkNamedPath, checkTarget, type ArgsCheckContext } from './args-check-context.js';
import { unsafeValue } from './safety.js';

/** Every long option of GNU make 4.4, so that an abbreviation (`--ev` for `--eval`) is never taken for something else. */
const MAKE_LONG_OPTIONS = new Set([
  'always-make', 'assume-new', 'assume-old', 'check-symlink-times', 'debug', 'directory', 'dry-run', 'environment-overrides',
  'eval', 'file', 'help', 'ignore-errors', 'include-dir', 'jobs', 'jobserver-auth', 'jobserver-fds', 'jobserver-style', 'just-print', 'keep-going', 'load-average',
  'makefile', 'max-load', 'new-file', 'no-builtin-rules', 'no-builtin-variables', 'no-keep-going', 'no-print-directory',
  'no-silent', 'old-file', 'output-sync', 'print-data-base', 'print-directory', 'question', 'quiet', 'recon', 'shuffle',
  'silent', 'stop', 'sync-mutex', 'touch', 'trace', 'version', 'warn-undefined-variables', 'what-if',
]);

/** Options naming a file or directory make reads or marks, with what the refusal calls it. */
const PATH_OPTIONS: Readonly<Record<string, { what: string; isFile: boolean }>> = {
  f: { what: 'makefile (make -f)', isFile: true },
  I: { what: 'include directory (make -I)', isFile: false },
  o: { what: 'file marked old (make -o)', isFile: true },
  W: { what: 'file marked new (make -W)', isFile: true },
};

/** Options no client needs: make code from the client, and make's own inter-process plumbing. */
const REFUSED_OPTIONS: Readonly<Record<string, string>> = {
  E: 'make --eval (-E) runs make code given by the client, and make code can run any command; put it in a makefile inside the roots',
  jobserver: "--jobserver-auth is make's own inter-process option, which a build started here does not need",
  'sync-mutex': "--sync-mutex is make's own inter-process option, which a build started here does not need",
};

/** Variables that decide how make runs every recipe: never set by a client. */
const NEVER_SET = new Set(['SHELL', '.SHELLFLAGS', 'MAKEFLAGS', 'MFLAGS', 'GNUMAKEFLAGS']);

const ANY = "To allow every make option, start the server with --allow-tool make-any.";

/**
 * Refuses what a make command line (without the program) could use to run something outside the
 * roots or the makefiles there: files and directories outside the roots (`-f`, `-I`, `-o`, `-W`,
 * `-C`), `--eval`, abbreviated long options, variable assignments (`SHELL=`, `LD_PRELOAD=` reach
 * every recipe) unless `--allow-make-var` names them, targets that are options in disguise, and
 * targets outside the roots (make's built-in rules would build `/elsewhere/x.o` there).
 * `dir` is where make starts (the build directory for `cmake --build`). Null when allowed.
 */
export function checkMakeArgs(args: readonly string[], dir: string, ctx: ArgsCheckContext): string | null {
  const lax = ctx.allowedTools.has('make-any');
  if (!lax) {
    const abbreviated = abbreviatedLong(args);
    if (abbreviated !== null) return abbreviated;
  }
  const scanned = scanOptions(args, MAKE_OPTIONS);
  if (!scanned.ok) return `refused: ${scanned.error}`;
  const { options, operands } = scanned.value;
  const chdirs = options.filter((o) => o.name === 'C').map((o) => o.value ?? '');
  const runDir = resolvePhysical(joinMakeDirs(chdirs) ?? '.', dir);
  if (chdirs.length > 0) {
    const outside = checkNamedPath(runDir, dir, ctx.roots, 'directory (make -C)', false);
    if (outside) return outside;
  }
  for (const option of lax ? [] : options) {
    const refused = REFUSED_OPTIONS[option.name];
    if (refused !== undefined) return `refused: ${refused}. ${ANY}`;
    const named = PATH_OPTIONS[option.name];
    if (named === undefined) continue;
    const outside = checkNamedPath(option.value ?? '', runDir, ctx.roots, named.what, named.isFile);
    if (outside) return outside;
  }
  for (const word of operands) {
    const refused = word.includes('=') ? checkAssignment(word, ctx.allowedMakeVars) : checkTarget(word, runDir, ctx.roots);
    if (refused) return refused;
  }
  return null;
}

function abbreviatedLong(args: readonly string[]): string | null {
  for (const arg of args) {
    if (arg === '--') return null;
    if (!arg.startsWith('--')) continue;
    const name = arg.slice(2).split('=')[0] ?? '';
    if (!MAKE_LONG_OPTIONS.has(name)) {
      return `refused: make option '--${name}' is abbreviated or unknown; write long options in full (e.g. --directory). ${ANY}`;
    }
  }
  return null;
}

/** `NAME=value` (also `:=`, `::=`, `:::=`, `+=`, `?=`, `!=`) on make's command line. */
function checkAssignment(word: string, allowed: ReadonlySet<string>): string | null {
  const eq = word.indexOf('=');
  const lhs = word.slice(0, eq);
  const name = lhs.replace(/[:+?!]+$/, '').trim();
  if (NEVER_SET.has(name)) {
    return `refused: make variable ${name} cannot be set by a client: it decides how make runs every recipe ` +
      '(SHELL, .SHELLFLAGS, MAKEFLAGS, MFLAGS and GNUMAKEFLAGS are never allowed). Set it in a makefile inside the roots instead.';
  }
  if (!allowed.has(name)) {
    return `refused: make variable assignment '${word}': every recipe would see ${name || 'it'}, in its environment too. ` +
      `To allow it, start the server with --allow-make-var ${name || 'NAME'}.`;
  }
  if (lhs.endsWith('!')) return `refused: '${word}' makes make run a shell command; give a literal value with '='.`;
  if (word.includes('$', eq)) {
    return `refused: the value in '${word}' contains '$', which make expands (and $(shell ...) runs a command); give a literal value.`;
  }
  return unsafeValue(`make variable ${name}`, word.slice(eq + 1));
}
