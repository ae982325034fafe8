import fs from 'node:fs';
import path from 'node:path';
import { parseCmakeCommands, type CmakeCommand } from './cmake-parse.js';

/** Extensions of files a compiler turns into objects; everything else (headers, scripts) is not a source here. */
export const COMPILED_EXTENSIONS: ReadonlySet<string> = new Set(['.c', '.cc', '.cpp', '.cxx', '.c++', '.C', '.s', '.S', '.asm', '.m', '.mm', '.cu', '.f', '.f90']);
/** Stands for the unknown build directory; paths under it are generated files and never sources of the model. */
export const BINARY_DIR = '/<cmake-binary-dir>';
const MAX_LISTFILE_BYTES = 16 * 1024 * 1024;

/** A file named in a listfile, resolved both ways CMake may resolve it (source tree, build tree). */
export interface FileRef { raw: string; source: string; binary: string }

/** `raw` as named in a listfile of the directory `dirs.dirAbs` whose build directory is `dirs.binDir`. */
export function fileRef(raw: string, dirs: { dirAbs: string; binDir: string }): FileRef {
  return { raw, source: path.resolve(dirs.dirAbs, raw), binary: path.resolve(dirs.binDir, raw) };
}

/** The commands of a listfile; none when it is missing, unreadable or over 16 MiB. */
export function readListFile(file: string): CmakeCommand[] {
  try {
    if (fs.statSync(file).size > MAX_LISTFILE_BYTES) return [];
    return parseCmakeCommands(fs.readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}

/** True when `file` exists and is a regular file (after symlinks); false on any error. */
export function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The entries of `dir`; none when it is unreadable or lies in the unknown build directory. */
export function listDir(dir: string): fs.Dirent[] {
  if (dir.startsWith(BINARY_DIR)) return [];
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
