/**
 * What buildmon knows of a project's packages before (or while) it builds: the CMake targets, the
 * directories of a plain Makefile project, or the link outputs of a plain Ninja file. Every reader
 * (CMake File API, CMakeLists.txt, build.ninja, learned make directories) produces this one shape.
 */
export interface ProjectModel {
  /** Where the model came from, most exact first. */
  source: ProjectModelSource;
  /** Absolute source directory (the top CMakeLists.txt's directory, or the Makefile's). */
  sourceDir: string;
  /** Absolute build directory when known (CMake binary dir, the ninja/make directory). */
  buildDir: string | null;
  /** Packages sorted by name. */
  packages: PackageModel[];
}

export type ProjectModelSource = 'cmake-file-api' | 'cmakelists' | 'build-ninja' | 'learned' | 'none';

export type PackageKind = 'static' | 'shared' | 'module' | 'object' | 'executable' | 'utility' | 'directory';

/** One package: a CMake target (static library `package_core`, executable `driver`, custom target `autogen`) or a directory. */
export interface PackageModel {
  name: string;
  kind: PackageKind;
  /** Directory of its definition, relative to `sourceDir` ('' for the top); null when unknown. */
  dir: string | null;
  /**
   * Files it compiles (C, C++, assembly and other compiled languages only; headers excluded),
   * relative to `sourceDir` where they lie inside it, else absolute. Sorted.
   */
  sources: string[];
  /** File names of what it produces (`libpackage_core.a`, `driver`), to recognise link lines; may be empty. */
  artifacts: string[];
  /** Names of the packages it must wait for (link libraries and explicit dependencies), direct only, sorted; only packages of this model. */
  dependsOn: string[];
}
