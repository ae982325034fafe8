import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CmakeEvaluator, type CmakeScope } from './cmake-evaluator.js';
import { MAX_VALUE_CHARS, UNSET_REFERENCE } from './cmake-expand.js';
import { parseCmakeCommands } from './cmake-parse.js';

interface Run {
  calls: Array<[string, string[]]>;
  evaluator: CmakeEvaluator<CmakeScope>;
  elapsedMs: number;
}

/** Runs `lines` with a host that records every command it receives. */
function run(lines: string[], markUnsetIn: ReadonlySet<string> = new Set()): Run {
  const calls: Array<[string, string[]]> = [];
  const evaluator = new CmakeEvaluator<CmakeScope>((name, args) => void calls.push([name, args]), markUnsetIn);
  const started = performance.now();
  evaluator.run(parseCmakeCommands(lines.join('\n')), { vars: new Map(), parent: null }, 0);
  return { calls, evaluator, elapsedMs: performance.now() - started };
}

test('a doubling that only an if() would stop ends at 1 MiB, quickly', () => {
  const r = run([
    'set(PAD 0)',
    'foreach(i RANGE 64)',
    '  if(i LESS 3)',
    '    set(PAD "${PAD}${PAD}")',
    '  endif()',
    'endforeach()',
    'probe(${PAD})',
    'list(APPEND PAD ${PAD})',
    'probe("${PAD}")',
  ]);
  const probes = r.calls.filter(([name]) => name === 'probe').map(([, args]) => args);
  assert.deepEqual(probes, [['0'.repeat(MAX_VALUE_CHARS)], ['0'.repeat(MAX_VALUE_CHARS)]]);
  assert.equal(r.evaluator.exhausted, false);
  assert.ok(r.elapsedMs < 2000, `${r.elapsedMs} ms`);
});

test('variable text read counts against the budget: a loop copying 1 MiB stops after 388 rounds', () => {
  // Before the loop: two commands and five arguments (2 + 5/64). Each round: two commands, 1 MiB
  // read (256 units) and two arguments (2/64): round 388 passes 100,000 units.
  const r = run([`set(BIG [=[${'b'.repeat(MAX_VALUE_CHARS)}]=])`, 'foreach(i RANGE 1000)', '  set(X ${BIG})', '  tick()', 'endforeach()', 'after(${i} done)']);
  assert.equal(r.calls.filter(([name]) => name === 'tick').length, 388);
  assert.equal(r.evaluator.exhausted, true);
  assert.deepEqual(r.calls.at(-1), ['after', ['done']]);
});

test('list elements made count against the budget: a loop splitting a long list stops after 952 rounds', () => {
  // Each round reads 12,800 code units (3.125 units) and makes 6,401 arguments (100.015625 units):
  // text alone would let all 1,001 rounds run.
  const r = run([`set(L [=[${'a;'.repeat(6400)}]=])`, 'foreach(i RANGE 1000)', '  set(X ${L})', '  tick()', 'endforeach()']);
  assert.equal(r.calls.filter(([name]) => name === 'tick').length, 952);
  assert.equal(r.evaluator.exhausted, true);
});

test('past twice the work budget every variable reads as unset; literals still arrive', () => {
  const copies = (n: number): string[] => Array.from({ length: n }, () => 'set(X ${BIG})');
  const big = `set(BIG [=[${'b'.repeat(MAX_VALUE_CHARS)}]=])`;
  // Each copy costs 1 (command) + 256 (1 MiB read) + 2/64 (two arguments): the probe reads BIG at
  // 2.03125 + 257.03125 * n units, under 200,000 for n = 778 and over it for n = 779.
  const before = run([big, ...copies(778), 'probe(${BIG} literal)']);
  assert.deepEqual(before.calls.map(([name, args]) => [name, args.map((a) => a.length)]), [['probe', [MAX_VALUE_CHARS, 7]]]);
  const after = run([big, ...copies(779), 'probe(${BIG} literal)', 'list(APPEND BIG x)', 'probe(${BIG})']);
  assert.deepEqual(after.calls, [['probe', ['literal']], ['probe', []]]);
  assert.ok(after.elapsedMs < 10_000, `${after.elapsedMs} ms`);
});

test('unset references are marked only for the commands that ask, and never reach a user function', () => {
  const r = run(['set(ROOT /p)', 'file(GLOB S ${UNSET}/*.c ${ROOT}/*.c)', 'other(${UNSET}/*.c)'], new Set(['file']));
  assert.deepEqual(r.calls, [['file', ['GLOB', 'S', `${UNSET_REFERENCE}/*.c`, '/p/*.c']], ['other', ['/*.c']]]);
  const wrapped = run(['function(file)', '  seen(${ARGV})', 'endfunction()', 'file(GLOB S ${UNSET}/*.c)'], new Set(['file']));
  assert.deepEqual(wrapped.calls, [['seen', ['GLOB', 'S', '/*.c']]]);
});
