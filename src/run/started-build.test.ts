import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StartedBuild, type BuildExit } from './started-build.js';

test('output, exit and close that come before anyone listens are handed over later, stamped on arrival', async () => {
  let clockMs = 1000;
  const build = StartedBuild.spawn(['sh', '-c', 'echo a; echo b >&2; exit 3'], '/', () => clockMs++);
  await new Promise((r) => setTimeout(r, 300)); // the child has long exited
  clockMs = 5000; // any stamp taken from here on would be 5000 or later
  const got: Array<[string, string, number]> = [];
  build.whenOutput((stream, chunk, atMs) => got.push([stream, chunk.toString(), atMs]));
  const exit = await new Promise<BuildExit>((resolve) => build.whenExit(resolve));
  await new Promise<void>((resolve) => build.whenClosed(resolve));
  assert.deepEqual(exit, { code: 3, signal: null });
  assert.deepEqual(got.map(([s, t]) => [s, t]).sort(), [['err', 'b\n'], ['out', 'a\n']]);
  assert.ok(got.every(([, , at]) => at >= 1000 && at < 1002), `stamped when read, not when handed over: ${JSON.stringify(got)}`);
});

test('a spawn error is remembered for a listener added later', async () => {
  const build = StartedBuild.spawn(['/no/such/program'], '/');
  await new Promise((r) => setTimeout(r, 100));
  const err = await new Promise<NodeJS.ErrnoException>((resolve) => build.whenError(resolve));
  assert.equal(err.code, 'ENOENT');
});
