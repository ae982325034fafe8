import fs from 'node:fs';
import path from 'node:path';
import { BuildmonError } from '../store/errors.js';

/**
 * Finds the program a command would run, as the kernel would (PATH search for a bare name), so that
 * a typo fails at once with a clear message instead of as a session that failed to start.
 */
export function resolveExecutable(program: string, cwd: string, envPath: string | undefined): string {
  if (program.includes('/')) {
    const full = path.resolve(cwd, program);
    if (isExecutableFile(full)) return full;
    throw new BuildmonError('command-not-found', `cannot run '${program}': ${describeMissing(full)}`, { exitCode: 127 });
  }
  for (const dir of (envPath ?? '').split(':')) {
    if (dir === '') continue;
    const full = path.join(dir, program);
    if (isExecutableFile(full)) return full;
  }
  throw new BuildmonError(
    'command-not-found',
    `command not found: '${program}' (searched PATH). Check the spelling, or install it (e.g. apt-get install make cmake ninja-build).`,
    { exitCode: 127 },
  );
}

function isExecutableFile(p: string): boolean {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return false;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function describeMissing(p: string): string {
  try {
    const st = fs.statSync(p);
    return st.isFile() ? 'it is not executable (chmod +x?)' : 'it is not a file';
  } catch {
    return 'no such file';
  }
}

/**
 * The working directory of a build must exist and be a directory. Returns it with symlinks resolved,
 * so that one directory reached by two paths is one directory (one history, one running build).
 */
export function checkDirectory(dir: string, what: string): string {
  const full = path.resolve(dir);
  let st: fs.Stats;
  try {
    st = fs.statSync(full);
  } catch {
    throw new BuildmonError('no-such-directory', `${what} does not exist: ${full}`);
  }
  if (!st.isDirectory()) throw new BuildmonError('not-a-directory', `${what} is not a directory: ${full}`);
  return fs.realpathSync.native(full);
}

/**
 * Where `p` (relative to `base`) leads as the kernel follows it: symlinks resolved and `..` taken
 * after them, as far as the path exists; the part that does not exist yet is appended as written.
 * Unlike `path.resolve`, `link/..` is the parent of the link's target, not the directory holding the link.
 */
export function resolvePhysical(p: string, base: string = process.cwd()): string {
  let head = path.isAbsolute(p) ? p : `${base}/${p}`;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync.native(head), ...rest.reverse());
    } catch {
      const trimmed = head.replace(/\/+$/, '');
      const slash = trimmed.lastIndexOf('/');
      if (slash < 0 || trimmed === '') return path.resolve(base, p);
      rest.push(trimmed.slice(slash + 1));
      head = trimmed.slice(0, slash) || '/';
    }
  }
}

/**
 * Whether make in `dir` runs CMake's Makefile generator: the top of the build tree has CMakeCache.txt,
 * and every directory below it has a Makefile that CMake marks as its own.
 */
export function isCmakeMakefileDir(dir: string): boolean {
  if (fs.existsSync(path.join(dir, 'CMakeCache.txt'))) return true;
  try {
    const fd = fs.openSync(path.join(dir, 'Makefile'), 'r');
    const head = Buffer.alloc(256);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    fs.closeSync(fd);
    return head.subarray(0, n).toString('latin1').includes('CMAKE generated file');
  } catch {
    return false;
  }
}

/** The generator a CMake build directory was configured with, from its CMakeCache.txt. */
export function readCmakeGenerator(buildDir: string): 'make' | 'ninja' | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(buildDir, 'CMakeCache.txt'), 'utf8');
  } catch {
    return null;
  }
  const m = /^CMAKE_GENERATOR:INTERNAL=(.*)$/m.exec(text);
  if (!m) return null;
  if (/ninja/i.test(m[1] as string)) return 'ninja';
  if (/makefiles/i.test(m[1] as string)) return 'make';
  return null;
}

/** True when `dir` exists and is a directory (false on any error reading it). */
export function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
