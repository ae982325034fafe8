/** The program that schedules compile jobs, or that was invoked to drive one. */
export type BuildTool = 'make' | 'cmake' | 'ninja' | 'unknown';

/** Where a job count came from; decides how it is explained to the user. */
export type JobsSource = 'flag' | 'makeflags' | 'cmake-env' | 'tool-default' | 'unknown';

/**
 * What a build command will do, as far as history and prediction care: which tool schedules the
 * jobs, how many run at once, which targets are built and where.
 */
export interface BuildCommandInfo {
  /** The tool that schedules jobs: for `cmake --build` the generator's tool when known, else 'cmake'. */
  tool: BuildTool;
  /** The program invoked: 'cmake' for `cmake --build`, else the same as `tool`. */
  driver: BuildTool;
  /** Effective number of parallel jobs; null when unlimited or unknown. */
  jobs: number | null;
  /** True when the tool runs as many jobs as it can (`make -j`, `ninja -j0`). */
  jobsUnlimited: boolean;
  jobsSource: JobsSource;
  /** Targets as given, de-duplicated and sorted; ['all'] when none is given. */
  targets: string[];
  /** `targets` joined with '+'. */
  target: string;
  /** `<target>_j<jobs>`, `<target>_junlimited`, or bare `<target>` when the job count is unknown. */
  historyKey: string;
  /** Directory the build runs in, as written in argv; null means the current directory. */
  buildDir: string | null;
  /** For `cmake --build`: the arguments after `--`, passed to the native tool. */
  nativeArgs: string[];
}

/** Facts about the environment that a command's meaning depends on, supplied by the caller. */
export interface CommandContext {
  /** Process environment; MAKEFLAGS, GNUMAKEFLAGS and CMAKE_BUILD_PARALLEL_LEVEL are read. */
  env: Readonly<Record<string, string | undefined>>;
  /** Processors available to the build; ninja's default job count derives from it. */
  cores: number;
  /** The generator of the build tree for `cmake --build`, read by the caller from CMakeCache.txt. */
  cmakeGenerator?: 'make' | 'ninja' | null;
}

/** Outcome of parsing a build command: its meaning, or why it cannot run. */
export type CommandParseResult = { ok: true; info: BuildCommandInfo } | { ok: false; error: string };
