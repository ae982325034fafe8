import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLineParser } from '../parse/index.js';
import type { Dialect } from '../parse/index.js';
import { DiagnosticCollector } from './diagnostic-collector.js';
import type { Diagnostic, DiagnosticCollectorOptions, PackageResolver } from './diagnostic.js';

const NOTHING_KNOWN: PackageResolver = { packageOfSource: () => null, packageOfOutput: () => null };

function resolverOf(sources: Record<string, string>, outputs: Record<string, string> = {}): PackageResolver {
  return { packageOfSource: (p) => sources[p] ?? null, packageOfOutput: (p) => outputs[p] ?? null };
}

/** Feeds the lines one millisecond apart from t=1000, as a build of this dialect printed them. */
function feed(dialect: Dialect, lines: readonly string[], resolver = NOTHING_KNOWN, options?: DiagnosticCollectorOptions): DiagnosticCollector {
  const parser = createLineParser(dialect);
  const c = new DiagnosticCollector(resolver, options);
  lines.forEach((text, i) => c.onLine(1000 + i, text, parser.parse(text)));
  c.finish();
  return c;
}

type Brief = [Diagnostic['severity'], Diagnostic['tool'], string | null, number | null, string, string | null, string];

function brief(d: Diagnostic): Brief {
  return [d.severity, d.tool, d.file, d.line, d.message, d.package, d.category];
}

test('two jobs under -j: each block goes to the package of its own path, around other jobs\' Building lines', () => {
  const lines = [
    '[ 10%] Building C object src/a/CMakeFiles/pa.dir/a.c.o',
    '[ 20%] Building C object src/b/CMakeFiles/pb.dir/b.c.o',
    '/p/src/a/a.c: In function ‘f’:',
    '/p/src/a/a.c:3:5: error: ‘x’ undeclared (first use in this function)',
    '    3 |   x = 1;',
    '      |   ^',
    '[ 30%] Building C object src/c/CMakeFiles/pc.dir/c.c.o',
    '/p/src/a/a.c:3:5: note: each undeclared identifier is reported only once for each function it appears in',
    '[ 40%] Building C object src/c/CMakeFiles/pc.dir/d.c.o',
    '/p/src/b/b.c: In function ‘g’:',
    '/p/src/b/b.c:7:1: warning: control reaches end of non-void function [-Wreturn-type]',
    '    7 | }',
    '      | ^',
    'make[2]: *** [src/a/CMakeFiles/pa.dir/build.make:76: src/a/CMakeFiles/pa.dir/a.c.o] Error 1',
    'make[2]: *** Waiting for unfinished jobs....',
    'make[1]: *** [CMakeFiles/Makefile2:100: src/a/CMakeFiles/pa.dir/all] Error 2',
    'make: *** [Makefile:91: all] Error 2',
  ];
  const c = feed('cmake-make', lines);
  const list = c.diagnostics();
  assert.deepEqual(list.map(brief), [
    ['error', 'compiler', '/p/src/a/a.c', 3, '‘x’ undeclared (first use in this function)', 'pa', 'undeclared'],
    ['warning', 'compiler', '/p/src/b/b.c', 7, 'control reaches end of non-void function [-Wreturn-type]', 'pb', 'warning'],
  ]);
  assert.equal(list[0]!.text, [lines[2], lines[3], lines[4], lines[5], lines[7]].join('\n'));
  assert.equal(list[1]!.text, lines.slice(9, 13).join('\n'));
  assert.deepEqual([list[0]!.atMs, list[1]!.atMs], [1002, 1009]);
  assert.deepEqual([c.errorCount(), c.warningCount()], [1, 1]);
});

test('a header error belongs to the translation unit at the top of its include chain; without one, to the header', () => {
  const resolver = resolverOf({ '/p/src/packages/core/util.h': 'package_core', '/p/src/packages/net/net.cc': 'package_net' });
  const chained = [
    'In file included from /p/src/packages/core/core.h:3,',
    '                 from /p/src/packages/net/net.cc:1:',
    '/p/src/packages/core/util.h:10:3: error: expected ‘;’ before ‘}’ token',
    '   10 |   int x',
    '      |        ^',
    '      |        ;',
    '/p/src/packages/core/util.h:12:1: error: ‘y’ does not name a type',
    '   12 | y z;',
    '      | ^',
  ];
  const c = feed('ninja', chained, resolver);
  assert.deepEqual(c.diagnostics().map(brief), [
    ['error', 'compiler', '/p/src/packages/core/util.h', 10, 'expected ‘;’ before ‘}’ token', 'package_net', 'syntax'],
    ['error', 'compiler', '/p/src/packages/core/util.h', 12, '‘y’ does not name a type', 'package_net', 'undeclared'],
  ]);
  assert.equal(c.diagnostics()[0]!.text, chained.slice(0, 6).join('\n'));
  const alone = feed('ninja', chained.slice(6), resolver);
  assert.deepEqual(alone.diagnostics().map((d) => d.package), ['package_core']);
});

test('notes join the diagnostic before them; a note with none before stands alone as a warning of category note', () => {
  const lines = [
    '/p/a.cc:4:6: error: redefinition of ‘void f()’',
    '/p/a.cc:3:6: note: ‘void f()’ previously defined here',
    '    3 | void f() {}',
    '      |      ^',
    '[5/9] Building CXX object CMakeFiles/app.dir/b.cc.o',
    '/p/b.cc:1:1: note: the ABI of passing union with ‘long double’ has changed in GCC 4.4',
  ];
  const c = feed('ninja', lines);
  assert.deepEqual(c.diagnostics().map(brief), [
    ['error', 'compiler', '/p/a.cc', 4, 'redefinition of ‘void f()’', null, 'redefinition'],
    ['warning', 'compiler', '/p/b.cc', 1, 'the ABI of passing union with ‘long double’ has changed in GCC 4.4', 'app', 'note'],
  ]);
  assert.equal(c.diagnostics()[0]!.text, lines.slice(0, 4).join('\n'));
  assert.deepEqual([c.errorCount(), c.warningCount()], [1, 1]);
});

test('garbage, orphan continuations and odd bytes make no diagnostics and never throw', () => {
  const garbage = [
    '', '   ', '\u0000\u0001\u00ff\ufffd binary', '      |   ^', 'compilation terminated.', '                 from x.h:3:',
    ':::::', '0: 1: 2:', 'In function', '\x1b[31mred\x1b[0m', '\r\r\r', 'ninja: build stopped: subcommand failed.',
    'make: *** [Makefile:1: all] Error 2', 'make[3]: *** Waiting for unfinished jobs....', '\ud800 lone surrogate',
  ];
  for (const dialect of ['cmake-make', 'ninja', 'gnu-make'] as const) {
    const c = feed(dialect, garbage);
    assert.deepEqual([c.diagnostics(), c.errorCount(), c.warningCount()], [[], 0, 0], dialect);
  }
});

test('a 1 MB line is cut to the block bound, with a mark, quickly', () => {
  const huge = 'y'.repeat(1_000_000);
  const started = process.hrtime.bigint();
  const c = feed('ninja', ['/p/a.c:1:1: error: expected expression', `    1 | ${huge}`, '      | ^'], NOTHING_KNOWN, { maxBlockChars: 1000 });
  const [d] = c.diagnostics();
  assert.equal(d!.text.length, 1000);
  assert.ok(d!.text.startsWith('/p/a.c:1:1: error: expected expression\n    1 | yyy'));
  assert.ok(d!.text.endsWith('y…'));
  const long = feed('cmake-make', [`/p/a.c:1:1: error: ${huge}`], NOTHING_KNOWN, { maxBlockChars: 1000 }).diagnostics()[0]!;
  assert.deepEqual([long.message.length, long.text.length, long.message.endsWith('…')], [1000, 1000, true]);
  const step = feed('ninja', ['FAILED: gen.h', `python3 gen.py ${huge}`, 'ninja: build stopped: subcommand failed.']).diagnostics()[0]!;
  assert.deepEqual([step.category, step.text.length], ['build-step-failed', 16 * 1024]);
  assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 2000);
});

test('a make failure that an error explains adds nothing; an unexplained one becomes build-step-failed; cascades never', () => {
  const noRule = feed('cmake-make', [
    "make[2]: *** No rule to make target '/p/src/missing.h', needed by 'src/CMakeFiles/app.dir/main.c.o'.  Stop.",
    'make[1]: *** [CMakeFiles/Makefile2:83: src/CMakeFiles/app.dir/all] Error 2',
    'make: *** [Makefile:91: all] Error 2',
  ]);
  assert.deepEqual(noRule.diagnostics().map(brief), [
    ['error', 'make', null, null, "No rule to make target '/p/src/missing.h', needed by 'src/CMakeFiles/app.dir/main.c.o'.  Stop.", 'app', 'missing-rule'],
  ]);
  const silent = feed('cmake-make', [
    '[ 10%] Generating version.h',
    'make[2]: *** [src/CMakeFiles/gen.dir/build.make:70: src/version.h] Error 1',
    'make[1]: *** [CMakeFiles/Makefile2:120: src/CMakeFiles/gen.dir/all] Error 2',
    'make[1]: *** Waiting for unfinished jobs....',
    'make: *** [Makefile:91: all] Error 2',
  ]);
  assert.deepEqual(silent.diagnostics().map(brief), [['error', 'make', null, null, 'src/version.h failed: Error 1', 'gen', 'build-step-failed']]);
  assert.equal(silent.diagnostics()[0]!.text, 'make[2]: *** [src/CMakeFiles/gen.dir/build.make:70: src/version.h] Error 1');
  const ninja = feed('ninja', [
    '[1/3] Generating version.h',
    'FAILED: src/version.h ',
    'cd /p/build/src && /usr/bin/python3 gen.py',
    'Traceback (most recent call last):',
    'ninja: build stopped: subcommand failed.',
  ], resolverOf({}, { 'src/version.h': 'gen' }));
  assert.deepEqual(ninja.diagnostics().map(brief), [['error', 'ninja', null, null, 'src/version.h failed', 'gen', 'build-step-failed']]);
  assert.equal(ninja.diagnostics()[0]!.text, ['FAILED: src/version.h ', 'cd /p/build/src && /usr/bin/python3 gen.py', 'Traceback (most recent call last):'].join('\n'));
  assert.equal(ninja.diagnostics()[0]!.atMs, 1001);
});

test('linker errors that name no object take the package of the make failure after them or the FAILED before them', () => {
  const link = (exe: string): string[] => [
    `[ 90%] Linking C executable ${exe}`,
    '/usr/bin/ld: cannot find -lfoo: No such file or directory',
    'collect2: error: ld returned 1 exit status',
    `make[2]: *** [src/CMakeFiles/${exe}.dir/build.make:97: src/${exe}] Error 1`,
  ];
  const make = feed('cmake-make', [...link('app'), ...link('tool'), 'make: *** [Makefile:91: all] Error 2']);
  const missing = (pkg: string): Brief => ['error', 'linker', null, null, 'cannot find -lfoo: No such file or directory', pkg, 'missing-library'];
  assert.deepEqual(make.diagnostics().map(brief), [missing('app'), missing('tool')]);
  assert.equal(make.diagnostics()[0]!.text, link('app').slice(1, 3).join('\n'));
  assert.equal(make.errorCount(), 2);
  const ninja = feed('ninja', [
    '[7/9] Linking C executable src/app',
    'FAILED: src/app ',
    ': && /usr/bin/cc src/CMakeFiles/app.dir/main.c.o -o src/app -lfoo && :',
    '/usr/bin/ld: cannot find -lfoo: No such file or directory',
    'collect2: error: ld returned 1 exit status',
    'ninja: build stopped: subcommand failed.',
  ], resolverOf({}, { 'src/app': 'app' }));
  assert.deepEqual(ninja.diagnostics().map(brief), [missing('app')]);
  const bare = feed('cmake-make', ['collect2: error: ld returned 1 exit status', 'make[2]: *** [CMakeFiles/x.dir/build.make:9: x] Error 1']);
  assert.deepEqual(bare.diagnostics().map(brief), [['error', 'linker', null, null, 'ld returned 1 exit status', 'x', 'link-failed']]);
});

test('the exact same diagnostic twice is kept once; one source compiled by two targets keeps one each', () => {
  const error = ['/p/t.h:2:3: error: static assertion failed: no', '    2 |   static_assert(false, "no");', '      |   ^~~~~~~~~~~~~'];
  const twice = feed('ninja', ['[1/4] Building CXX object CMakeFiles/x.dir/a.cc.o', 'In file included from /p/a.cc:1:', ...error, 'In file included from /p/a.cc:1:', ...error]);
  assert.deepEqual([twice.diagnostics().length, twice.errorCount()], [1, 1]);
  const compile = (target: string): string => `[ 50%] Building CXX object CMakeFiles/${target}.dir/a.cc.o`;
  const both = feed('cmake-make', [compile('x'), compile('y'), 'In file included from /p/a.cc:1:', ...error, 'In file included from /p/a.cc:1:', ...error]);
  assert.deepEqual(both.diagnostics().map((d) => [d.package, d.category]), [['x', 'static-assert'], ['y', 'static-assert']]);
  assert.equal(both.errorCount(), 2);
});

test('bounded: only maxDiagnostics are kept, the counts stay exact', () => {
  const lines = [1, 2, 3, 4, 5].map((n) => `/p/a.c:${n}:1: warning: unused variable ‘v${n}’ [-Wunused-variable]`);
  const c = feed('ninja', lines, NOTHING_KNOWN, { maxDiagnostics: 3 });
  assert.deepEqual(c.diagnostics().map((d) => d.line), [1, 2, 3]);
  assert.equal(c.warningCount(), 5);
});

test('a resolver that throws costs the attribution, never the collector', () => {
  const throwing: PackageResolver = {
    packageOfSource: () => {
      throw new Error('broken');
    },
    packageOfOutput: () => {
      throw new Error('broken');
    },
  };
  const c = feed('ninja', ['FAILED: CMakeFiles/x.dir/a.c.o ', 'cc -c a.c', '/p/a.c:1:1: error: expected expression'], throwing);
  assert.deepEqual(c.diagnostics().map(brief), [['error', 'compiler', '/p/a.c', 1, 'expected expression', 'x', 'syntax']]);
});

test('CMake Error and Warning blocks are one diagnostic each, with their file and line', () => {
  const c = feed('cmake-make', [
    'CMake Warning (dev) at CMakeLists.txt:3 (project):',
    '  Policy CMP0048 is not set: project() command manages VERSION variables.',
    '',
    'CMake Error at src/CMakeLists.txt:12 (find_package):',
    '  Could not find a package configuration file provided by "Foo" with any of',
    '  the following names:',
    '',
    '    FooConfig.cmake',
    '',
    '-- Configuring incomplete, errors occurred!',
  ]);
  assert.deepEqual(c.diagnostics().map(brief), [
    ['warning', 'cmake', 'CMakeLists.txt', 3, 'CMake Warning (dev) at CMakeLists.txt:3 (project)', null, 'warning'],
    ['error', 'cmake', 'src/CMakeLists.txt', 12, 'CMake Error at src/CMakeLists.txt:12 (find_package)', null, 'missing-package'],
  ]);
  assert.equal(c.diagnostics()[1]!.text.split('\n').length, 5);
});
