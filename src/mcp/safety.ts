import path from 'node:path';
import { resolvePhysical } from '../run/resolve-command.js';

/** Programs a client may run without further configuration: the build tools and nothing else. */
export const DEFAULT_ALLOWED_TOOLS: readonly string[] = ['make', 'gmake', 'cmake', 'ninja'];

/** Where the directories a client may build in come from, in order of precedence. */
export type RootsSource = 'client' | 'option' | 'cwd';

/** The directories builds may run in, and who said so (for refusal messages). */
export interface AllowedRoots {
  /** Absolute, symlink-resolved directories. */
  dirs: string[];
  from: RootsSource;
}

/**
 * Environment variables no client may set, not even with `--allow-env`: they decide which programs,
 * shell or libraries every step of the build (and buildmon's own runner) uses.
 */
export const NEVER_CLIENT_ENV: readonly string[] = [
  'PATH', 'SHELL', 'BASH_ENV', 'ENV', 'LD_*', 'MAKEFLAGS', 'MFLAGS', 'GNUMAKEFLAGS', 'MAKEFILES', 'NODE_OPTIONS', 'BUILDMON_*',
];

/**
 * What a client's value for an allowed variable may hold: words of letters, digits, spaces and
 * `_ - . / : = , + @ %`. A value lands inside recipes (`$(CC) -c ...`) that a shell runs, so
 * anything a shell or make reads specially (`$`, backquotes, `;`, `|`, `&`, redirections, quotes,
 * globs, newlines) would let the client run a command of its choosing.
 */
export const SAFE_VALUE = /^[A-Za-z0-9 _\-./:=,+@%]*$/;

/** The refusal for a value outside {@link SAFE_VALUE}, naming what it may hold. */
export function unsafeValue(what: string, value: string): string | null {
  if (SAFE_VALUE.test(value)) return null;
  const bad = [...new Set([...value].filter((c) => !SAFE_VALUE.test(c)))].map((c) => JSON.stringify(c)).join(' ');
  return `refused: the value of ${what} contains ${bad}: a shell running the recipes would read ${bad.includes(' ') ? 'them' : 'it'} as code. ` +
    "A client's value may hold only letters, digits, spaces and _ - . / : = , + @ %; put anything else in a makefile inside the roots.";
}

/** Longest value a client may give an environment variable. */
export const MAX_ENV_VALUE = 4096;

/** True when no client may set `name`, whatever the server allows (see {@link NEVER_CLIENT_ENV}). */
export function isNeverClientEnv(name: string): boolean {
  return NEVER_CLIENT_ENV.some((n) => (n.endsWith('*') ? name.startsWith(n.slice(0, -1)) : name === n));
}

/**
 * What an MCP client is allowed to run: programs by name (the allowlist), directories (the roots)
 * and environment variables (`--allow-env`). A refusal is a sentence that says what was refused and
 * how to allow it; null means allowed.
 */
export class BuildPolicy {
  readonly allowedTools: ReadonlySet<string>;
  /** Make variables a client may set on the command line (`--allow-make-var`). */
  readonly allowedMakeVars: ReadonlySet<string>;
  /** Environment variables a client may give a build (`--allow-env`), less those never allowed. */
  readonly allowedEnv: ReadonlySet<string>;
  /** Names given to `--allow-env` that are never allowed (see {@link NEVER_CLIENT_ENV}): for a warning at start. */
  readonly ignoredEnv: readonly string[];

  constructor(extraTools: readonly string[] = [], makeVars: readonly string[] = [], envNames: readonly string[] = []) {
    this.allowedTools = new Set([...DEFAULT_ALLOWED_TOOLS, ...extraTools]);
    this.allowedMakeVars = new Set(makeVars);
    this.allowedEnv = new Set(envNames.filter((n) => !isNeverClientEnv(n)));
    this.ignoredEnv = [...new Set(envNames.filter(isNeverClientEnv))];
  }

  /**
   * Refuses a program given as a path (only bare names, found on the server's PATH, run), a program
   * outside the allowlist, and cmake in any mode but `--build` (`-E`, `-P` run arbitrary commands).
   */
  checkCommand(argv: readonly string[]): string | null {
    const program = argv[0] ?? '';
    const name = path.basename(program);
    if (program.includes('/')) {
      return `refused: the program must be a bare name found on the server's PATH (got ${program}). ` +
        `Give '${name}', or put the directory of the one you want first on the server's PATH.`;
    }
    if (!this.allowedTools.has(name)) {
      return `refused: '${name}' is not an allowed build tool (allowed: ${[...this.allowedTools].join(', ')}). ` +
        `To allow it, start the server with --allow-tool ${name || 'NAME'}.`;
    }
    if ((name === 'cmake' || name === 'cmake3') && !this.allowedTools.has('cmake-any') && argv[1] !== '--build') {
      return `refused: cmake may only run as 'cmake --build DIR ...' (got cmake ${argv[1] ?? ''}). ` +
        'For the configure step pass configure:true; to allow every cmake mode, start the server with --allow-tool cmake-any.';
    }
    return null;
  }

  /** Refuses an environment variable from the client unless `--allow-env` names it (and it is not one never allowed), or a bad value. */
  checkEnv(env: Readonly<Record<string, string>>): string | null {
    for (const [name, value] of Object.entries(env)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        return `refused: '${name}' is not an environment variable name (letters, digits and '_', not starting with a digit).`;
      }
      if (isNeverClientEnv(name)) {
        return `refused: environment variable ${name} cannot be set by a client, not even with --allow-env: it decides which programs, ` +
          `shell or libraries the build runs (${NEVER_CLIENT_ENV.join(', ')} are never allowed). ` +
          'To change it for builds, start the server with it set in its own environment.';
      }
      if (!this.allowedEnv.has(name)) {
        return `refused: environment variable ${name} cannot be set by a client. To allow it, start the server with --allow-env ${name}.`;
      }
      if (typeof value !== 'string' || value.includes('\0')) return `refused: the value of ${name} must be text without NUL characters.`;
      if (value.length > MAX_ENV_VALUE) return `refused: the value of ${name} is ${value.length} characters long; at most ${MAX_ENV_VALUE} are allowed.`;
      const unsafe = unsafeValue(`environment variable ${name}`, value);
      if (unsafe) return unsafe;
    }
    return null;
  }
}

/**
 * Refuses `dir` unless it lies inside one of the roots (after resolving symlinks as far as the path
 * exists). For a file (`isFile`), the refusal suggests its directory as the root to add.
 */
export function checkInsideRoots(dir: string, roots: AllowedRoots, what = 'working directory', isFile = false): string | null {
  const real = resolvePhysical(dir);
  if (roots.dirs.some((root) => isInside(real, root))) return null;
  const suggested = isFile ? path.dirname(real) : real;
  const how = roots.from === 'client'
    ? `add ${isFile ? suggested : 'it'} as a root in your MCP client`
    : `start the server with --root ${suggested}${roots.from === 'option' ? ' (next to the other --root options)' : ''}`;
  const from = roots.from === 'client' ? "the client's MCP roots" : roots.from === 'option' ? '--root' : "the server's working directory";
  return `refused: the ${what} ${real} is outside the allowed roots (${roots.dirs.join(', ') || 'none'}; from ${from}). To allow it, ${how}.`;
}

/** True when `dir` is `root` or below it; both absolute. */
export function isInside(dir: string, root: string): boolean {
  const rel = path.relative(root, dir);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** Resolves root directories given on the command line or by a client (file:// URIs already converted). */
export function resolveRoots(dirs: readonly string[], from: RootsSource): AllowedRoots {
  return { dirs: [...new Set(dirs.map((d) => resolvePhysical(d)))], from };
}
