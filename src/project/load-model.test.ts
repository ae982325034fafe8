import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProjectModel } from './load-model.js';

const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'buildmon-load-model-'));
after(() => fs.rmSync(tempRoot, { recursive: true, force: true }));
let dirCount = 0;

function project(files: Record<string, string>): string {
  const dir = path.join(tempRoot, `p${++dirCount}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function timed<T>(read: () => T): { value: T; elapsedMs: number } {
  const started = performance.now();
  const value = read();
  return { value, elapsedMs: performance.now() - started };
}

test('a CMakeLists.txt that doubles a value 65 times and globs from an unset variable gives its model, quickly', () => {
  const dir = project({
    'CMakeLists.txt': [
      'project(p C)',
      'set(PAD 0)',
      'foreach(i RANGE 64)',
      '  if(i LESS 3)',
      '    set(PAD "${PAD}${PAD}")',
      '  endif()',
      'endforeach()',
      'file(GLOB_RECURSE SRCS ${THIRD_PARTY_ROOT}/*.c)',
      'add_library(core STATIC ${SRCS} a.c)',
    ].join('\n'),
    'a.c': '',
  });
  const { value, elapsedMs } = timed(() => loadProjectModel(dir));
  assert.deepEqual(value, {
    source: 'cmakelists', sourceDir: dir, buildDir: null,
    packages: [{ name: 'core', kind: 'static', dir: '', sources: ['a.c'], artifacts: ['libcore.a'], dependsOn: [] }],
  });
  assert.ok(elapsedMs < 2000, `${elapsedMs} ms`);
});

test('a build.ninja whose variables double forty times gives its model, quickly', () => {
  const lines = ['v0 = aaaaaaaaaa'];
  for (let i = 1; i < 40; i++) lines.push(`v${i} = $v${i - 1}$v${i - 1}`);
  lines.push('rule cc', '  command = gcc -c $in -o $out', 'rule ar', '  command = ar rcs $out $in', 'build x.o: cc x.c', '  foo = $v39', 'build libx.a: ar x.o', '');
  const dir = project({ 'build.ninja': lines.join('\n') });
  const { value, elapsedMs } = timed(() => loadProjectModel(dir));
  assert.deepEqual(value, {
    source: 'build-ninja', sourceDir: dir, buildDir: dir,
    packages: [{ name: 'libx.a', kind: 'static', dir: '', sources: ['x.c'], artifacts: ['libx.a'], dependsOn: [] }],
  });
  assert.ok(elapsedMs < 2000, `${elapsedMs} ms`);
});

test('a source whose reader throws counts as absent: the next one answers', () => {
  const dir = project({ Makefile: 'all:\n\ttrue\n' });
  const failing = (): never => {
    throw new RangeError('Invalid string length');
  };
  assert.deepEqual(loadProjectModel(dir, failing), { source: 'none', sourceDir: dir, buildDir: dir, packages: [] });
  const learned = [{ name: 'lib', kind: 'directory' as const, dir: 'lib', sources: [], artifacts: [], dependsOn: [] }];
  assert.deepEqual(loadProjectModel(dir, () => learned), { source: 'learned', sourceDir: dir, buildDir: dir, packages: learned });
});
