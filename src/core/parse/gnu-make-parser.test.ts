import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLineParser } from './index.js';
import type { LineEvent } from './types.js';

/** One make session, in order: the parser's state (directory stack) matters. */
const SESSION: ReadonlyArray<[string, LineEvent]> = [
  ["make: Entering directory '/src/proj'", { kind: 'enter-dir', dir: '/src/proj', level: 0 }],
  ['cc -c top.c', { kind: 'compile', phase: 'start', lang: 'C', target: 'proj', object: 'top.o', source: 'top.c' }],
  ["make[1]: Entering directory '/src/proj/net'", { kind: 'enter-dir', dir: '/src/proj/net', level: 1 }],
  ['g++ -O2 -c foo.cc -o foo.o', { kind: 'compile', phase: 'start', lang: 'CXX', target: 'net', object: 'foo.o', source: 'foo.cc' }],
  ['cc -c x.c', { kind: 'compile', phase: 'start', lang: 'C', target: 'net', object: 'x.o', source: 'x.c' }],
  ['ccache gcc -Iinclude -DX=1 -MF build/a.d -c src/a.c -o build/a.o', { kind: 'compile', phase: 'start', lang: 'C', target: 'net', object: 'build/a.o', source: 'src/a.c' }],
  ['/usr/bin/x86_64-linux-gnu-gcc-12 -c boot.S -o boot.o', { kind: 'compile', phase: 'start', lang: 'ASM', target: 'net', object: 'boot.o', source: 'boot.S' }],
  ['ar rcs libnet.a foo.o x.o', { kind: 'link', phase: 'start', artifact: 'static', output: 'libnet.a', target: 'net' }],
  ['g++ -o prog main.o -L. -lnet', { kind: 'link', phase: 'start', artifact: 'executable', output: 'prog', target: 'net' }],
  ['gcc -shared -fPIC -o libx.so a.o', { kind: 'link', phase: 'start', artifact: 'shared', output: 'libx.so', target: 'net' }],
  ['x.c:3:5: warning: unused variable ‘y’ [-Wunused-variable]', diag('warning', 'compiler', 'x.c', 3, 5, 'unused variable ‘y’ [-Wunused-variable]')],
  ['    3 |   int y;', { kind: 'diagnostic-continuation' }],
  ['      |       ^', { kind: 'diagnostic-continuation' }],
  ['make[1]: *** [Makefile:12: prog] Error 1', { kind: 'make-error', level: 1, target: 'prog', makefile: 'Makefile', code: 1, text: 'make[1]: *** [Makefile:12: prog] Error 1' }],
  ["make[1]: Leaving directory '/src/proj/net'", { kind: 'leave-dir', dir: '/src/proj/net', level: 1 }],
  ['cc -c y.c', { kind: 'compile', phase: 'start', lang: 'C', target: 'proj', object: 'y.o', source: 'y.c' }],
  ['make: *** [all] Error 2', { kind: 'make-error', level: 0, target: 'all', makefile: null, code: 2, text: 'make: *** [all] Error 2' }],
  ["make: Target 'all' not remade because of errors.", { kind: 'make-error', level: 0, target: 'all', makefile: null, code: null, text: "make: Target 'all' not remade because of errors." }],
  ["make: Leaving directory '/src/proj'", { kind: 'leave-dir', dir: '/src/proj', level: 0 }],
  ['cc -c z.c', { kind: 'compile', phase: 'start', lang: 'C', target: null, object: 'z.o', source: 'z.c' }],
  ["make: Nothing to be done for 'all'.", { kind: 'no-work' }],
  ["make: 'prog' is up to date.", { kind: 'no-work' }],
  ["make[2]: Nothing to be done for 'all'.", { kind: 'tool-chatter', text: "make[2]: Nothing to be done for 'all'." }],
  ['Makefile:12: *** missing separator.  Stop.', diag('error', 'make', 'Makefile', 12, null, 'missing separator.  Stop.')],
  ["make: *** No rule to make target 'foo.c', needed by 'foo.o'.  Stop.", diag('error', 'make', null, null, null, "No rule to make target 'foo.c', needed by 'foo.o'.  Stop.")],
  ["Makefile:7: warning: overriding recipe for target 'x'", diag('warning', 'make', 'Makefile', 7, null, "overriding recipe for target 'x'")],
  ["make[1]: *** [Makefile:3: sub] Interrupt", { kind: 'make-error', level: 1, target: 'sub', makefile: 'Makefile', code: null, text: 'make[1]: *** [Makefile:3: sub] Interrupt' }],
  ['  CC       libfoo_la-foo.lo', { kind: 'compile', phase: 'start', lang: 'C', target: null, object: 'libfoo_la-foo.lo', source: null }],
  ['  CCLD     libfoo.la', { kind: 'link', phase: 'start', artifact: 'shared', output: 'libfoo.la', target: null }],
  ['libtool: compile:  gcc -DHAVE_CONFIG_H -I. -c foo.c  -fPIC -DPIC -o .libs/foo.o', { kind: 'compile', phase: 'start', lang: 'C', target: null, object: '.libs/foo.o', source: 'foo.c' }],
  ['/bin/bash ../libtool  --tag=CXX   --mode=compile g++ -c b.cpp -o b.lo', { kind: 'compile', phase: 'start', lang: 'CXX', target: null, object: 'b.lo', source: 'b.cpp' }],
  ['mkdir -p build', { kind: 'custom', text: 'mkdir -p build', target: null }],
  ['gcc -MM foo.c', { kind: 'custom', text: 'gcc -MM foo.c', target: null }],
  ['hello world', { kind: 'unrecognised', text: 'hello world' }],
  ['', { kind: 'tool-chatter', text: '' }],
];

function diag(
  severity: 'error' | 'warning' | 'note' | 'fatal',
  tool: 'compiler' | 'linker' | 'make' | 'ninja' | 'cmake',
  file: string | null,
  line: number | null,
  column: number | null,
  message: string,
): LineEvent {
  return { kind: 'diagnostic', diagnostic: { severity, tool, file, line, column, message } };
}

test('gnu-make: a session of hand-written lines, classified in order', () => {
  const parser = createLineParser('gnu-make');
  for (const [line, expected] of SESSION) {
    assert.deepEqual(parser.parse(line), { event: expected, progress: null }, line);
  }
});

test('gnu-make: a leave out of order keeps the remaining directory current', () => {
  const parser = createLineParser('gnu-make');
  parser.parse("make[1]: Entering directory '/p/a'");
  parser.parse("make[1]: Entering directory '/p/b/'");
  parser.parse("make[1]: Leaving directory '/p/a'");
  assert.deepEqual(parser.parse('cc -c q.c').event, { kind: 'compile', phase: 'start', lang: 'C', target: 'b', object: 'q.o', source: 'q.c' });
});

test('gnu-make: a make that runs a CMake build keeps its percent progress', () => {
  const parser = createLineParser('gnu-make');
  assert.deepEqual(parser.parse('[ 45%] Building CXX object src/packages/core/CMakeFiles/package_core.dir/foo.cc.o'), {
    event: { kind: 'compile', phase: 'start', lang: 'CXX', target: 'package_core', object: 'src/packages/core/CMakeFiles/package_core.dir/foo.cc.o', source: 'foo.cc' },
    progress: { pct: 45 },
  });
});
