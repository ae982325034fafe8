import fs from 'node:fs';
import path from 'node:path';
import type { PackageModel, ProjectModel } from '../core/project-model.js';
import { readBuildNinja } from './build-ninja.js';
import { readFileApiReply, writeFileApiQuery } from './cmake-file-api.js';
import { readCmakeLists } from './cmakelists-reader.js';

/** Where a directory's project lives: its sources and, when configured, its build directory. */
export interface ProjectDirs {
  sourceDir: string | null;
  buildDir: string | null;
}

/** Build directories are looked for this many levels below a source directory. */
const BUILD_DIR_SEARCH_DEPTH = 2;
const SKIP_DIRS = new Set(['.git', 'node_modules', 'src', 'include', 'test', 'tests', 'docs']);

/**
 * Finds the source and build directories of `dir`: a CMake build directory names its source in
 * CMakeCache.txt; a source directory's build directory is a configured folder below it (`build/`,
 * `cmake-build-debug/`, ...) whose cache points back at it, the newest if several.
 */
export function findProjectDirs(dir: string): ProjectDirs {
  const abs = path.resolve(dir);
  const home = cmakeHomeOf(abs);
  if (home !== null) return { sourceDir: home, buildDir: abs };
  if (isFile(path.join(abs, 'CMakeLists.txt'))) return { sourceDir: abs, buildDir: findBuildDirBelow(abs) };
  return { sourceDir: null, buildDir: isFile(path.join(abs, 'build.ninja')) || hasMakefile(abs) ? abs : null };
}

/**
 * The project's packages from the most exact source available: the CMake File API reply, else the
 * generated build.ninja, else the CMakeLists.txt files, else a plain build.ninja, else what earlier
 * builds of a plain Makefile project taught (`learned`). Writes buildmon's File API query into a CMake
 * build directory on the way, so that the next configure leaves a reply. Never throws: a source
 * whose reader fails (a bug, or input it cannot bear) counts as absent and the next one is tried.
 */
export function loadProjectModel(dir: string, learned?: (projectDir: string) => PackageModel[]): ProjectModel {
  const abs = path.resolve(dir);
  const { sourceDir, buildDir } = attempt(() => findProjectDirs(abs)) ?? { sourceDir: null, buildDir: null };
  if (buildDir !== null && sourceDir !== null) {
    attempt(() => writeFileApiQuery(buildDir));
    const reply = attempt(() => readFileApiReply(buildDir));
    if (reply && reply.packages.length > 0) return reply;
    const ninja = attempt(() => readBuildNinja(buildDir));
    if (ninja && ninja.packages.length > 0) return { ...ninja, sourceDir };
  }
  if (sourceDir !== null) {
    const lists = attempt(() => readCmakeLists(sourceDir));
    if (lists && lists.packages.length > 0) return { ...lists, buildDir };
  }
  const plainDir = buildDir ?? abs;
  const ninja = attempt(() => readBuildNinja(plainDir));
  if (ninja && ninja.packages.length > 0) return ninja;
  const remembered = attempt(() => learned?.(plainDir)) ?? [];
  const buildable = buildDir !== null || remembered.length > 0;
  return { source: remembered.length > 0 ? 'learned' : 'none', sourceDir: sourceDir ?? plainDir, buildDir: buildable ? plainDir : null, packages: remembered };
}

/** What `read` returns, or null when it throws. */
function attempt<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

function cmakeHomeOf(buildDir: string): string | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(buildDir, 'CMakeCache.txt'), 'utf8');
  } catch {
    return null;
  }
  const m = /^CMAKE_HOME_DIRECTORY:INTERNAL=(.*)$/m.exec(text);
  return m ? m[1]!.trim() : null;
}

function findBuildDirBelow(sourceDir: string): string | null {
  let best: { dir: string; mtimeMs: number } | null = null;
  const visit = (dir: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory() || SKIP_DIRS.has(e.name) || e.name.startsWith('.')) continue;
      const sub = path.join(dir, e.name);
      const home = cmakeHomeOf(sub);
      if (home !== null && samePath(home, sourceDir)) {
        const mtimeMs = statMtime(path.join(sub, 'CMakeCache.txt'));
        if (best === null || mtimeMs > best.mtimeMs) best = { dir: sub, mtimeMs };
      } else if (depth < BUILD_DIR_SEARCH_DEPTH) {
        visit(sub, depth + 1);
      }
    }
  };
  visit(sourceDir, 1);
  return (best as { dir: string } | null)?.dir ?? null;
}

function samePath(a: string, b: string): boolean {
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return path.resolve(a) === path.resolve(b);
  }
}

function statMtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function hasMakefile(dir: string): boolean {
  return ['GNUmakefile', 'makefile', 'Makefile'].some((n) => isFile(path.join(dir, n)));
}
