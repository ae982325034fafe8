import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BuildPolicy, checkInsideRoots, isInside, resolveRoots } from './safety.js';

test('only make, gmake, cmake --build and ninja run unless more are allowed, and each refusal says how to allow it', () => {
  const policy = new BuildPolicy();
  for (const argv of [['make', '-j2'], ['gmake'], ['ninja', '-C', 'b'], ['cmake', '--build', 'b']]) assert.equal(policy.checkCommand(argv), null);
  assert.equal(policy.checkCommand(['/tmp/out/bin/make']),
    "refused: the program must be a bare name found on the server's PATH (got /tmp/out/bin/make). Give 'make', or put the directory of the one you want first on the server's PATH.");
  assert.equal(policy.checkCommand(['./make']),
    "refused: the program must be a bare name found on the server's PATH (got ./make). Give 'make', or put the directory of the one you want first on the server's PATH.");
  assert.equal(policy.checkCommand(['rm', '-rf', '/']),
    "refused: 'rm' is not an allowed build tool (allowed: make, gmake, cmake, ninja). To allow it, start the server with --allow-tool rm.");
  assert.equal(policy.checkCommand(['cmake', '-E', 'remove_directory', '/x']),
    "refused: cmake may only run as 'cmake --build DIR ...' (got cmake -E). For the configure step pass configure:true; to allow every cmake mode, start the server with --allow-tool cmake-any.");
  const more = new BuildPolicy(['bazel', 'cmake-any']);
  assert.equal(more.checkCommand(['bazel', 'build']), null);
  assert.equal(more.checkCommand(['cmake', '-P', 'x.cmake']), null);
});

test('a directory is allowed when it lies inside a root, symlinks resolved, and not when it only shares a prefix', () => {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'buildmon-roots-')));
  try {
    const root = path.join(base, 'proj');
    fs.mkdirSync(path.join(root, 'sub'), { recursive: true });
    fs.mkdirSync(path.join(base, 'proj2'));
    fs.symlinkSync(path.join(base, 'proj2'), path.join(root, 'escape'));
    const roots = resolveRoots([root], 'option');
    assert.equal(checkInsideRoots(path.join(root, 'sub'), roots), null);
    assert.equal(checkInsideRoots(path.join(root, '..foo'), roots), null);
    assert.equal(isInside(path.join(root, '..foo'), root), true);
    assert.equal(isInside(base, root), false);
    assert.equal(checkInsideRoots(path.join(base, 'proj2', 'Makefile'), roots, 'makefile (make -f)', true),
      `refused: the makefile (make -f) ${base}/proj2/Makefile is outside the allowed roots (${root}; from --root). To allow it, start the server with --root ${base}/proj2 (next to the other --root options).`);
    assert.equal(checkInsideRoots(path.join(root, 'sub', 'build-not-made-yet'), roots, 'build directory'), null);
    assert.equal(checkInsideRoots(path.join(base, 'proj2'), roots),
      `refused: the working directory ${base}/proj2 is outside the allowed roots (${root}; from --root). To allow it, start the server with --root ${base}/proj2 (next to the other --root options).`);
    assert.match(checkInsideRoots(path.join(root, 'escape'), roots) ?? '', /^refused: the working directory .*\/proj2 is outside/);
    assert.equal(checkInsideRoots('/etc', resolveRoots([root], 'client')),
      `refused: the working directory /etc is outside the allowed roots (${root}; from the client's MCP roots). To allow it, add it as a root in your MCP client.`);
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
});
