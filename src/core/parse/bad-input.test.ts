import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLineParser } from './index.js';
import { MAX_LINE_PREFIX_CHARS } from './line-text.js';
import type { Dialect, LineEvent } from './types.js';

const DIALECTS: readonly Dialect[] = ['cmake-make', 'ninja', 'gnu-make'];
const TEN_MB = 10 * 1024 * 1024;

for (const dialect of DIALECTS) {
  test(`${dialect}: a 10 MB line is classified from its first ${MAX_LINE_PREFIX_CHARS} characters`, () => {
    const parser = createLineParser(dialect);
    const plain = parser.parse('a'.repeat(TEN_MB));
    assert.deepEqual(plain, { event: { kind: 'unrecognised', text: 'a'.repeat(MAX_LINE_PREFIX_CHARS) }, progress: null });
    const diagnostic = parser.parse('x.c:1:2: error: ' + 'z'.repeat(TEN_MB)).event;
    assert.equal(diagnostic.kind === 'diagnostic' ? diagnostic.diagnostic.message.length : -1, MAX_LINE_PREFIX_CHARS - 16);
  });

  test(`${dialect}: NUL bytes, replacement characters, lone surrogates and empty lines`, () => {
    const parser = createLineParser(dialect);
    assert.deepEqual(parser.parse('').event, { kind: 'tool-chatter', text: '' });
    assert.deepEqual(parser.parse('\0\0\0').event, { kind: 'unrecognised', text: '\0\0\0' });
    assert.deepEqual(parser.parse('\uFFFD\uFFFD build \uFFFD').event, { kind: 'unrecognised', text: '\uFFFD\uFFFD build \uFFFD' });
    assert.deepEqual(parser.parse('a.c:1:1: warning: \0odd\uD800').event, {
      kind: 'diagnostic', diagnostic: { severity: 'warning', tool: 'compiler', file: 'a.c', line: 1, column: 1, message: '\0odd\uD800' },
    });
  });

  test(`${dialect}: carriage returns show what a terminal would`, () => {
    const parser = createLineParser(dialect);
    assert.deepEqual(parser.parse('ninja: no work to do.\r').event, { kind: 'no-work' });
    assert.deepEqual(parser.parse('progress 10%\rprogress 20%\rcollect2: error: ld returned 1 exit status').event, {
      kind: 'diagnostic', diagnostic: { severity: 'error', tool: 'linker', file: null, line: null, column: null, message: 'ld returned 1 exit status' },
    });
  });

  test(`${dialect}: never throws on random input`, () => {
    const parser = createLineParser(dialect);
    const pieces = ['[', ']', '%', '/', ':', ' ', '\t', '\r', '\0', '\x1b[', 'make[2]: ', '*** [', 'FAILED: ', 'ninja: ', 'CMake Error at ',
      'Building C object ', 'CMakeFiles/', '.dir/', 'gcc -c ', '-o', 'error: ', '12', '‘', '’', '\uFFFD', '\uDC00', '(', ')', 'ar ', "'", '`'];
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const kinds = new Set<LineEvent['kind']>();
    for (let i = 0; i < 5000; i++) {
      let line = '';
      const count = next() % 12;
      for (let j = 0; j < count; j++) line += pieces[next() % pieces.length];
      const parsed = parser.parse(line);
      assert.equal(typeof parsed.event.kind, 'string');
      kinds.add(parsed.event.kind);
    }
    assert.ok(kinds.has('unrecognised') && kinds.has('diagnostic'), [...kinds].join(','));
  });
}

test('a 10 MB status line costs no more than a short one', () => {
  const parser = createLineParser('cmake-make');
  const parsed = parser.parse('[ 50%] Building CXX object CMakeFiles/t.dir/' + 'x'.repeat(TEN_MB));
  assert.equal(parsed.event.kind === 'compile' ? parsed.event.object.length : -1, MAX_LINE_PREFIX_CHARS - 27);
  assert.deepEqual(parsed.progress, { pct: 50 });
});
