import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BuildPolicy, checkInsideRoots, isInside, NEVER_CLIENT_ENV, resolveRoots } from './safety.js';

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

test('a client sets only the environment variables --allow-env names, never PATH, LD_*, MAKEFLAGS and the like, with bounded text values', () => {
  const never = (name: string): string =>
    `refused: environment variable ${name} cannot be set by a client, not even with --allow-env: it decides which programs, shell or libraries the build runs ` +
    '(PATH, SHELL, BASH_ENV, ENV, LD_*, MAKEFLAGS, MFLAGS, GNUMAKEFLAGS, MAKEFILES, NODE_OPTIONS, BUILDMON_* are never allowed). ' +
    'To change it for builds, start the server with it set in its own environment.';
  const listed = ['CC', 'CFLAGS', 'PATH', 'LD_PRELOAD', 'LD_LIBRARY_PATH', 'MAKEFLAGS', 'MFLAGS', 'GNUMAKEFLAGS', 'SHELL', 'BASH_ENV', 'ENV', 'NODE_OPTIONS', 'LD_AUDIT', 'BUILDMON_HOME', 'PATH'];
  const policy = new BuildPolicy([], [], listed);
  assert.deepEqual([...policy.allowedEnv], ['CC', 'CFLAGS']);
  assert.deepEqual(policy.ignoredEnv, ['PATH', 'LD_PRELOAD', 'LD_LIBRARY_PATH', 'MAKEFLAGS', 'MFLAGS', 'GNUMAKEFLAGS', 'SHELL', 'BASH_ENV', 'ENV', 'NODE_OPTIONS', 'LD_AUDIT', 'BUILDMON_HOME']);
  assert.equal(NEVER_CLIENT_ENV.length, 11);
  assert.equal(policy.checkEnv({}), null);
  assert.equal(policy.checkEnv({ CC: 'clang', CFLAGS: '-O2 -g' }), null);
  assert.equal(policy.checkEnv({ CC: 'x'.repeat(4096) }), null);
  for (const name of policy.ignoredEnv) assert.equal(policy.checkEnv({ CC: 'gcc', [name]: '/tmp/x' }), never(name), name);
  assert.equal(policy.checkEnv({ CXX: 'clang++' }),
    'refused: environment variable CXX cannot be set by a client. To allow it, start the server with --allow-env CXX.');
  assert.equal(new BuildPolicy().checkEnv({ CC: 'gcc' }),
    'refused: environment variable CC cannot be set by a client. To allow it, start the server with --allow-env CC.');
  assert.equal(policy.checkEnv({ CC: 'x'.repeat(4097) }), 'refused: the value of CC is 4097 characters long; at most 4096 are allowed.');
  assert.equal(policy.checkEnv({ CC: 'gcc\0evil' }), 'refused: the value of CC must be text without NUL characters.');
  // A value lands in recipes a shell runs ($(CC) -c ...): nothing a shell or make reads as code.
  assert.equal(policy.checkEnv({ CFLAGS: '-O2 -g -DX=1 -I/opt/a,b +x @f %y' }), null);
  assert.equal(policy.checkEnv({ CC: 'true;touch pwned;true' }),
    'refused: the value of environment variable CC contains ";": a shell running the recipes would read it as code. ' +
    "A client's value may hold only letters, digits, spaces and _ - . / : = , + @ %; put anything else in a makefile inside the roots.");
  for (const value of ['`id`', '$(shell id)', 'a|b', 'a&b', 'a>b', "a'b", 'a"b', 'a\nb', '*', 'a\\b', '(x)']) {
    assert.match(policy.checkEnv({ CC: value }) ?? '', /^refused: the value of environment variable CC contains /, value);
  }
  for (const name of ['BASH_FUNC_make%%', 'A=B', '1X', '', 'C C']) {
    assert.equal(policy.checkEnv({ [name]: 'x' }), `refused: '${name}' is not an environment variable name (letters, digits and '_', not starting with a digit).`, name);
  }
});

test('a path is followed as the kernel does: .. after a symlink leads to the parent of its target', () => {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'buildmon-roots-')));
  try {
    const root = path.join(base, 'proj');
    fs.mkdirSync(path.join(root, 'sub'), { recursive: true });
    fs.mkdirSync(path.join(base, 'away', 'deep'), { recursive: true });
    fs.symlinkSync(path.join(base, 'away', 'deep'), path.join(root, 'link'));
    const roots = resolveRoots([root], 'option');
    assert.equal(checkInsideRoots(`${root}/link/..`, roots),
      `refused: the working directory ${base}/away is outside the allowed roots (${root}; from --root). To allow it, start the server with --root ${base}/away (next to the other --root options).`);
    assert.equal(checkInsideRoots(`${root}/link/../not-yet/x`, roots, 'target', true),
      `refused: the target ${base}/away/not-yet/x is outside the allowed roots (${root}; from --root). To allow it, start the server with --root ${base}/away/not-yet (next to the other --root options).`);
    assert.equal(checkInsideRoots(`${root}/sub/../not-yet/../sub`, roots), null);
    assert.deepEqual(resolveRoots([`${root}/link/..`, `${base}/away`], 'option').dirs, [`${base}/away`]);
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
});
