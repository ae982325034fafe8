import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBuildCommand, type BuildCommandInfo, type CommandContext } from './command.js';
import { ninjaDefaultJobs } from './command-ninja.js';

type Row = [command: string, want: BuildCommandInfo, ctx?: Partial<CommandContext>];

function ninja(
  jobs: number | 'unlimited',
  jobsSource: 'flag' | 'tool-default',
  targets: string[],
  historyKey: string,
  buildDir: string | null = null,
): BuildCommandInfo {
  return {
    tool: 'ninja',
    driver: 'ninja',
    jobs: jobs === 'unlimited' ? null : jobs,
    jobsUnlimited: jobs === 'unlimited',
    jobsSource,
    targets,
    target: targets.join('+'),
    historyKey,
    buildDir,
    nativeArgs: [],
  };
}

const ALL = ['all'];

const NINJA_ROWS: Row[] = [
  ['ninja', ninja(3, 'tool-default', ALL, 'all_j3')],
  ['ninja', ninja(2, 'tool-default', ALL, 'all_j2'), { cores: 1 }],
  ['ninja', ninja(10, 'tool-default', ALL, 'all_j10'), { cores: 8 }],
  ['ninja -j4', ninja(4, 'flag', ALL, 'all_j4')],
  ['ninja -j 4', ninja(4, 'flag', ALL, 'all_j4')],
  ['ninja -j0', ninja('unlimited', 'flag', ALL, 'all_junlimited')],
  ['ninja -j 0', ninja('unlimited', 'flag', ALL, 'all_junlimited')],
  ['ninja -C build', ninja(3, 'tool-default', ALL, 'all_j3', 'build')],
  ['ninja -C build target', ninja(3, 'tool-default', ['target'], 'target_j3', 'build')],
  ['ninja -Cbuild -j2 fmt test-main', ninja(2, 'flag', ['fmt', 'test-main'], 'fmt+test-main_j2', 'build')],
  ['ninja -C a -C b', ninja(3, 'tool-default', ALL, 'all_j3', 'b')],
  ['ninja -f other.ninja -k 0 -l 2 -d stats -w dupbuild=err -j2 lib', ninja(2, 'flag', ['lib'], 'lib_j2')],
  ['ninja -nvj2 lib', ninja(2, 'flag', ['lib'], 'lib_j2')],
  ['ninja --verbose --quiet -j2', ninja(2, 'flag', ALL, 'all_j2')],
  ['ninja -j4 -j2', ninja(2, 'flag', ALL, 'all_j2')],
  ['ninja -t clean', ninja(3, 'tool-default', ['tool:clean'], 'tool:clean_j3')],
  ['ninja -C build -t targets all', ninja(3, 'tool-default', ['tool:targets'], 'tool:targets_j3', 'build')],
  ['ninja -- -weird', ninja(3, 'tool-default', ['-weird'], '-weird_j3')],
  ['ninja-build -j2', ninja(2, 'flag', ALL, 'all_j2')],
  ['/usr/bin/ninja b a', ninja(3, 'tool-default', ['a', 'b'], 'a+b_j3')],
  ['ninja', ninja(3, 'tool-default', ALL, 'all_j3'), { env: { MAKEFLAGS: '-j7' } }],
];

for (const [command, want, ctx = {}] of NINJA_ROWS) {
  test(`parses '${command}' with ${JSON.stringify(ctx)}`, () => {
    const parsed = parseBuildCommand(command.split(' '), { env: {}, cores: 2, ...ctx });
    assert.deepEqual(parsed, { ok: true, info: want });
  });
}

test("ninja's default job count follows GuessParallelism", () => {
  assert.deepEqual([0, 1, 2, 3, 4, 16].map(ninjaDefaultJobs), [2, 2, 3, 5, 6, 18]);
});

const ERROR_ROWS: [command: string, error: string][] = [
  ['ninja -C', "ninja: option '-C' requires an argument"],
  ['ninja all -f', "ninja: option '-f' requires an argument"],
  ['ninja -j', "ninja: option '-j' requires an argument"],
  ['ninja -j -3', "job count must be a positive integer, got '-3'"],
  ['ninja -jabc', "job count must be a positive integer, got 'abc'"],
];

for (const [command, error] of ERROR_ROWS) {
  test(`rejects '${command}'`, () => {
    assert.deepEqual(parseBuildCommand(command.split(' '), { env: {}, cores: 2 }), { ok: false, error });
  });
}
