import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLineParser } from './index.js';
import type { DiagnosticStart, LineEvent } from './types.js';

const CONT: LineEvent = { kind: 'diagnostic-continuation' };

function d(severity: DiagnosticStart['severity'], tool: DiagnosticStart['tool'], file: string | null, line: number | null, column: number | null, message: string): LineEvent {
  return { kind: 'diagnostic', diagnostic: { severity, tool, file, line, column, message } };
}

function chatter(text: string): LineEvent {
  return { kind: 'tool-chatter', text };
}

/** Blocks of hand-written lines in the shapes gcc 12, clang, GNU ld, lld and CMake print; each block runs through one parser. */
const BLOCKS: ReadonlyArray<{ name: string; lines: ReadonlyArray<[string, LineEvent]> }> = [
  {
    name: 'gcc include chain, scopes, template chain, fix-it',
    lines: [
      ['In file included from /usr/include/stdio.h:27,', CONT],
      ['                 from a.c:1:', CONT],
      ['a.h: In function ‘f’:', CONT],
      ['a.h:4:12: error: ‘x’ undeclared (first use in this function)', d('error', 'compiler', 'a.h', 4, 12, '‘x’ undeclared (first use in this function)')],
      ['    4 |     return x;', CONT],
      ['      |            ^', CONT],
      ['  +++ |+#include <cstdint>', CONT],
      ['a.cc: At global scope:', CONT],
      ['a.cc:5:3:   required from here', CONT],
      ['a.c:12: warning: no column here', d('warning', 'compiler', 'a.c', 12, null, 'no column here')],
      ['a.c:1:10: fatal error: foo.h: No such file or directory', d('fatal', 'compiler', 'a.c', 1, 10, 'foo.h: No such file or directory')],
      ['compilation terminated.', CONT],
      ['cc1plus: note: unrecognized command-line option ‘-Wno-foo’ may have been intended to silence earlier diagnostics', d('note', 'compiler', null, null, null, 'unrecognized command-line option ‘-Wno-foo’ may have been intended to silence earlier diagnostics')],
      ['cc1: warning: command-line option ‘-Wstrict-prototypes’ is valid for C/ObjC but not for C++', d('warning', 'compiler', null, null, null, 'command-line option ‘-Wstrict-prototypes’ is valid for C/ObjC but not for C++')],
      ['cc1: all warnings being treated as errors', CONT],
      ['gcc: fatal error: no input files', d('fatal', 'compiler', null, null, null, 'no input files')],
      ['/tmp/ccX.s: Assembler messages:', CONT],
      ['/tmp/ccX.s:12: Error: no such instruction: `foo\'', d('error', 'compiler', '/tmp/ccX.s', 12, null, 'no such instruction: `foo\'')],
    ],
  },
  {
    name: 'clang source excerpt without bars',
    lines: [
      ["a.c:3:5: error: use of undeclared identifier 'x'", d('error', 'compiler', 'a.c', 3, 5, "use of undeclared identifier 'x'")],
      ['    foo(x);', CONT],
      ['        ^', CONT],
      ['1 error generated.', chatter('1 error generated.')],
      ['    not part of anything', { kind: 'unrecognised', text: '    not part of anything' }],
      ['clang: error: linker command failed with exit code 1 (use -v to see invocation)', d('error', 'linker', null, null, null, 'linker command failed with exit code 1 (use -v to see invocation)')],
    ],
  },
  {
    name: 'GNU ld and lld',
    lines: [
      ['/usr/bin/ld: cannot find -lfoo: No such file or directory', d('error', 'linker', null, null, null, 'cannot find -lfoo: No such file or directory')],
      ["/usr/bin/ld: a.o: in function `main':", CONT],
      ["/src/a.c:12: undefined reference to `foo'", d('error', 'linker', '/src/a.c', 12, null, "undefined reference to `foo'")],
      ["/usr/bin/ld: b.o:(.bss+0x0): multiple definition of `counter'; a.o:(.bss+0x0): first defined here", d('error', 'linker', 'b.o', null, null, "multiple definition of `counter'; a.o:(.bss+0x0): first defined here")],
      ["/usr/bin/ld: /src/b.c:4: multiple definition of `g'; /src/a.c:4: first defined here", d('error', 'linker', '/src/b.c', 4, null, "multiple definition of `g'; /src/a.c:4: first defined here")],
      ["/usr/bin/ld: zstdcli.c:(.text+0x12): undefined reference to `x'", d('error', 'linker', 'zstdcli.c', null, null, "undefined reference to `x'")],
      ["/usr/bin/ld: zstdcli.c:(.text+0x40): more undefined references to `x' follow", CONT],
      ['collect2: error: ld returned 1 exit status', d('error', 'linker', null, null, null, 'ld returned 1 exit status')],
      ['ld.lld: error: undefined symbol: foo', d('error', 'linker', null, null, null, 'undefined symbol: foo')],
      ['>>> referenced by a.c:3 (a.c:3)', CONT],
      ['/usr/bin/ld.gold: warning: hidden symbol', d('warning', 'linker', null, null, null, 'hidden symbol')],
    ],
  },
  {
    name: 'CMake error with call stack, then a warning with a gap inside',
    lines: [
      ['CMake Error at CMakeLists.txt:12 (message):', d('error', 'cmake', 'CMakeLists.txt', 12, null, 'CMake Error at CMakeLists.txt:12 (message)')],
      ['  Something failed', CONT],
      ['Call Stack (most recent call first):', CONT],
      ['  CMakeLists.txt:20 (include)', CONT],
      ['', CONT],
      ['', CONT],
      ['-- Configuring incomplete, errors occurred!', chatter('-- Configuring incomplete, errors occurred!')],
      ['CMake Warning (dev) at src/CMakeLists.txt:3 (project):', d('warning', 'cmake', 'src/CMakeLists.txt', 3, null, 'CMake Warning (dev) at src/CMakeLists.txt:3 (project)')],
      ['  Policy CMP0048 is not set.', CONT],
      ['This warning is for project developers.  Use -Wno-dev to suppress it.', CONT],
      ['', CONT],
      ['CMake Warning:', d('warning', 'cmake', null, null, null, 'CMake Warning')],
      ['  Manually-specified variables were not used by the project:', CONT],
      ['', CONT],
      ['    FOO', CONT],
      ['', CONT],
      ['-- Build files have been written to: /b', chatter('-- Build files have been written to: /b')],
      ['CMake Error in src/CMakeLists.txt:', d('error', 'cmake', 'src/CMakeLists.txt', null, null, 'CMake Error in src/CMakeLists.txt')],
      ['  Target "x" links to itself.', CONT],
      ['', CONT],
      ['Plain text after the block', { kind: 'unrecognised', text: 'Plain text after the block' }],
    ],
  },
];

for (const dialect of ['cmake-make', 'ninja', 'gnu-make'] as const) {
  for (const block of BLOCKS) {
    test(`${dialect}: ${block.name}`, () => {
      const parser = createLineParser(dialect);
      for (const [line, expected] of block.lines) assert.deepEqual(parser.parse(line).event, expected, line);
    });
  }
}

test('a coloured gcc diagnostic is read as the plain one', () => {
  const parser = createLineParser('ninja');
  const coloured = '\x1b[01m\x1b[Ka.c:1:2:\x1b[m\x1b[K \x1b[01;31m\x1b[Kerror: \x1b[m\x1b[Kboom';
  assert.deepEqual(parser.parse(coloured).event, d('error', 'compiler', 'a.c', 1, 2, 'boom'));
});
