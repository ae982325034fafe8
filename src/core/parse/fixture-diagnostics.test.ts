import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createLineParser } from './index.js';
import type { Dialect, LineEvent } from './types.js';
import { fixture } from '../../../test/helpers/paths.js';

function events(name: string, dialect: Dialect): LineEvent[] {
  const parser = createLineParser(dialect);
  return readFileSync(fixture(name), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => parser.parse(l.slice(l.indexOf(' ') + 1)).event);
}

/** Diagnostics as `severity tool file:line:column message`, to compare whole lists at a glance. */
function diagnostics(list: readonly LineEvent[]): string[] {
  return list.flatMap((e) =>
    e.kind === 'diagnostic' ? [`${e.diagnostic.severity} ${e.diagnostic.tool} ${e.diagnostic.file}:${e.diagnostic.line}:${e.diagnostic.column} ${e.diagnostic.message}`] : [],
  );
}

function failures(list: readonly LineEvent[]): LineEvent[] {
  return list.filter((e) => e.kind === 'make-error' || e.kind === 'ninja-failed' || e.kind === 'ninja-stopped');
}

const FMT_ERRORS = [
  'error compiler /src/fail/fmt-cxx/src/os.cc:413:5 ‘std::string’ {aka ‘class std::__cxx11::basic_string<char>’} has no member named ‘no_such_member’',
  'error compiler /src/fail/fmt-cxx/include/fmt/base.h:2273:45 ‘fmt::v12::detail::type_is_unformattable_for<fmt_injected::not_formattable, char> _’ has incomplete type',
];

const V01 = '/src/fail/zstd-link/lib/legacy/zstd_v01.c';
const LITBP_TYPE = '‘*(unsigned int *)((char *)&litbp + offsetof(blockProperties_t, blockType))’';
const PROPS_TYPE = '‘*(unsigned int *)((char *)&blockProperties + offsetof(blockProperties_t, blockType))’';
const ZSTD_V01_WARNINGS = [
  `warning compiler ${V01}:1850:35 ‘dumps’ may be used uninitialized [-Wmaybe-uninitialized]`,
  `note compiler ${V01}:1830:17 ‘dumps’ was declared here`,
  `warning compiler ${V01}:1861:18 ‘nbSeq’ may be used uninitialized [-Wmaybe-uninitialized]`,
  `note compiler ${V01}:1829:9 ‘nbSeq’ was declared here`,
  `warning compiler ${V01}:1850:35 ‘dumpsLength’ may be used uninitialized [-Wmaybe-uninitialized]`,
  `note compiler ${V01}:1826:23 ‘dumpsLength’ was declared here`,
  `warning compiler ${V01}:1508:16 ‘litbp.origSize’ may be used uninitialized [-Wmaybe-uninitialized]`,
  `note compiler ${V01}:1489:23 ‘litbp.origSize’ was declared here`,
  `warning compiler ${V01}:1496:5 ${LITBP_TYPE} may be used uninitialized [-Wmaybe-uninitialized]`,
  `note compiler ${V01}:1489:23 ${LITBP_TYPE} was declared here`,
  `warning compiler ${V01}:1936:9 ${PROPS_TYPE} may be used uninitialized [-Wmaybe-uninitialized]`,
  `note compiler ${V01}:1918:23 ${PROPS_TYPE} was declared here`,
];

function zstdLink(object: string): string[] {
  return [
    `warning linker ${object}:null:null relocation against \`g_injectedMissingTable' in read-only section \`.text.startup'`,
    "error linker zstdcli.c:null:null undefined reference to `ZSTD_injectedMissingSymbol'",
    "error linker zstdcli.c:null:null undefined reference to `g_injectedMissingTable'",
    'warning linker null:null:null creating DT_TEXTREL in a PIE',
    'error linker null:null:null ld returned 1 exit status',
  ];
}

test('fail-fmt-cxx-make-j2: the two C++ errors and the make failure chain', () => {
  const list = events('fail-fmt-cxx-make-j2.log', 'cmake-make');
  assert.deepEqual(diagnostics(list), FMT_ERRORS);
  assert.deepEqual(failures(list), [
    { kind: 'make-error', level: 2, target: 'CMakeFiles/fmt.dir/src/os.cc.o', makefile: 'CMakeFiles/fmt.dir/build.make', code: 1, text: 'make[2]: *** [CMakeFiles/fmt.dir/build.make:90: CMakeFiles/fmt.dir/src/os.cc.o] Error 1' },
    { kind: 'make-error', level: 2, target: null, makefile: null, code: null, text: 'make[2]: *** Waiting for unfinished jobs....' },
    { kind: 'make-error', level: 1, target: 'CMakeFiles/fmt.dir/all', makefile: 'CMakeFiles/Makefile2', code: 2, text: 'make[1]: *** [CMakeFiles/Makefile2:85: CMakeFiles/fmt.dir/all] Error 2' },
    { kind: 'make-error', level: 0, target: 'all', makefile: 'Makefile', code: 2, text: 'make: *** [Makefile:156: all] Error 2' },
  ]);
});

test('fail-fmt-cxx-ninja-j2: the same errors, FAILED with its command line, build stopped', () => {
  const list = events('fail-fmt-cxx-ninja-j2.log', 'ninja');
  assert.deepEqual(diagnostics(list), FMT_ERRORS);
  assert.deepEqual(failures(list), [
    { kind: 'ninja-failed', outputs: ['CMakeFiles/fmt.dir/src/os.cc.o'] },
    { kind: 'ninja-stopped', reason: 'subcommand failed' },
  ]);
  assert.deepEqual(list.slice(1, 4).map((e) => e.kind), ['ninja-failed', 'ninja-command', 'diagnostic-continuation']);
});

test('fail-zstd-link-make-j2: warnings, both links undefined references, failing targets from make', () => {
  const list = events('fail-zstd-link-make-j2.log', 'cmake-make');
  assert.deepEqual(diagnostics(list), [
    ...ZSTD_V01_WARNINGS,
    ...ZSTD_V01_WARNINGS,
    ...zstdLink('CMakeFiles/zstd-frugal.dir/src/fail/zstd-link/programs/zstdcli.c.o'),
    ...zstdLink('CMakeFiles/zstd.dir/src/fail/zstd-link/programs/zstdcli.c.o'),
  ]);
  const makeErrors = failures(list).map((e) => (e.kind === 'make-error' ? [e.level, e.target, e.makefile, e.code] : []));
  assert.deepEqual(makeErrors, [
    [2, 'programs/zstd-frugal', 'programs/CMakeFiles/zstd-frugal.dir/build.make', 1],
    [1, 'programs/CMakeFiles/zstd-frugal.dir/all', 'CMakeFiles/Makefile2', 2],
    [1, null, null, null],
    [2, 'programs/zstd', 'programs/CMakeFiles/zstd.dir/build.make', 1],
    [1, 'programs/CMakeFiles/zstd.dir/all', 'CMakeFiles/Makefile2', 2],
    [0, 'all', 'Makefile', 2],
  ]);
});

test('fail-zstd-link-ninja-j2: undefined references and the failing output from FAILED:', () => {
  const list = events('fail-zstd-link-ninja-j2.log', 'ninja');
  assert.deepEqual(diagnostics(list), [
    ...ZSTD_V01_WARNINGS,
    ...ZSTD_V01_WARNINGS,
    ...zstdLink('programs/CMakeFiles/zstd.dir/src/fail/zstd-link/programs/zstdcli.c.o'),
  ]);
  assert.deepEqual(failures(list), [
    { kind: 'ninja-failed', outputs: ['programs/zstd'] },
    { kind: 'ninja-stopped', reason: 'subcommand failed' },
  ]);
  const failedAt = list.findIndex((e) => e.kind === 'ninja-failed');
  assert.deepEqual(list.slice(failedAt - 1, failedAt + 4).map((e) => e.kind), ['link', 'ninja-failed', 'ninja-command', 'diagnostic', 'diagnostic-continuation']);
});

test('configure-fail-missing-libzstd: the CMake error with its block, then the generate failure', () => {
  const list = events('configure-fail-missing-libzstd.log', 'cmake-make');
  assert.deepEqual(diagnostics(list), [
    'error cmake null:null:null The following variables are used in this project, but they are set to NOTFOUND.',
    'error cmake null:null:null CMake Generate step failed.  Build files cannot be regenerated correctly.',
  ]);
  const at = list.findIndex((e) => e.kind === 'diagnostic');
  assert.deepEqual(list.slice(at, at + 7).map((e) => e.kind), [
    'diagnostic', 'diagnostic-continuation', 'diagnostic-continuation', 'diagnostic-continuation', 'diagnostic-continuation', 'tool-chatter', 'diagnostic',
  ]);
});

test('successful builds: libuv warnings and the fmt ABI note', () => {
  const spawnWarning = 'warning compiler /src/libuv/test/test-spawn.c:2117:1 control reaches end of non-void function [-Wreturn-type]';
  assert.deepEqual(diagnostics(events('libuv-make-j2.log', 'cmake-make')), [spawnWarning, spawnWarning]);
  assert.deepEqual(diagnostics(events('libuv-ninja-j2.log', 'ninja')), [spawnWarning, spawnWarning]);
  assert.deepEqual(diagnostics(events('fmt-make-j1.log', 'cmake-make')), [
    'note compiler /src/fmt/include/fmt/fmt-c.h:76:1 the ABI of passing union with ‘long double’ has changed in GCC 4.4',
  ]);
});
