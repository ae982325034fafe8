import { interpretCmakeBuild } from './command-cmake.js';
import { joinMakeDirs, scanMakeArgs } from './command-make.js';
import { makeEnvJobs, makeflagsSetting } from './command-makeflags.js';
import { ninjaDefaultResolution, scanNinjaArgs } from './command-ninja.js';
import { resolveSetting, scanOk, unknownJobs, type JobResolution, type ScanResult } from './command-scan.js';
import type { BuildCommandInfo, BuildTool, CommandContext, CommandParseResult } from './command-types.js';

export type { BuildCommandInfo, BuildTool, CommandContext, CommandParseResult, JobsSource } from './command-types.js';
export { describeJobs } from './command-describe.js';

/** What a parser for one program found, before targets are normalised and the key is built. */
interface Parsed {
  tool: BuildTool;
  driver: BuildTool;
  jobs: JobResolution;
  targets: string[];
  buildDir: string | null;
  nativeArgs: string[];
}

const MAKE_NAMES = new Set(['make', 'gmake']);
const NINJA_NAMES = new Set(['ninja', 'ninja-build']);
const CMAKE_NAMES = new Set(['cmake', 'cmake3']);

/**
 * Works out from a build command's argv which tool schedules the jobs, how many run at once,
 * which targets are built and under which history key the run is remembered. Pure: the
 * environment, core count and CMake generator come in through `ctx`.
 */
export function parseBuildCommand(argv: readonly string[], ctx: CommandContext): CommandParseResult {
  const program = argv[0];
  if (program === undefined || program === '') return { ok: false, error: 'empty build command' };
  const parsed = parseProgram(programName(program), argv.slice(1), ctx);
  return parsed.ok ? { ok: true, info: toInfo(parsed.value) } : parsed;
}

function programName(program: string): string {
  return program.slice(program.lastIndexOf('/') + 1);
}

function parseProgram(name: string, args: readonly string[], ctx: CommandContext): ScanResult<Parsed> {
  if (MAKE_NAMES.has(name)) return parseMake(args, ctx);
  if (NINJA_NAMES.has(name)) return parseNinja(args, ctx);
  if (CMAKE_NAMES.has(name)) {
    return args[0] === '--build' ? parseCmakeBuild(args.slice(1), ctx) : scanOk(cmakeOtherMode(args));
  }
  const setting = makeflagsSetting(ctx.env);
  const jobs = setting === null ? unknownJobs() : resolveSetting(setting, 'makeflags');
  return scanOk({ tool: 'unknown', driver: 'unknown', jobs, targets: [], buildDir: null, nativeArgs: [] });
}

function parseMake(args: readonly string[], ctx: CommandContext): ScanResult<Parsed> {
  const scan = scanMakeArgs(args);
  if (!scan.ok) return scan;
  const { setting, dirs, targets } = scan.value;
  const jobs = setting === null ? makeEnvJobs(ctx.env) : resolveSetting(setting, 'flag');
  return scanOk({ tool: 'make', driver: 'make', jobs, targets, buildDir: joinMakeDirs(dirs), nativeArgs: [] });
}

function parseNinja(args: readonly string[], ctx: CommandContext): ScanResult<Parsed> {
  const scan = scanNinjaArgs(args);
  if (!scan.ok) return scan;
  const { setting, dirs, targets } = scan.value;
  const jobs = setting === null ? ninjaDefaultResolution(ctx.cores) : resolveSetting(setting, 'flag');
  return scanOk({ tool: 'ninja', driver: 'ninja', jobs, targets, buildDir: dirs[0] ?? null, nativeArgs: [] });
}

function parseCmakeBuild(args: readonly string[], ctx: CommandContext): ScanResult<Parsed> {
  const meaning = interpretCmakeBuild(args, ctx);
  if (!meaning.ok) return meaning;
  return scanOk({ ...meaning.value, driver: 'cmake' });
}

/** `cmake --install` and configure runs are kept apart from builds under their own pseudo-target. */
function cmakeOtherMode(args: readonly string[]): Parsed {
  const target = args[0] === '--install' ? 'install' : 'configure';
  return { tool: 'cmake', driver: 'cmake', jobs: unknownJobs(), targets: [target], buildDir: null, nativeArgs: [] };
}

function toInfo(parsed: Parsed): BuildCommandInfo {
  const unique = [...new Set(parsed.targets)].sort();
  const targets = unique.length === 0 ? ['all'] : unique;
  const target = targets.join('+');
  const { jobs, jobsUnlimited, jobsSource } = parsed.jobs;
  return {
    tool: parsed.tool,
    driver: parsed.driver,
    jobs,
    jobsUnlimited,
    jobsSource,
    targets,
    target,
    historyKey: historyKey(target, parsed.jobs),
    buildDir: parsed.buildDir,
    nativeArgs: parsed.nativeArgs,
  };
}

function historyKey(target: string, jobs: JobResolution): string {
  if (jobs.jobsUnlimited) return `${target}_junlimited`;
  return jobs.jobs === null ? target : `${target}_j${jobs.jobs}`;
}
