import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixture } from '../../test/helpers/paths.js';
import { fileTimings, lastBuildSteps, parseNinjaLog, type NinjaLogStep } from './ninja-log.js';

interface FixtureCase {
  name: string;
  steps: number;
  first: NinjaLogStep;
  last: NinjaLogStep;
  multiOutput: NinjaLogStep | null;
  compiled: Record<string, number>;
}

const CASES: FixtureCase[] = [
  {
    name: 'libuv-ninja-j2',
    steps: 469,
    first: { startMs: 5, endMs: 107, outputs: ['CMakeFiles/uv.dir/src/fs-poll.c.o'], hash: 'e9f453527bc48982', mtime: '1795996609945273249' },
    last: { startMs: 26715, endMs: 26768, outputs: ['uv_run_tests_a'], hash: '1af349f3086e3467', mtime: '1795996636604546923' },
    multiOutput: { startMs: 2742, endMs: 2756, outputs: ['libuv.so.1', 'libuv.so'], hash: 'a671a30e5548281a', mtime: '1795996612577697083' },
    compiled: { uv: 35, uv_a: 35, uv_run_benchmarks_a: 23, uv_run_tests: 185, uv_run_tests_a: 185 },
  },
  {
    name: 'fmt-ninja-j2',
    steps: 77,
    first: { startMs: 3, endMs: 452, outputs: ['CMakeFiles/fmt.dir/src/os.cc.o'], hash: 'd58716231559a206', mtime: '1795996948014244132' },
    last: { startMs: 128101, endMs: 128179, outputs: ['bin/os-test'], hash: '7793cfefef3ffda4', mtime: '1795997075737687040' },
    multiOutput: null,
    compiled: { 'format-impl-test': 6, 'test-main': 3, fmt: 2, 'ranges-test': 2, gtest: 1 },
  },
  {
    name: 'fail-zstd-link-ninja-j2',
    steps: 91,
    first: {
      startMs: 2,
      endMs: 14,
      outputs: ['lib/CMakeFiles/libzstd_shared.dir/src/fail/zstd-link/lib/common/debug.c.o'],
      hash: 'ce5cb3af3ead7e18',
      mtime: '1795996673264190661',
    },
    last: {
      startMs: 27788,
      endMs: 28191,
      outputs: ['programs/CMakeFiles/zstd-frugal.dir/src/fail/zstd-link/programs/zstdcli.c.o'],
      hash: 'f47d91166ad54315',
      mtime: '1795996701437695156',
    },
    multiOutput: { startMs: 13537, endMs: 13550, outputs: ['lib/libzstd.so.1', 'lib/libzstd.so'], hash: 'b1dfc3cc97750063', mtime: '1795996686786297677' },
    compiled: { libzstd_shared: 38, libzstd_static: 38, zstd: 11, 'zstd-frugal': 1 },
  },
  {
    name: 'fail-fmt-cxx-ninja-j2',
    steps: 1,
    first: { startMs: 1, endMs: 3127, outputs: ['CMakeFiles/fmt.dir/src/format.cc.o'], hash: 'bda7111f00bb4536', mtime: '1795996708369695006' },
    last: { startMs: 1, endMs: 3127, outputs: ['CMakeFiles/fmt.dir/src/format.cc.o'], hash: 'bda7111f00bb4536', mtime: '1795996708369695006' },
    multiOutput: null,
    compiled: { fmt: 1 },
  },
];

/** Outputs ninja reported as failed in a timestamped log (failed steps are not in `.ninja_log`). */
function failedOutputs(log: string): Set<string> {
  const failed = new Set<string>();
  for (const m of log.matchAll(/^\d+ FAILED: (.*)$/gm)) for (const out of m[1]!.split(' ')) if (out !== '') failed.add(out);
  return failed;
}

/** Successful `Building ... object` status lines per target, counted straight from the log text. */
function builtObjectsPerTarget(log: string): Map<string, number> {
  const failed = failedOutputs(log);
  const counts = new Map<string, number>();
  for (const m of log.matchAll(/^\d+ \[\d+\/\d+\] Building \w+ object (\S+)$/gm)) {
    if (failed.has(m[1]!)) continue;
    const target = /CMakeFiles\/([^/]+)\.dir\//.exec(m[1]!)![1]!;
    counts.set(target, (counts.get(target) ?? 0) + 1);
  }
  return counts;
}

for (const c of CASES) {
  test(`${c.name}.ninja_log: one run, exact steps, objects per target match the build output`, () => {
    const log = parseNinjaLog(readFileSync(fixture(`${c.name}.ninja_log`), 'utf8'));
    const text = readFileSync(fixture(`${c.name}.log`), 'utf8');
    assert.equal(log.version, 5);
    assert.equal(log.malformedLines, 0);
    assert.equal(log.runs.length, 1);
    const steps = log.runs[0]!;
    assert.equal(steps.length, c.steps);
    const statusLines = [...text.matchAll(/^\d+ \[\d+\/\d+\] /gm)].length;
    assert.equal(steps.length, statusLines - [...text.matchAll(/^\d+ FAILED: /gm)].length);
    assert.deepEqual(steps[0], c.first);
    assert.deepEqual(steps.at(-1), c.last);
    if (c.multiOutput) assert.deepEqual(steps.find((s) => s.outputs.length > 1), c.multiOutput);
    else assert.equal(steps.filter((s) => s.outputs.length > 1).length, 0);

    const perTarget = new Map<string, number>();
    for (const t of fileTimings(steps)) if (t.source !== null) perTarget.set(t.target!, (perTarget.get(t.target!) ?? 0) + 1);
    const expected = builtObjectsPerTarget(text);
    assert.deepEqual([...perTarget].sort(), [...expected].sort());
    for (const [target, count] of Object.entries(c.compiled)) assert.equal(perTarget.get(target), count, target);
  });
}

test('fileTimings attributes objects by path and links through the artifact map, sorted by start', () => {
  const steps = parseNinjaLog(readFileSync(fixture('libuv-ninja-j2.ninja_log'), 'utf8')).runs[0]!;
  const artifacts = new Map([['libuv.so.1.0.0', 'uv'], ['libuv.so', 'uv'], ['libuv.a', 'uv_a']]);
  const timings = fileTimings(steps, artifacts);
  assert.equal(timings.length, 469);
  assert.deepEqual(timings.slice(0, 2), [
    { target: 'uv', source: 'src/fs-poll.c', output: 'CMakeFiles/uv.dir/src/fs-poll.c.o', startMs: 5, endMs: 107 },
    { target: 'uv', source: 'src/idna.c', output: 'CMakeFiles/uv.dir/src/idna.c.o', startMs: 5, endMs: 170 },
  ]);
  assert.ok(timings.every((t, i) => i === 0 || timings[i - 1]!.startMs <= t.startMs));
  assert.deepEqual(
    timings.filter((t) => t.source === null && t.target !== null).map((t) => [t.target, t.output, t.startMs, t.endMs]),
    [
      ['uv', 'libuv.so.1.0.0', 2715, 2742],
      ['uv', 'libuv.so', 2742, 2756],
      ['uv_a', 'libuv.a', 5364, 5473],
    ],
  );
  const unmapped = fileTimings(steps).find((t) => t.output === 'libuv.a');
  assert.deepEqual(unmapped, { target: null, source: null, output: 'libuv.a', startMs: 5364, endMs: 5473 });
});

test('fileTimings: a non-object output under a target directory keeps the target but no source', () => {
  const step: NinjaLogStep = { startMs: 1, endMs: 9, outputs: ['CMakeFiles/app.dir/CXX.dd'], hash: 'ab', mtime: '0' };
  assert.deepEqual(fileTimings([step]), [{ target: 'app', source: null, output: 'CMakeFiles/app.dir/CXX.dd', startMs: 1, endMs: 9 }]);
  assert.deepEqual(fileTimings([]), []);
});

const ROWS = ['0\t40\t1700000000123456789\tCMakeFiles/a.dir/a.c.o\t1f2e', '10\t55\t1700000000223456789\tlibx.a\tbeef'].join('\n');

test('v5, v6 and v7 share one row layout', () => {
  for (const version of [5, 6, 7]) {
    assert.deepEqual(parseNinjaLog(`# ninja log v${version}\n${ROWS}\n`), {
      version,
      runs: [
        [
          { startMs: 0, endMs: 40, outputs: ['CMakeFiles/a.dir/a.c.o'], hash: '1f2e', mtime: '1700000000123456789' },
          { startMs: 10, endMs: 55, outputs: ['libx.a'], hash: 'beef', mtime: '1700000000223456789' },
        ],
      ],
      malformedLines: 0,
    });
  }
  assert.deepEqual(parseNinjaLog(`# ninja log v7\r\n${ROWS.replaceAll('\n', '\r\n')}\r\n`).runs[0]!.length, 2);
});

test('runs split where the end time goes back or an output repeats', () => {
  const text = [
    '# ninja log v5',
    '0\t100\t1\ta.o\taa',
    '0\t20\t1\tb.o\tbb',
    '5\t30\t1\tc.o\tcc',
    '10\t40\t2\ta.o\taa',
    '0\t200\t3\ta.o\tdd',
  ].join('\n');
  const log = parseNinjaLog(text);
  assert.deepEqual(
    log.runs.map((run) => run.map((s) => `${s.outputs.join('+')}@${s.startMs}-${s.endMs}`)),
    [['a.o@0-100'], ['b.o@0-20', 'c.o@5-30', 'a.o@10-40'], ['a.o@0-200']],
  );
});

test('rows of one step merge; same times with another hash stay separate', () => {
  const text = [
    '# ninja log v6',
    '3\t9\t7\tgen/a.h\t11',
    '3\t9\t7\tgen/b.h\t11',
    '3\t9\t7\t/abs/build/gen/a.h\t11',
    '3\t9\t7\tother\t22',
  ].join('\n');
  assert.deepEqual(parseNinjaLog(text).runs, [
    [
      { startMs: 3, endMs: 9, outputs: ['gen/a.h', 'gen/b.h', '/abs/build/gen/a.h'], hash: '11', mtime: '7' },
      { startMs: 3, endMs: 9, outputs: ['other'], hash: '22', mtime: '7' },
    ],
  ]);
});

test('garbage, unknown versions and empty text give no runs', () => {
  assert.deepEqual(parseNinjaLog(''), { version: null, runs: [], malformedLines: 0 });
  assert.deepEqual(parseNinjaLog('# ninja log v5\n'), { version: 5, runs: [], malformedLines: 0 });
  assert.deepEqual(parseNinjaLog('hello\n\nworld\n'), { version: null, runs: [], malformedLines: 2 });
  assert.deepEqual(parseNinjaLog(`# ninja log v4\n${ROWS}`), { version: null, runs: [], malformedLines: 3 });
  assert.deepEqual(parseNinjaLog(`# ninja log v8\n${ROWS}`), { version: null, runs: [], malformedLines: 3 });
  assert.deepEqual(parseNinjaLog('\u0000\u00ff\ufffd binary'), { version: null, runs: [], malformedLines: 1 });
});

test('malformed rows are counted and skipped', () => {
  const bad = [
    '1\t2\t3\tout',
    '1\t2\t3\tout\thash\textra',
    'x\t2\t3\tout\tab',
    '5\t2\t3\tout\tab',
    '1\t2\t3\t\tab',
    '1\t2\t3\tout\tnothex',
    '-1\t2\t3\tout\tab',
  ];
  const log = parseNinjaLog(['# ninja log v5', ...bad, '1\t2\t-1\tok.o\tab'].join('\n'));
  assert.equal(log.malformedLines, bad.length);
  assert.deepEqual(log.runs, [[{ startMs: 1, endMs: 2, outputs: ['ok.o'], hash: 'ab', mtime: '-1' }]]);
});

test('lines of several megabytes are parsed or counted, never fatal', () => {
  const longPath = `dir/${'x'.repeat(4_000_000)}.o`;
  const text = ['# ninja log v5', `1\t2\t3\t${longPath}\tab`, 'y'.repeat(3_000_000), '2\t4\t3\tz.o\tcd'].join('\n');
  const log = parseNinjaLog(text);
  assert.equal(log.malformedLines, 1);
  assert.equal(log.runs.length, 1);
  assert.equal(log.runs[0]![0]!.outputs[0]!.length, longPath.length);
  assert.deepEqual(log.runs[0]![1]!.outputs, ['z.o']);
});

/**
 * The end of a real `.ninja_log`: a full build, then `touch c.c; ninja CMakeFiles/core.dir/c.c.o;
 * touch b.c; ninja`. The second run's step ends before the third run's first, and no output
 * repeats, so the two runs read as one.
 */
const TWO_RUNS_AS_ONE = [
  '# ninja log v5',
  '2\t215\t1796009466573950717\tCMakeFiles/core.dir/b.c.o\tc032a683e4a71a59',
  '215\t396\t1796009466753950717\tlibcore.a\tc1a4e6f6ad0df50a',
  '396\t450\t1796009466814284262\tapp\tbe0ec5f4559a2ab2',
  '2\t84\t1796009471810756160\tCMakeFiles/core.dir/c.c.o\t52b9576e997f025a',
  '2\t398\t1796009473261950717\tCMakeFiles/core.dir/b.c.o\tc032a683e4a71a59',
  '398\t714\t1796009473573950717\tlibcore.a\tc1a4e6f6ad0df50a',
  '714\t800\t1796009473665950717\tapp\tbe0ec5f4559a2ab2',
].join('\n');

const brief = (steps: NinjaLogStep[]): string[] => steps.map((s) => `${s.outputs.join('+')}@${s.startMs}-${s.endMs}`);

test('lastBuildSteps: the steps the status counted are the end of the last run', () => {
  const log = parseNinjaLog(TWO_RUNS_AS_ONE);
  assert.deepEqual(log.runs.map(brief), [
    ['CMakeFiles/core.dir/b.c.o@2-215', 'libcore.a@215-396', 'app@396-450'],
    ['CMakeFiles/core.dir/c.c.o@2-84', 'CMakeFiles/core.dir/b.c.o@2-398', 'libcore.a@398-714', 'app@714-800'],
  ]);
  assert.deepEqual(brief(lastBuildSteps(log, { stepsFinished: 3, durationMs: 812 })), [
    'CMakeFiles/core.dir/b.c.o@2-398', 'libcore.a@398-714', 'app@714-800',
  ]);
  assert.deepEqual(brief(lastBuildSteps(log, { stepsFinished: 1 })), ['app@714-800']);
  assert.deepEqual(lastBuildSteps(log, { stepsFinished: 0 }), []);
  assert.equal(lastBuildSteps(log, { stepsFinished: 9 }).length, 4, 'never beyond the last run');
  assert.equal(lastBuildSteps(log, { stepsFinished: Number.NaN }).length, 4, 'an unknown count limits nothing');
  assert.equal(lastBuildSteps(log).length, 4);
});

test('lastBuildSteps: a step ending after the build\'s duration is an earlier run\'s, and so is all before it', () => {
  const log = parseNinjaLog(TWO_RUNS_AS_ONE);
  assert.deepEqual(lastBuildSteps(log, { stepsFinished: 1, durationMs: 799 }), [], 'a build that logged nothing');
  assert.equal(lastBuildSteps(log, { durationMs: 800 }).length, 4);
  assert.deepEqual(lastBuildSteps(parseNinjaLog('# ninja log v5\n'), { stepsFinished: 3, durationMs: 100 }), []);
});
