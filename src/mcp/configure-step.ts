import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseBuildCommand } from '../core/command.js';
import { detectDialect } from '../core/parse/index.js';
import type { PlannedBuild } from '../run/session-manager.js';

/** The CMake configure run that precedes a build in the same session. */
export interface ConfigureStep {
  sourceDir: string;
  buildDir: string;
  generator: 'make' | 'ninja';
  argv: string[];
}

export type ConfigurePlan = { ok: true; step: ConfigureStep | null; plan: PlannedBuild } | { ok: false; error: string };

/**
 * Decides the configure step for build_start's `configure: true`: none when the build directory
 * already has a CMakeCache.txt; otherwise `cmake -S <cwd> -B <build dir> -G <generator>`, the
 * generator being the one the build command drives (ninja for `ninja`, Unix Makefiles for `make`,
 * and for `cmake --build` Ninja only when CMAKE_GENERATOR says so). The returned plan describes the
 * build as it will be once configured, so its history key and dialect match later builds of the
 * same directory.
 */
export function planConfigure(plan: PlannedBuild, env: NodeJS.ProcessEnv): ConfigurePlan {
  if (fs.existsSync(path.join(plan.projectDir, 'CMakeCache.txt'))) return { ok: true, step: null, plan };
  if (!fs.existsSync(path.join(plan.cwd, 'CMakeLists.txt'))) {
    return { ok: false, error: `configure: ${plan.cwd} has no CMakeLists.txt; give the CMake source directory as cwd` };
  }
  if (path.resolve(plan.projectDir) === path.resolve(plan.cwd)) {
    return { ok: false, error: 'configure: the build directory would be the source directory; name one: cmake --build build, make -C build or ninja -C build' };
  }
  const driver = plan.info.driver;
  const generator: 'make' | 'ninja' = driver === 'ninja' || (driver === 'cmake' && /ninja/i.test(env.CMAKE_GENERATOR ?? '')) ? 'ninja' : 'make';
  const parsed = parseBuildCommand(plan.argv, { env, cores: os.availableParallelism(), cmakeGenerator: generator });
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const step: ConfigureStep = {
    sourceDir: plan.cwd, buildDir: plan.projectDir, generator,
    argv: ['cmake', '-S', plan.cwd, '-B', plan.projectDir, '-G', generator === 'ninja' ? 'Ninja' : 'Unix Makefiles'],
  };
  const dialect = detectDialect({ tool: parsed.info.tool, cmakeGenerator: generator });
  return { ok: true, step, plan: { ...plan, info: parsed.info, dialect } };
}
