import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLineParser, parseCmakeObjectPath } from './index.js';
import type { ParsedLine } from './types.js';

test('cmake-make: status lines, scans, custom-command comments and tool chatter', () => {
  const parser = createLineParser('cmake-make');
  const cases: Array<[string, ParsedLine]> = [
    ['Scanning dependencies of target package_core', { event: { kind: 'scan', target: 'package_core' }, progress: null }],
    ['Consolidate compiler generated dependencies of target fmt', { event: { kind: 'scan', target: 'fmt' }, progress: null }],
    ['[ 12%] [BISON][MakeFunc] Building parser with bison 3.8.2', { event: { kind: 'custom', text: '[BISON][MakeFunc] Building parser with bison 3.8.2', target: null }, progress: { pct: 12 } }],
    ['[BISON][MakeFunc] Building parser with bison 3.8.2', { event: { kind: 'custom', text: '[BISON][MakeFunc] Building parser with bison 3.8.2', target: null }, progress: null }],
    ['[ 13%] Generating packages.autogen.h', { event: { kind: 'custom', text: 'Generating packages.autogen.h', target: null }, progress: { pct: 13 } }],
    ['Copying and sanitizing include/x.h', { event: { kind: 'custom', text: 'Copying and sanitizing include/x.h', target: null }, progress: null }],
    ['Adding search directory /src/fluffos/src', { event: { kind: 'tool-chatter', text: 'Adding search directory /src/fluffos/src' }, progress: null }],
    ['Generate Success!', { event: { kind: 'tool-chatter', text: 'Generate Success!' }, progress: null }],
    ['time limit exceeded: 6.000000', { event: { kind: 'tool-chatter', text: 'time limit exceeded: 6.000000' }, progress: null }],
    ['[100%] Built target driver', { event: { kind: 'target-built', target: 'driver' }, progress: { pct: 100 } }],
    ['[  7%] Linking CXX shared module plugin.so', { event: { kind: 'link', phase: 'start', artifact: 'module', output: 'plugin.so', target: null }, progress: { pct: 7 } }],
    ['[ 50%] Building Fortran object CMakeFiles/f.dir/a.f90.o', { event: { kind: 'compile', phase: 'start', lang: 'other', target: 'f', object: 'CMakeFiles/f.dir/a.f90.o', source: 'a.f90' }, progress: { pct: 50 } }],
    ['[ 51%] Building ASM_NASM object CMakeFiles/n.dir/x.asm.o', { event: { kind: 'compile', phase: 'start', lang: 'ASM', target: 'n', object: 'CMakeFiles/n.dir/x.asm.o', source: 'x.asm' }, progress: { pct: 51 } }],
    ['[1234%] not a percent', { event: { kind: 'unrecognised', text: '[1234%] not a percent' }, progress: null }],
  ];
  for (const [line, expected] of cases) assert.deepEqual(parser.parse(line), expected, line);
});

test('CMake object paths: target, source (absolute sources lose their leading slash), and anything else', () => {
  assert.deepEqual(parseCmakeObjectPath('src/packages/core/CMakeFiles/package_core.dir/foo.cc.o'), { target: 'package_core', source: 'foo.cc' });
  assert.deepEqual(parseCmakeObjectPath('lib/CMakeFiles/libzstd_static.dir/src/zstd/lib/common/debug.c.o'), { target: 'libzstd_static', source: 'src/zstd/lib/common/debug.c' });
  assert.deepEqual(parseCmakeObjectPath('CMakeFiles/app.dir/cmake_pch.hxx.gch'), { target: 'app', source: 'cmake_pch.hxx' });
  assert.deepEqual(parseCmakeObjectPath('programs/CMakeFiles/zstd-frugal.dir/build.make'), { target: 'zstd-frugal', source: 'build.make' });
  assert.deepEqual(parseCmakeObjectPath('obj/foo.o'), { target: null, source: null });
  assert.deepEqual(parseCmakeObjectPath('CMakeFiles/notatarget/x.o'), { target: null, source: null });
});
