import type { ExampleShape } from './example-options.js';

/** The exact truth about one generated package, for tests and benchmarks to compare against. */
export interface GeneratedPackage {
  name: string;
  /** Directory relative to the project root, e.g. `src/packages/sockets`. */
  dir: string;
  /** Build target that builds it, e.g. `package_sockets` (a CMake target or a top-level make target). */
  target: string;
  /** Source files relative to the project root. */
  sources: string[];
  /** Targets that must be built first: linked libraries and order-only dependencies. */
  dependsOn: string[];
}

/** What {@link generateExample} wrote and how to build it. */
export interface ExampleResult {
  /** Absolute project root. */
  dir: string;
  shape: ExampleShape;
  packages: GeneratedPackage[];
  /** argv lists to run in order before building (empty for the makefile shape). */
  configureCommands: string[][];
  buildCommand: string[];
  /** Human text: what was written and the commands to configure, build and run it. */
  summary: string;
}

/** Files of a project as relative path to content, plus the package truth for that layout. */
export interface ProjectLayout {
  files: Map<string, string>;
  packages: GeneratedPackage[];
}
