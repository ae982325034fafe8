import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BuildmonError } from '../store/errors.js';
import { checkDirectory, resolvePhysical } from './resolve-command.js';

test('a working directory reached through a symlink is the directory itself; a missing one or a file is refused', () => {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'buildmon-dir-')));
  try {
    fs.mkdirSync(path.join(base, 'real', 'build'), { recursive: true });
    fs.symlinkSync(path.join(base, 'real'), path.join(base, 'link'));
    fs.writeFileSync(path.join(base, 'file'), '');
    assert.equal(checkDirectory(path.join(base, 'link'), 'working directory'), path.join(base, 'real'));
    assert.equal(checkDirectory(`${base}/link/build/`, 'working directory'), path.join(base, 'real', 'build'));
    assert.equal(checkDirectory(path.join(base, 'real'), 'working directory'), path.join(base, 'real'));
    assert.throws(() => checkDirectory(path.join(base, 'none'), 'working directory'),
      (err: unknown) => err instanceof BuildmonError && err.message === `working directory does not exist: ${base}/none`);
    assert.throws(() => checkDirectory(path.join(base, 'file'), 'working directory'),
      (err: unknown) => err instanceof BuildmonError && err.message === `working directory is not a directory: ${base}/file`);
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
});

test('resolvePhysical follows symlinks and .. as the kernel does, as far as the path exists', () => {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'buildmon-dir-')));
  try {
    fs.mkdirSync(path.join(base, 'a', 'b', 'c'), { recursive: true });
    fs.mkdirSync(path.join(base, 'p'));
    fs.symlinkSync(path.join(base, 'a', 'b', 'c'), path.join(base, 'p', 'link'));
    const p = path.join(base, 'p');
    assert.equal(resolvePhysical('link', p), `${base}/a/b/c`);
    assert.equal(resolvePhysical('link/..', p), `${base}/a/b`);
    assert.equal(resolvePhysical('link/../../x.o', p), `${base}/a/x.o`);
    assert.equal(resolvePhysical('new/dir/../x', p), `${base}/p/new/x`);
    assert.equal(resolvePhysical('.', p), p);
    assert.equal(resolvePhysical('', p), p);
    assert.equal(resolvePhysical(`${base}/p/link/`, '/nowhere'), `${base}/a/b/c`);
    assert.equal(resolvePhysical('/no-such-dir-here/x/../y'), '/no-such-dir-here/y');
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
});
