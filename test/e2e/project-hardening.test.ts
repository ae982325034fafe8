import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseNinjaLog } from '../../src/core/ninja-log.js';
import { exactFileRuns } from '../../src/run/file-history.js';
import { runCli, tempDir, tempHome } from '../helpers/cli.js';

const HAS_NINJA_CC = ['ninja', 'cc'].every((tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0);

/** Outputs named as CMake names them, so that each compile is attributed to `core` or `app`. */
const BUILD_NINJA = [
  'rule cc',
  '  command = cc -c $in -o $out',
  '  description = Building C object $out',
  'rule slowcc',
  '  command = sleep 0.3 && cc -c $in -o $out',
  '  description = Building C object $out',
  'rule ar',
  '  command = rm -f $out && ar qc $out $in',
  '  description = Linking C static library $out',
  'rule link',
  '  command = cc $in -o $out',
  '  description = Linking C executable $out',
  'build CMakeFiles/core.dir/a.c.o: cc a.c',
  'build CMakeFiles/core.dir/b.c.o: slowcc b.c',
  'build CMakeFiles/core.dir/c.c.o: cc c.c',
  'build libcore.a: ar CMakeFiles/core.dir/a.c.o CMakeFiles/core.dir/b.c.o CMakeFiles/core.dir/c.c.o',
  'build CMakeFiles/app.dir/main.c.o: cc main.c',
  'build app: link CMakeFiles/app.dir/main.c.o libcore.a',
  '',
].join('\n');

function ninja(dir: string, ...targets: string[]): string {
  const r = spawnSync('ninja', targets, { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return r.stdout;
}

/** Sets `file`'s mtime to now, after a pause long enough for coarse file system clocks to move on. */
function touchLater(file: string): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  const now = new Date();
  fs.utimesSync(file, now, now);
}

test('.ninja_log: a run that outlasts the one before is not merged into this build', { skip: HAS_NINJA_CC ? false : 'needs ninja and cc' }, () => {
  const dir = tempDir('buildmon-ninja-runs-');
  for (const name of ['a', 'b', 'c']) fs.writeFileSync(path.join(dir, `${name}.c`), `int ${name}(void) { return 1; }\n`);
  fs.writeFileSync(path.join(dir, 'main.c'), 'int a(void);\nint main(void) { return a() - 1; }\n');
  fs.writeFileSync(path.join(dir, 'build.ninja'), BUILD_NINJA);
  ninja(dir);
  touchLater(path.join(dir, 'c.c'));
  ninja(dir, 'CMakeFiles/core.dir/c.c.o');
  touchLater(path.join(dir, 'b.c'));
  const startedMs = Date.now();
  const stdout = ninja(dir);
  const endedMs = Date.now();

  const statuses = [...stdout.matchAll(/^\[(\d+)\/(\d+)\] (.*)$/gm)].map((m) => `${m[1]}/${m[2]} ${m[3]}`);
  assert.deepEqual(statuses, ['1/3 Building C object CMakeFiles/core.dir/b.c.o', '2/3 Linking C static library libcore.a', '3/3 Linking C executable app']);
  const text = fs.readFileSync(path.join(dir, '.ninja_log'), 'utf8');
  const log = parseNinjaLog(text);
  const lastRun = log.runs.at(-1)!;
  assert.deepEqual(
    lastRun.map((s) => s.outputs.join('+')),
    ['CMakeFiles/core.dir/c.c.o', 'CMakeFiles/core.dir/b.c.o', 'libcore.a', 'app'],
    'the log itself cannot tell the two runs apart',
  );
  assert.deepEqual(exactFileRuns(text, startedMs)?.map((f) => f.source).sort(), ['b.c', 'c.c']);

  const b = lastRun[1]!;
  assert.deepEqual(exactFileRuns(text, startedMs, undefined, { stepsFinished: 3, buildEndedMs: endedMs }), [
    { package: 'core', source: 'b.c', startedMs: startedMs + b.startMs, endedMs: startedMs + b.endMs },
  ]);
  assert.ok(startedMs + b.endMs <= endedMs);
  assert.deepEqual(exactFileRuns(text, startedMs, undefined, { stepsFinished: 3, buildEndedMs: startedMs + lastRun.at(-1)!.endMs - 1 }), []);
});

test('buildmon packages reads a CMakeLists.txt that doubles a value in a loop and globs from an unset variable', () => {
  const home = tempHome();
  const dir = tempDir('buildmon-hostile-lists-');
  fs.writeFileSync(path.join(dir, 'a.c'), '');
  fs.writeFileSync(path.join(dir, 'CMakeLists.txt'), [
    'project(p C)',
    'set(PAD 0)',
    'foreach(i RANGE 64)',
    '  if(i LESS 3)',
    '    set(PAD "${PAD}${PAD}")',
    '  endif()',
    'endforeach()',
    'file(GLOB_RECURSE SRCS ${THIRD_PARTY_ROOT}/*.c)',
    'add_library(core STATIC ${SRCS} a.c)',
  ].join('\n'));
  const started = performance.now();
  const r = runCli(['packages', dir, '--json'], { home });
  const elapsedMs = performance.now() - started;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const report = JSON.parse(r.stdout.toString('utf8')) as { model_source: string; detected_packages: string[]; packages: Array<{ name: string; files: number | null }> };
  assert.equal(report.model_source, 'cmakelists');
  assert.deepEqual(report.detected_packages, ['core']);
  assert.deepEqual(report.packages.map((p) => [p.name, p.files]), [['core', 1]]);
  assert.ok(elapsedMs < 5000, `${elapsedMs} ms`);
});
