import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBuildCommand, type BuildCommandInfo, type BuildTool, type CommandContext, type JobsSource } from './command.js';

type Generator = 'make' | 'ninja' | null;
type Row = [command: string, generator: Generator, want: BuildCommandInfo, env?: Record<string, string>];

function cmake(
  tool: BuildTool,
  jobs: number | 'unlimited' | null,
  jobsSource: JobsSource,
  targets: string[],
  historyKey: string,
  extra: Partial<BuildCommandInfo> = {},
): BuildCommandInfo {
  return {
    tool,
    driver: 'cmake',
    jobs: typeof jobs === 'number' ? jobs : null,
    jobsUnlimited: jobs === 'unlimited',
    jobsSource,
    targets,
    target: targets.join('+'),
    historyKey,
    buildDir: 'build',
    nativeArgs: [],
    ...extra,
  };
}

const ALL = ['all'];

const CMAKE_ROWS: Row[] = [
  ['cmake --build build', 'make', cmake('make', 1, 'tool-default', ALL, 'all_j1')],
  ['cmake --build build', 'ninja', cmake('ninja', 3, 'tool-default', ALL, 'all_j3')],
  ['cmake --build build', null, cmake('cmake', null, 'unknown', ALL, 'all')],
  ['cmake --build build -j 4', 'make', cmake('make', 4, 'flag', ALL, 'all_j4')],
  ['cmake --build build -j4', 'ninja', cmake('ninja', 4, 'flag', ALL, 'all_j4')],
  ['cmake --build build -j=4', 'ninja', cmake('ninja', 4, 'flag', ALL, 'all_j4')],
  ['cmake --build build --parallel 4', 'make', cmake('make', 4, 'flag', ALL, 'all_j4')],
  ['cmake --build build --parallel=4', 'make', cmake('make', 4, 'flag', ALL, 'all_j4')],
  ['cmake --build build --parallel4', 'make', cmake('make', 4, 'flag', ALL, 'all_j4')],
  ['cmake --build build -j 4', null, cmake('cmake', 4, 'flag', ALL, 'all_j4')],
  ['cmake --build build --parallel', 'make', cmake('make', 'unlimited', 'flag', ALL, 'all_junlimited')],
  ['cmake --build build -j', 'make', cmake('make', 'unlimited', 'flag', ALL, 'all_junlimited')],
  ['cmake --build build -j', 'ninja', cmake('ninja', 3, 'tool-default', ALL, 'all_j3')],
  ['cmake --build build --parallel', null, cmake('cmake', null, 'unknown', ALL, 'all')],
  ['cmake --build build -j2 --parallel', 'make', cmake('make', 'unlimited', 'flag', ALL, 'all_junlimited')],
  ['cmake --build build -j --target a', 'make', cmake('make', 'unlimited', 'flag', ['a'], 'a_junlimited')],
  ['cmake --build build --target a b', 'make', cmake('make', 1, 'tool-default', ['a', 'b'], 'a+b_j1')],
  ['cmake --build build -t a', 'ninja', cmake('ninja', 3, 'tool-default', ['a'], 'a_j3')],
  ['cmake --build build --target a --target b -j2', 'ninja', cmake('ninja', 2, 'flag', ['a', 'b'], 'a+b_j2')],
  ['cmake --build build --target package_sockets;package_core', 'make', cmake('make', 1, 'tool-default', ['package_core', 'package_sockets'], 'package_core+package_sockets_j1')],
  ['cmake --build build --target=a', 'make', cmake('make', 1, 'tool-default', ['a'], 'a_j1')],
  ['cmake --build build -t clean', 'make', cmake('make', 1, 'tool-default', ['clean'], 'clean_j1')],
  ['cmake --build build --config Release -j2', 'ninja', cmake('ninja', 2, 'flag', ALL, 'all_j2')],
  ['cmake --build build --config=Debug', 'ninja', cmake('ninja', 3, 'tool-default', ALL, 'all_j3')],
  ['cmake --build build --clean-first -t a -v', 'make', cmake('make', 1, 'tool-default', ['a'], 'a_j1')],
  ['cmake --build build -- -j3', 'make', cmake('make', 3, 'flag', ALL, 'all_j3', { nativeArgs: ['-j3'] })],
  ['cmake --build build -- -j3', null, cmake('cmake', 3, 'flag', ALL, 'all_j3', { nativeArgs: ['-j3'] })],
  ['cmake --build build -j4 -- -j3', 'ninja', cmake('ninja', 3, 'flag', ALL, 'all_j3', { nativeArgs: ['-j3'] })],
  ['cmake --build build -j4 -- -k', 'make', cmake('make', 4, 'flag', ALL, 'all_j4', { nativeArgs: ['-k'] })],
  ['cmake --build build -- -j0', 'ninja', cmake('ninja', 'unlimited', 'flag', ALL, 'all_junlimited', { nativeArgs: ['-j0'] })],
  ['cmake --build build -t a -- -k lib', 'make', cmake('make', 1, 'tool-default', ['a', 'lib'], 'a+lib_j1', { nativeArgs: ['-k', 'lib'] })],
  ['cmake --build build', 'make', cmake('make', 5, 'cmake-env', ALL, 'all_j5'), { CMAKE_BUILD_PARALLEL_LEVEL: '5' }],
  ['cmake --build build', null, cmake('cmake', 5, 'cmake-env', ALL, 'all_j5'), { CMAKE_BUILD_PARALLEL_LEVEL: '5' }],
  ['cmake --build build', 'make', cmake('make', 'unlimited', 'cmake-env', ALL, 'all_junlimited'), { CMAKE_BUILD_PARALLEL_LEVEL: '' }],
  ['cmake --build build', 'ninja', cmake('ninja', 3, 'tool-default', ALL, 'all_j3'), { CMAKE_BUILD_PARALLEL_LEVEL: '' }],
  ['cmake --build build -j2', 'make', cmake('make', 2, 'flag', ALL, 'all_j2'), { CMAKE_BUILD_PARALLEL_LEVEL: '0' }],
  ['cmake --build build', 'make', cmake('make', 7, 'makeflags', ALL, 'all_j7'), { MAKEFLAGS: '-j7' }],
  ['cmake --build build', 'ninja', cmake('ninja', 3, 'tool-default', ALL, 'all_j3'), { MAKEFLAGS: '-j7' }],
  ['cmake --build build', null, cmake('cmake', null, 'unknown', ALL, 'all'), { MAKEFLAGS: '-j7' }],
  ['cmake --build --preset dev -j2', 'ninja', cmake('ninja', 2, 'flag', ALL, 'all_j2', { buildDir: null })],
  ['cmake3 --build build', 'make', cmake('make', 1, 'tool-default', ALL, 'all_j1')],
  ['/usr/local/bin/cmake --build out/debug -j2', 'ninja', cmake('ninja', 2, 'flag', ALL, 'all_j2', { buildDir: 'out/debug' })],
  ['cmake -S . -B build -G Ninja', null, cmake('cmake', null, 'unknown', ['configure'], 'configure', { buildDir: null })],
  ['cmake --install build', 'make', cmake('cmake', null, 'unknown', ['install'], 'install', { buildDir: null })],
];

function ctxFor(generator: Generator, env: Record<string, string> = {}): CommandContext {
  return { env, cores: 2, cmakeGenerator: generator };
}

for (const [command, generator, want, env] of CMAKE_ROWS) {
  test(`parses '${command}' with generator ${generator ?? 'unknown'} and env ${JSON.stringify(env ?? {})}`, () => {
    const parsed = parseBuildCommand(command.split(' '), ctxFor(generator, env));
    assert.deepEqual(parsed, { ok: true, info: want });
  });
}

test('an undefined generator reads as unknown', () => {
  const parsed = parseBuildCommand(['cmake', '--build', 'build', '-j'], { env: {}, cores: 2 });
  assert.deepEqual(parsed, { ok: true, info: cmake('cmake', null, 'unknown', ALL, 'all') });
});

const ERROR_ROWS: [command: string, error: string, env?: Record<string, string>][] = [
  ['cmake --build build --parallel 0', "job count must be a positive integer, got '0'"],
  ['cmake --build build -j0', "job count must be a positive integer, got '0'"],
  ['cmake --build build -j -3', "job count must be a positive integer, got '-3'"],
  ['cmake --build build -j abc', "job count must be a positive integer, got 'abc'"],
  ['cmake --build build --parallel=', "cmake --build: option '--parallel' requires a value after '='"],
  ['cmake --build', 'cmake --build: a build directory is required'],
  ['cmake --build build --target', "cmake --build: option '--target' requires at least one target"],
  ['cmake --build build -t a clean', "cmake --build: 'clean' cannot be built together with other targets"],
  ['cmake --build build --config', "cmake --build: option '--config' requires a value"],
  ['cmake --build build -- -j0', "job count must be a positive integer, got '0'"],
  ['cmake --build build', "CMAKE_BUILD_PARALLEL_LEVEL: job count must be a positive integer, got '0'", { CMAKE_BUILD_PARALLEL_LEVEL: '0' }],
  ['cmake --build build', "CMAKE_BUILD_PARALLEL_LEVEL: job count must be a positive integer, got 'x'", { CMAKE_BUILD_PARALLEL_LEVEL: 'x' }],
];

for (const [command, error, env] of ERROR_ROWS) {
  test(`rejects '${command}' with env ${JSON.stringify(env ?? {})}`, () => {
    assert.deepEqual(parseBuildCommand(command.split(' '), ctxFor('make', env)), { ok: false, error });
  });
}
