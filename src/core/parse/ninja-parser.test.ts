import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLineParser } from './index.js';
import type { ParsedLine } from './types.js';

test('ninja: a CMake status line is a compile that has finished, with steps done of total', () => {
  const parser = createLineParser('ninja');
  assert.deepEqual(parser.parse('[3/10] Building CXX object src/packages/core/CMakeFiles/package_core.dir/foo.cc.o'), {
    event: { kind: 'compile', phase: 'end', lang: 'CXX', target: 'package_core', object: 'src/packages/core/CMakeFiles/package_core.dir/foo.cc.o', source: 'foo.cc' },
    progress: { done: 3, total: 10 },
  });
});

test('ninja: the line after FAILED: is the command, whatever it looks like; then parsing resumes', () => {
  const parser = createLineParser('ninja');
  const lines: Array<[string, ParsedLine]> = [
    ['FAILED: [code=1] a.o b.o ', { event: { kind: 'ninja-failed', outputs: ['a.o', 'b.o'] }, progress: null }],
    ['[4/9] this looks like a status line', { event: { kind: 'ninja-command' }, progress: null }],
    ['a.c:1:1: error: x', { event: { kind: 'diagnostic', diagnostic: { severity: 'error', tool: 'compiler', file: 'a.c', line: 1, column: 1, message: 'x' } }, progress: null }],
    ['ninja: build stopped: cannot make progress due to previous errors.', { event: { kind: 'ninja-stopped', reason: 'cannot make progress due to previous errors' }, progress: null }],
  ];
  for (const [line, expected] of lines) assert.deepEqual(parser.parse(line), expected, line);
});

test("ninja: its own messages", () => {
  const parser = createLineParser('ninja');
  assert.deepEqual(parser.parse('ninja: no work to do.').event, { kind: 'no-work' });
  assert.deepEqual(parser.parse("ninja: Entering directory `build'").event, { kind: 'enter-dir', dir: 'build', level: 0 });
  assert.deepEqual(parser.parse("ninja: error: loading 'build.ninja': No such file or directory").event, {
    kind: 'diagnostic', diagnostic: { severity: 'error', tool: 'ninja', file: null, line: null, column: null, message: "loading 'build.ninja': No such file or directory" },
  });
  assert.deepEqual(parser.parse('ninja: warning: multiple rules generate x').event.kind, 'diagnostic');
});

test('ninja: steps of a hand-written or GN build.ninja', () => {
  const parser = createLineParser('ninja');
  const cases: Array<[string, ParsedLine['event']]> = [
    ['[1/6] CXX obj/foo.o', { kind: 'compile', phase: 'end', lang: 'CXX', target: null, object: 'obj/foo.o', source: null }],
    ['[2/6] g++ -c foo.cc -o foo.o', { kind: 'compile', phase: 'end', lang: 'CXX', target: null, object: 'foo.o', source: 'foo.cc' }],
    ['[3/6] cd /x && /usr/bin/cmake -E touch y', { kind: 'custom', text: 'cd /x && /usr/bin/cmake -E touch y', target: null }],
    ['[4/6] Generating parser.cc', { kind: 'custom', text: 'Generating parser.cc', target: null }],
    ['[5/6] SOLINK ./libx.so', { kind: 'link', phase: 'end', artifact: 'shared', output: './libx.so', target: null }],
    ['[6/6] Linking CXX shared module plugins/p.so', { kind: 'link', phase: 'end', artifact: 'module', output: 'plugins/p.so', target: null }],
  ];
  for (const [line, expected] of cases) assert.deepEqual(parser.parse(line).event, expected, line);
});

test('ninja: a custom NINJA_STATUS is honoured', () => {
  const withPercent = createLineParser('ninja', { ninjaStatusFormat: '[%p %f/%t] ' });
  assert.deepEqual(withPercent.parse('[ 30% 3/10] Linking CXX executable app'), {
    event: { kind: 'link', phase: 'end', artifact: 'executable', output: 'app', target: null },
    progress: { done: 3, total: 10 },
  });
  assert.deepEqual(withPercent.parse('[3/10] Linking CXX executable app').progress, null);
  const percentOnly = createLineParser('ninja', { ninjaStatusFormat: '%p %e: ' });
  assert.deepEqual(percentOnly.parse(' 50% 12.345: Built target x'), { event: { kind: 'target-built', target: 'x' }, progress: { pct: 50 } });
  const silent = createLineParser('ninja', { ninjaStatusFormat: '' });
  assert.deepEqual(silent.parse('Building C object lib/CMakeFiles/t.dir/a.c.o'), {
    event: { kind: 'compile', phase: 'end', lang: 'C', target: 't', object: 'lib/CMakeFiles/t.dir/a.c.o', source: 'a.c' },
    progress: null,
  });
});
