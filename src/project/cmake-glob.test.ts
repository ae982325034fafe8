import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expandGlob, globBase } from './cmake-glob.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'buildmon-glob-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
for (const file of ['a.c', 'b.c', 'x.h', 'sub/c.c', 'sub/deeper/d.c', '.git/objects/e.c', 'node_modules/pkg/f.c', 'wide/w00.c']) {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), '');
}
for (let i = 1; i < 30; i++) fs.writeFileSync(path.join(root, 'wide', `w${String(i).padStart(2, '0')}.c`), '');

const relative = (paths: string[]): string[] => paths.map((p) => path.relative(root, p)).sort();

test('GLOB_RECURSE finds files below, but never inside .git or node_modules', () => {
  const result = expandGlob(path.join(root, '*.c'), { recurse: true, listDirs: false, maxEntries: 50_000 });
  assert.deepEqual(relative(result.paths).filter((p) => !p.startsWith('wide/')), ['a.c', 'b.c', 'sub/c.c', 'sub/deeper/d.c']);
  assert.equal(result.paths.length, 34);
  // 7 at the top (.git and node_modules are listed, never entered), 2 in sub, 1 in sub/deeper, 30 in wide.
  assert.equal(result.entriesVisited, 40);
  const explicit = expandGlob(path.join(root, 'node_modules', 'pkg', '*.c'), { recurse: false, listDirs: false, maxEntries: 50_000 });
  assert.deepEqual(relative(explicit.paths), ['node_modules/pkg/f.c']);
});

test('a glob stops after maxEntries directory entries with what it found so far', () => {
  const result = expandGlob(path.join(root, 'wide', '*.c'), { recurse: true, listDirs: false, maxEntries: 10 });
  assert.equal(result.entriesVisited, 10);
  assert.equal(result.paths.length, 10);
  assert.ok(result.paths.every((p) => /\/wide\/w\d\d\.c$/.test(p)));
  assert.deepEqual(expandGlob(path.join(root, '*.c'), { recurse: true, listDirs: false, maxEntries: 0 }), { paths: [], entriesVisited: 0 });
});

test('globBase is the fixed directory a pattern starts from', () => {
  assert.equal(globBase('/*.c'), '/');
  assert.equal(globBase('/p/src/*.c'), '/p/src');
  assert.equal(globBase('/p/*/x.c'), '/p');
  assert.equal(globBase('/p/src/a.c'), '/p/src');
  assert.equal(globBase('/p/s[ab]c/x.c'), '/p');
});
