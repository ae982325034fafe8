import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinShellWords, splitShellWords } from './shell-words.js';

test('split: quotes and escapes, no expansion', () => {
  const rows: Array<[string, string[]]> = [
    ['make -j4', ['make', '-j4']],
    ['  cmake   --build build  ', ['cmake', '--build', 'build']],
    [`make 'CFLAGS=-O2 -g' all`, ['make', 'CFLAGS=-O2 -g', 'all']],
    [`make "A=\\"x\\"" $HOME`, ['make', 'A="x"', '$HOME']],
    ['ninja -C my\\ build', ['ninja', '-C', 'my build']],
    [`make ''`, ['make', '']],
    ['', []],
  ];
  for (const [input, words] of rows) assert.deepEqual(splitShellWords(input), { ok: true, words }, input);
});

test('split: unterminated quote is an error value', () => {
  assert.deepEqual(splitShellWords(`make 'oops`), { ok: false, error: "unterminated ' quote in command" });
});

test('join then split gives the argv back', () => {
  const argvs = [['make', '-j2'], ['cmake', '--build', 'a dir', '--target', "it's"], ['x', ''], ['echo', '$HOME;rm']];
  for (const argv of argvs) assert.deepEqual(splitShellWords(joinShellWords(argv)), { ok: true, words: argv });
  assert.equal(joinShellWords(['make', '-j2', 'all']), 'make -j2 all');
});
