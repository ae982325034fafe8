import { scanCmakeBuildArgs } from './command-cmake-args.js';
import { scanMakeArgs } from './command-make.js';
import { makeEnvJobs } from './command-makeflags.js';
import { ninjaDefaultResolution, scanNinjaArgs } from './command-ninja.js';
import {
  parseJobCount,
  resolveSetting,
  scanOk,
  unknownJobs,
  type JobResolution,
  type JobSetting,
  type NativeScan,
  type ScanResult,
} from './command-scan.js';
import type { BuildTool, CommandContext, JobsSource } from './command-types.js';

type Generator = 'make' | 'ninja' | null;

/** What `cmake --build` will do, once the generator's tool has read the arguments cmake passes on. */
export interface CmakeBuildMeaning {
  tool: BuildTool;
  jobs: JobResolution;
  targets: string[];
  buildDir: string | null;
  nativeArgs: string[];
}

interface Requested {
  setting: JobSetting;
  source: JobsSource;
}

/**
 * Interprets the arguments after `cmake --build`. CMake passes its `-j` to the native tool before
 * the native arguments, so a `-j` after `--` wins. With no `-j`/`--parallel`,
 * CMAKE_BUILD_PARALLEL_LEVEL applies, an empty value meaning the native tool's default (unlimited
 * for make, as cmake passes a bare `-j`). Without a known generator only a plain count is certain.
 */
export function interpretCmakeBuild(args: readonly string[], ctx: CommandContext): ScanResult<CmakeBuildMeaning> {
  const scanned = scanCmakeBuildArgs(args);
  if (!scanned.ok) return scanned;
  const generator: Generator = ctx.cmakeGenerator ?? null;
  const native = scanNative(generator, scanned.value.nativeArgs);
  if (!native.ok) return native;
  const flag = scanned.value.setting;
  const requested = flag === null ? envRequest(ctx.env) : scanOk<Requested>({ setting: flag, source: 'flag' });
  if (!requested.ok) return requested;
  const nativeSetting = native.value.setting;
  return scanOk({
    tool: generator ?? 'cmake',
    jobs: nativeSetting === null ? requestedJobs(generator, requested.value, ctx) : resolveSetting(nativeSetting, 'flag'),
    targets: [...scanned.value.targets, ...native.value.targets],
    buildDir: scanned.value.dir,
    nativeArgs: scanned.value.nativeArgs,
  });
}

function scanNative(generator: Generator, nativeArgs: readonly string[]): ScanResult<NativeScan> {
  if (generator === 'make') return scanMakeArgs(nativeArgs);
  if (generator === 'ninja') return scanNinjaArgs(nativeArgs);
  const asMake = scanMakeArgs(nativeArgs);
  const setting = asMake.ok && asMake.value.setting?.kind === 'count' ? asMake.value.setting : null;
  return scanOk({ setting, dirs: [], targets: [] });
}

function envRequest(env: CommandContext['env']): ScanResult<Requested | null> {
  const level = env['CMAKE_BUILD_PARALLEL_LEVEL'];
  if (level === undefined) return scanOk(null);
  if (level === '') return scanOk({ setting: { kind: 'native-default' }, source: 'cmake-env' });
  const count = parseJobCount(level);
  if (!count.ok) return { ok: false, error: `CMAKE_BUILD_PARALLEL_LEVEL: ${count.error}` };
  return scanOk({ setting: { kind: 'count', jobs: count.value }, source: 'cmake-env' });
}

function requestedJobs(generator: Generator, requested: Requested | null, ctx: CommandContext): JobResolution {
  if (requested !== null && requested.setting.kind !== 'native-default') {
    return resolveSetting(requested.setting, requested.source);
  }
  if (generator === 'ninja') return ninjaDefaultResolution(ctx.cores);
  if (generator === null) return unknownJobs();
  if (requested === null) return makeEnvJobs(ctx.env);
  return resolveSetting({ kind: 'unlimited' }, requested.source);
}
