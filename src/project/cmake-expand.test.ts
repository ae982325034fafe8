import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capValue, expandArguments, MAX_VALUE_CHARS, UNSET_REFERENCE } from './cmake-expand.js';
import { parseCmakeCommands } from './cmake-parse.js';

/** The arguments of the single command in `source`, expanded against `vars`. */
function expand(source: string, vars: Record<string, string>, markUnset = false): string[] {
  const [command] = parseCmakeCommands(source);
  return expandArguments(command!.args, (name) => vars[name], { markUnset });
}

test('capValue keeps short values, cuts long lists at a separator and other text at 1 MiB', () => {
  assert.equal(MAX_VALUE_CHARS, 1_048_576);
  assert.equal(capValue('a;b'), 'a;b');
  const exact = 'x'.repeat(MAX_VALUE_CHARS);
  assert.equal(capValue(exact), exact);
  assert.equal(capValue(`${exact}y`), exact);
  const list = 'src/file.c;'.repeat(100_000);
  const cut = capValue(list);
  assert.equal(cut.length, 1_048_574);
  assert.equal(cut.split(';').length, 95_325);
  assert.ok(cut.split(';').every((item) => item === 'src/file.c'));
});

test('an argument that doubles a 1 MiB value stays at 1 MiB', () => {
  const big = 'p'.repeat(MAX_VALUE_CHARS);
  const args = expand('set(X "${BIG}${BIG}" ${BIG}tail)', { BIG: big });
  assert.deepEqual(args.map((a) => a.length), [1, MAX_VALUE_CHARS, MAX_VALUE_CHARS]);
});

test('unset references vanish, or are marked when asked; $ENV{} counts as unset', () => {
  const vars = { ROOT: '/p' };
  assert.deepEqual(expand('file(GLOB S ${UNSET}/*.c ${ROOT}/*.c $ENV{HOME}/x.c)', vars), ['GLOB', 'S', '/*.c', '/p/*.c', '/x.c']);
  assert.deepEqual(expand('file(GLOB S ${UNSET}/*.c ${ROOT}/*.c $ENV{HOME}/x.c "${A}${B}")', vars, true), [
    'GLOB', 'S', `${UNSET_REFERENCE}/*.c`, '/p/*.c', `${UNSET_REFERENCE}/x.c`, UNSET_REFERENCE + UNSET_REFERENCE,
  ]);
  assert.deepEqual(expand('file(GLOB S ${${UNSET}})', vars, true), ['GLOB', 'S', UNSET_REFERENCE]);
});
