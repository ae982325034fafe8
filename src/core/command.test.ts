import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixture } from '../../test/helpers/paths.js';
import { describeJobs, parseBuildCommand, type BuildCommandInfo, type BuildTool, type CommandContext, type JobsSource } from './command.js';

type Jobs = number | 'unlimited' | null;
type Row = [command: string | string[], want: BuildCommandInfo, env?: Record<string, string>];

function info(tool: BuildTool, jobs: Jobs, jobsSource: JobsSource, targets: string[], historyKey: string, extra: Partial<BuildCommandInfo> = {}): BuildCommandInfo {
  return {
    tool,
    driver: tool,
    jobs: typeof jobs === 'number' ? jobs : null,
    jobsUnlimited: jobs === 'unlimited',
    jobsSource,
    targets,
    target: targets.join('+'),
    historyKey,
    buildDir: null,
    nativeArgs: [],
    ...extra,
  };
}

function argvOf(command: string | string[]): string[] {
  return typeof command === 'string' ? command.split(' ') : command;
}

function parse(command: string | string[], ctx: Partial<CommandContext> = {}): ReturnType<typeof parseBuildCommand> {
  return parseBuildCommand(argvOf(command), { env: {}, cores: 2, ...ctx });
}

const ALL = ['all'];

const MAKE_ROWS: Row[] = [
  ['make', info('make', 1, 'tool-default', ALL, 'all_j1')],
  ['make -j4', info('make', 4, 'flag', ALL, 'all_j4')],
  ['make -j 4', info('make', 4, 'flag', ALL, 'all_j4')],
  ['make --jobs=4', info('make', 4, 'flag', ALL, 'all_j4')],
  ['make --jobs 4', info('make', 4, 'flag', ALL, 'all_j4')],
  ['make -j', info('make', 'unlimited', 'flag', ALL, 'all_junlimited')],
  ['make --jobs', info('make', 'unlimited', 'flag', ALL, 'all_junlimited')],
  ['make -kj4', info('make', 4, 'flag', ALL, 'all_j4')],
  ['make -j4 -j', info('make', 'unlimited', 'flag', ALL, 'all_junlimited')],
  ['make -j abc', info('make', 'unlimited', 'flag', ['abc'], 'abc_junlimited')],
  ['make -C build -j2 all', info('make', 2, 'flag', ALL, 'all_j2', { buildDir: 'build' })],
  ['make -Cbuild', info('make', 1, 'tool-default', ALL, 'all_j1', { buildDir: 'build' })],
  ['make --directory=out/rel', info('make', 1, 'tool-default', ALL, 'all_j1', { buildDir: 'out/rel' })],
  ['make --directory build -j3', info('make', 3, 'flag', ALL, 'all_j3', { buildDir: 'build' })],
  ['make -C build/ -C sub', info('make', 1, 'tool-default', ALL, 'all_j1', { buildDir: 'build/sub' })],
  ['make -C build -C /abs/dir', info('make', 1, 'tool-default', ALL, 'all_j1', { buildDir: '/abs/dir' })],
  ['make VAR=x target1 target2', info('make', 1, 'tool-default', ['target1', 'target2'], 'target1+target2_j1')],
  ['make -f other.mk -I inc -o old.o -W new.c -l 2 install', info('make', 1, 'tool-default', ['install'], 'install_j1')],
  ['make -l2 -E X=1 -j2 test', info('make', 2, 'flag', ['test'], 'test_j2')],
  ['make --file=f.mk --makefile=g.mk --include-dir=inc --what-if=x.c check', info('make', 1, 'tool-default', ['check'], 'check_j1')],
  ['make --load-average 3 --old-file o.c -Oline -j2', info('make', 2, 'flag', ALL, 'all_j2')],
  ['make -O line', info('make', 1, 'tool-default', ['line'], 'line_j1')],
  ['gmake -j3', info('make', 3, 'flag', ALL, 'all_j3')],
  ['/usr/bin/make -j2 package_core', info('make', 2, 'flag', ['package_core'], 'package_core_j2')],
  ['make -- -j3', info('make', 1, 'tool-default', ['-j3'], '-j3_j1')],
  ['make -j3 -- CFLAGS=-O2 lib', info('make', 3, 'flag', ['lib'], 'lib_j3')],
  ['make b a b', info('make', 1, 'tool-default', ['a', 'b'], 'a+b_j1')],
  ['make package_sockets package_core -j4', info('make', 4, 'flag', ['package_core', 'package_sockets'], 'package_core+package_sockets_j4')],
];

const MAKEFLAGS_ROWS: Row[] = [
  ['make', info('make', 4, 'makeflags', ALL, 'all_j4'), { MAKEFLAGS: '-j4' }],
  ['make', info('make', 4, 'makeflags', ALL, 'all_j4'), { MAKEFLAGS: 'j4' }],
  ['make', info('make', 4, 'makeflags', ALL, 'all_j4'), { MAKEFLAGS: 'j 4' }],
  ['make', info('make', 1, 'tool-default', ALL, 'all_j1'), { MAKEFLAGS: 'ks' }],
  ['make', info('make', 4, 'makeflags', ALL, 'all_j4'), { MAKEFLAGS: 'ks -j4' }],
  ['make', info('make', 3, 'makeflags', ALL, 'all_j3'), { MAKEFLAGS: 'kj3' }],
  ['make', info('make', 4, 'makeflags', ALL, 'all_j4'), { MAKEFLAGS: '-j4 --jobserver-auth=3,4' }],
  ['make', info('make', 2, 'makeflags', ALL, 'all_j2'), { MAKEFLAGS: ' -j2 --jobserver-auth=fifo:/tmp/x' }],
  ['make', info('make', null, 'makeflags', ALL, 'all'), { MAKEFLAGS: '--jobserver-fds=3,4 -j' }],
  ['make', info('make', 'unlimited', 'makeflags', ALL, 'all_junlimited'), { MAKEFLAGS: ' -j' }],
  ['make', info('make', 3, 'makeflags', ALL, 'all_j3'), { MAKEFLAGS: '-I /tmp -j3 -- X=1' }],
  ['make', info('make', 1, 'tool-default', ALL, 'all_j1'), { MAKEFLAGS: '-j0' }],
  ['make -j2', info('make', 2, 'flag', ALL, 'all_j2'), { MAKEFLAGS: '-j4' }],
  ['make -j', info('make', 'unlimited', 'flag', ALL, 'all_junlimited'), { MAKEFLAGS: '-j4' }],
  ['make', info('make', 3, 'makeflags', ALL, 'all_j3'), { GNUMAKEFLAGS: '-j3', MAKEFLAGS: 'k' }],
  ['make', info('make', 2, 'makeflags', ALL, 'all_j2'), { GNUMAKEFLAGS: '-j3', MAKEFLAGS: '-j2' }],
];

const UNKNOWN_ROWS: Row[] = [
  ['./build.sh', info('unknown', null, 'unknown', ALL, 'all')],
  [['bash', '-c', 'make -j4'], info('unknown', null, 'unknown', ALL, 'all')],
  [['bash', '-c', 'make'], info('unknown', 4, 'makeflags', ALL, 'all_j4'), { MAKEFLAGS: '-j4' }],
];

for (const [command, want, env = {}] of [...MAKE_ROWS, ...MAKEFLAGS_ROWS, ...UNKNOWN_ROWS]) {
  test(`parses ${JSON.stringify(argvOf(command))} with env ${JSON.stringify(env)}`, () => {
    assert.deepEqual(parse(command, { env }), { ok: true, info: want });
  });
}

const ERROR_ROWS: [command: string | string[], error: string][] = [
  [[], 'empty build command'],
  [[''], 'empty build command'],
  ['make -j 0', "job count must be a positive integer, got '0'"],
  ['make --jobs=0', "job count must be a positive integer, got '0'"],
  ['make -j -3', "job count must be a positive integer, got '-3'"],
  ['make -jabc', "job count must be a positive integer, got 'abc'"],
  ['make -j4k', "job count must be a positive integer, got '4k'"],
  ['make -j99999999999', "job count is too large, got '99999999999'"],
  ['make -C', "make: option '-C' requires an argument"],
  ['make -j2 -f', "make: option '-f' requires an argument"],
  ['make --directory', "make: option '--directory' requires an argument"],
];

for (const [command, error] of ERROR_ROWS) {
  test(`rejects ${JSON.stringify(argvOf(command))}`, () => {
    assert.deepEqual(parse(command), { ok: false, error });
  });
}

const DESCRIBE_ROWS: [command: string, ctx: Partial<CommandContext>, text: string][] = [
  ['make -j4', {}, '-j4 (from command line)'],
  ['make', {}, '-j1 (make default)'],
  ['make -j', {}, 'unlimited (-j)'],
  ['make', { env: { MAKEFLAGS: '-j4' } }, '-j4 (from MAKEFLAGS)'],
  ['make', { env: { MAKEFLAGS: '-j' } }, 'unlimited (-j in MAKEFLAGS)'],
  ['make', { env: { MAKEFLAGS: '--jobserver-fds=3,4 -j' } }, 'shared make jobserver (size not stated in MAKEFLAGS)'],
  ['ninja', { cores: 2 }, '-j3 (ninja default for 2 cores)'],
  ['ninja', { cores: 1 }, '-j2 (ninja default for 1 core)'],
  ['ninja', { cores: 8 }, '-j10 (ninja default for 8 cores)'],
  ['ninja -j0', {}, 'unlimited (-j0)'],
  ['cmake --build b', { cmakeGenerator: 'make', env: { CMAKE_BUILD_PARALLEL_LEVEL: '5' } }, '-j5 (from CMAKE_BUILD_PARALLEL_LEVEL)'],
  ['cmake --build b', { cmakeGenerator: 'make', env: { CMAKE_BUILD_PARALLEL_LEVEL: '' } }, 'unlimited (CMAKE_BUILD_PARALLEL_LEVEL is empty)'],
  ['cmake --build b', { cmakeGenerator: null }, 'unknown (CMake generator not known)'],
  ['./build.sh', {}, 'unknown'],
];

for (const [command, ctx, text] of DESCRIBE_ROWS) {
  test(`describeJobs for '${command}' with ${JSON.stringify(ctx)}`, () => {
    const parsed = parse(command, ctx);
    assert.ok(parsed.ok);
    assert.equal(describeJobs(parsed.info), text);
  });
}

function header(log: string, key: string): string {
  const line = log.split('\n').find((l) => l.startsWith(`# ${key}: `));
  return line === undefined ? '' : line.slice(key.length + 4);
}

const BUILD_FIXTURES = [
  'libuv-make-j2.log',
  'libuv-make-j1.log',
  'libuv-ninja-j2.log',
  'fmt-make-j2.log',
  'fmt-make-j1.log',
  'fmt-ninja-j2.log',
  'fail-fmt-cxx-make-j2.log',
  'fail-fmt-cxx-ninja-j2.log',
  'fail-zstd-link-make-j2.log',
  'fail-zstd-link-ninja-j2.log',
];

test('recorded commands of the real build logs give the recorded jobs and target', () => {
  for (const name of BUILD_FIXTURES) {
    const log = readFileSync(fixture(name), 'utf8');
    const parsed = parse(header(log, 'command'));
    assert.ok(parsed.ok, name);
    const { jobs, target, historyKey } = parsed.info;
    const want = `${header(log, 'target')}_j${header(log, 'jobs')}`;
    assert.deepEqual({ jobs: String(jobs), target, historyKey }, { jobs: header(log, 'jobs'), target: header(log, 'target'), historyKey: want }, name);
  }
});

test('a cmake configure run is kept apart from builds of the default target', () => {
  const log = readFileSync(fixture('configure-fail-missing-libzstd.log'), 'utf8');
  const command = header(log, 'command');
  assert.equal(command, 'cmake -G Unix Makefiles -DCMAKE_BUILD_TYPE=Debug -DMARCH_NATIVE=OFF -DPACKAGE_DWLIB=ON -DPACKAGE_DB_SQLITE=2 ..');
  assert.deepEqual(parse(command), { ok: true, info: info('cmake', null, 'unknown', ['configure'], 'configure') });
});
