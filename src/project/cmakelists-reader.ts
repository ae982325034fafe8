import path from 'node:path';
import type { ProjectModel } from '../core/project-model.js';
import { COMMAND_HANDLERS } from './cmakelists-commands.js';
import { BINARY_DIR } from './cmakelists-files.js';
import { CmakeListsProject } from './cmakelists-project.js';

/**
 * Reads a CMake project's targets from CMakeLists.txt, starting in `sourceDir` and following
 * add_subdirectory and include, without running CMake, so that buildmon knows the packages before
 * the first configure. It approximates: every if()/elseif()/else() branch is read as if its
 * condition were true (see `CmakeEvaluator`); `$ENV{}` is empty; the build directory is
 * unknown, so generated sources are left out and artifacts are the Unix default names. A directory
 * `.../packages/<name>` whose CMakeLists.txt defines no target yields a guessed static library
 * `package_<name>` of the compiled files lying in it (the FluffOS convention). Never throws;
 * unreadable files are skipped.
 */
export function readCmakeLists(sourceDir: string): ProjectModel {
  const root = path.resolve(sourceDir);
  const project = new CmakeListsProject(root, COMMAND_HANDLERS);
  const vars = new Map([
    ['CMAKE_SOURCE_DIR', root], ['PROJECT_SOURCE_DIR', root],
    ['CMAKE_BINARY_DIR', BINARY_DIR], ['PROJECT_BINARY_DIR', BINARY_DIR], ['CMAKE_COMMAND', 'cmake'],
  ]);
  project.readDirectory(root, BINARY_DIR, vars, null, 0);
  project.guessPackages();
  return { source: 'cmakelists', sourceDir: root, buildDir: null, packages: project.packages() };
}
