import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createLineParser, parseCmakeObjectPath } from '../parse/index.js';
import type { Dialect } from '../parse/index.js';
import { DiagnosticCollector } from './diagnostic-collector.js';
import type { Diagnostic, PackageResolver } from './diagnostic.js';
import { fixture } from '../../../test/helpers/paths.js';

interface Stamped {
  atMs: number;
  text: string;
}

function readLog(name: string): Stamped[] {
  return readFileSync(fixture(name), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => ({ atMs: Number(l.slice(0, l.indexOf(' '))), text: l.slice(l.indexOf(' ') + 1) }));
}

function dialectOf(name: string): Dialect {
  return name.includes('ninja') ? 'ninja' : 'cmake-make';
}

/** What the build's compile lines say: object path -> CMake target, and the source below `<target>.dir/`. */
function resolverFromCompileLines(lines: readonly Stamped[], dialect: Dialect): PackageResolver {
  const parser = createLineParser(dialect);
  const objects = new Map<string, string>();
  for (const { text } of lines) {
    const e = parser.parse(text).event;
    const target = e.kind === 'compile' ? parseCmakeObjectPath(e.object).target : null;
    if (e.kind === 'compile' && target !== null) objects.set(e.object, target);
  }
  const endsAt = (path: string, tail: string): boolean => path === tail || path.endsWith(`/${tail}`);
  return {
    packageOfSource(path) {
      const targets = new Set<string>();
      for (const [object, target] of objects) {
        const source = parseCmakeObjectPath(object).source;
        if (source !== null && endsAt(path, source)) targets.add(target);
      }
      return targets.size === 1 ? [...targets][0]! : null;
    },
    packageOfOutput(path) {
      for (const [object, target] of objects) if (endsAt(object, path)) return target;
      return null;
    },
  };
}

function collect(name: string, keep: (s: Stamped) => boolean = () => true): DiagnosticCollector {
  const lines = readLog(name);
  const parser = createLineParser(dialectOf(name));
  const collector = new DiagnosticCollector(resolverFromCompileLines(lines, dialectOf(name)));
  for (const line of lines) {
    const parsed = parser.parse(line.text);
    if (keep(line)) collector.onLine(line.atMs, line.text, parsed);
  }
  collector.finish();
  return collector;
}

type Summary = [Diagnostic['severity'], Diagnostic['tool'], string | null, number | null, number | null, string, string | null, string, string, string];

/** severity, tool, file, line, column, message, package, category, first and last line of the block. */
function summary(d: Diagnostic): Summary {
  const lines = d.text.split('\n');
  return [d.severity, d.tool, d.file, d.line, d.column, d.message, d.package, d.category, lines[0]!, lines[lines.length - 1]!];
}

function independentCounts(name: string): { errors: number; warnings: number } {
  const texts = readLog(name).map((l) => l.text);
  const errors = texts.filter((t) => (/: (?:fatal )?error: /.test(t) && !t.startsWith('collect2')) || t.includes('undefined reference to') || t.startsWith('CMake Error'));
  return { errors: errors.length, warnings: texts.filter((t) => t.includes(': warning: ')).length };
}

const OS_CC = '/src/fail/fmt-cxx/src/os.cc';
const FMT_ERRORS: Summary[] = [
  [
    'error', 'compiler', OS_CC, 413, 5, '‘std::string’ {aka ‘class std::__cxx11::basic_string<char>’} has no member named ‘no_such_member’', 'fmt', 'undeclared',
    `${OS_CC}: In function ‘void fmt_injected::bad_member()’:`, '      |     ^~~~~~~~~~~~~~',
  ],
  [
    'error', 'compiler', '/src/fail/fmt-cxx/include/fmt/base.h', 2273, 45, '‘fmt::v12::detail::type_is_unformattable_for<fmt_injected::not_formattable, char> _’ has incomplete type',
    'fmt', 'type', 'In file included from /src/fail/fmt-cxx/include/fmt/format.h:41,', '      |                                             ^',
  ],
];

for (const name of ['fail-fmt-cxx-make-j2.log', 'fail-fmt-cxx-ninja-j2.log']) {
  test(`${name}: two C++ errors of package fmt, the header one by its include chain; no failure diagnostic`, () => {
    const c = collect(name);
    assert.deepEqual(c.diagnostics().map(summary), FMT_ERRORS);
    assert.equal(c.diagnostics()[1]!.text.split('\n').length, 10);
    assert.deepEqual([c.errorCount(), c.warningCount()], [2, 0]);
    assert.deepEqual([c.errorCount(), c.warningCount()], Object.values(independentCounts(name)));
  });
}

test('fail-fmt-cxx-make-j2: without compile lines the resolver attributes the same way', () => {
  const c = collect('fail-fmt-cxx-make-j2.log', (l) => !l.text.includes('Building'));
  assert.deepEqual(c.diagnostics().map(summary), FMT_ERRORS);
});

const V01 = '/src/fail/zstd-link/lib/legacy/zstd_v01.c';
const UNINIT = 'may be used uninitialized [-Wmaybe-uninitialized]';
const LITBP = '‘*(unsigned int *)((char *)&litbp + offsetof(blockProperties_t, blockType))’';
const PROPS = '‘*(unsigned int *)((char *)&blockProperties + offsetof(blockProperties_t, blockType))’';
const INLINED_LEAD = 'In function ‘ZSTDv01_decodeLiteralsBlock’,';

function v01Warnings(pkg: string): Summary[] {
  const w = (line: number, column: number, what: string, first: string, last: string): Summary =>
    ['warning', 'compiler', V01, line, column, `${what} ${UNINIT}`, pkg, 'warning', first, last];
  return [
    w(1850, 35, '‘dumps’', `${V01}: In function ‘ZSTD_decompressSequences’:`, '      |                 ^~~~~'),
    w(1861, 18, '‘nbSeq’', `${V01}:1861:18: warning: ‘nbSeq’ ${UNINIT}`, '      |         ^~~~~'),
    w(1850, 35, '‘dumpsLength’', `${V01}:1850:35: warning: ‘dumpsLength’ ${UNINIT}`, '      |                       ^~~~~~~~~~~'),
    w(1508, 16, '‘litbp.origSize’', INLINED_LEAD, '      |                       ^~~~~'),
    w(1496, 5, LITBP, INLINED_LEAD, '      |                       ^~~~~'),
    w(1936, 9, PROPS, `${V01}: In function ‘ZSTDv01_decompressDCtx’:`, '      |                       ^~~~~~~~~~~~~~~'),
  ];
}

function zstdLink(pkg: string, object: string, offsets: [string, string]): Summary[] {
  const relocation = "relocation against `g_injectedMissingTable' in read-only section `.text.startup'";
  const relocationLine = `/usr/bin/ld: ${object}: warning: ${relocation}`;
  const missingSymbol = "undefined reference to `ZSTD_injectedMissingSymbol'";
  const missingTable = "undefined reference to `g_injectedMissingTable'";
  const tableLine = `/usr/bin/ld: zstdcli.c:(.text.startup+${offsets[1]}): ${missingTable}`;
  return [
    ['warning', 'linker', object, null, null, relocation, pkg, 'warning', relocationLine, relocationLine],
    [
      'error', 'linker', 'zstdcli.c', null, null, missingSymbol, pkg, 'undefined-reference',
      `/usr/bin/ld: ${object}: in function \`main':`, `zstdcli.c:(.text.startup+${offsets[0]}): ${missingSymbol}`,
    ],
    // collect2's summary belongs to the link's last error, not to the warning printed between them.
    ['error', 'linker', 'zstdcli.c', null, null, missingTable, pkg, 'undefined-reference', tableLine, 'collect2: error: ld returned 1 exit status'],
    [
      'warning', 'linker', null, null, null, 'creating DT_TEXTREL in a PIE', pkg, 'warning',
      '/usr/bin/ld: warning: creating DT_TEXTREL in a PIE', '/usr/bin/ld: warning: creating DT_TEXTREL in a PIE',
    ],
  ];
}

const ZSTDCLI_OBJECT = 'CMakeFiles/%.dir/src/fail/zstd-link/programs/zstdcli.c.o';

test('fail-zstd-link-make-j2: v01 warnings once per library, both links attributed by the object they name', () => {
  const c = collect('fail-zstd-link-make-j2.log');
  assert.deepEqual(c.diagnostics().map(summary), [
    ...v01Warnings('libzstd_shared'),
    ...v01Warnings('libzstd_static'),
    ...zstdLink('zstd-frugal', ZSTDCLI_OBJECT.replace('%', 'zstd-frugal'), ['0xb89', '0xb90']),
    ...zstdLink('zstd', ZSTDCLI_OBJECT.replace('%', 'zstd'), ['0x8a', '0x91']),
  ]);
  assert.deepEqual([c.errorCount(), c.warningCount()], [4, 16]);
  assert.deepEqual([c.errorCount(), c.warningCount()], Object.values(independentCounts('fail-zstd-link-make-j2.log')));
});

test('fail-zstd-link-make-j2: a block split by another job\'s Building line keeps its note and both leads', () => {
  const litbp = collect('fail-zstd-link-make-j2.log').diagnostics()[3]!;
  assert.equal(
    litbp.text,
    [
      INLINED_LEAD,
      `    inlined from ‘ZSTD_decompressBlock’ at ${V01}:1899:17:`,
      `${V01}:1508:16: warning: ‘litbp.origSize’ ${UNINIT}`,
      ' 1508 |             if (rleSize > 0) {',
      '      |                ^',
      `${V01}: In function ‘ZSTD_decompressBlock’:`,
      `${V01}:1489:23: note: ‘litbp.origSize’ was declared here`,
      ' 1489 |     blockProperties_t litbp;',
      '      |                       ^~~~~',
    ].join('\n'),
  );
  assert.equal(litbp.atMs, 1795996663184);
});

test('fail-zstd-link-ninja-j2: the failed link after FAILED: is attributed to zstd; FAILED is not a diagnostic', () => {
  const c = collect('fail-zstd-link-ninja-j2.log');
  assert.deepEqual(c.diagnostics().map(summary), [
    ...v01Warnings('libzstd_shared'),
    ...v01Warnings('libzstd_static'),
    ...zstdLink('zstd', `programs/${ZSTDCLI_OBJECT.replace('%', 'zstd')}`, ['0x8a', '0x91']),
  ]);
  assert.deepEqual([c.errorCount(), c.warningCount()], [2, 14]);
  assert.deepEqual([c.errorCount(), c.warningCount()], Object.values(independentCounts('fail-zstd-link-ninja-j2.log')));
});

test('configure-fail-missing-libzstd: one CMake error, its block, the target it names; the generate failure is a cascade', () => {
  const c = collect('configure-fail-missing-libzstd.log');
  assert.deepEqual(c.diagnostics().map(summary), [
    [
      'error', 'cmake', null, null, null, 'The following variables are used in this project, but they are set to NOTFOUND.', 'libdriver', 'missing-library',
      'CMake Error: The following variables are used in this project, but they are set to NOTFOUND.', '    linked by target "libdriver" in directory /src/fluffos/src',
    ],
  ]);
  assert.equal(c.diagnostics()[0]!.text.split('\n')[2], 'LIBZSTD_LIBRARY');
  assert.deepEqual([c.errorCount(), c.warningCount()], [1, 0]);
  assert.deepEqual([c.errorCount(), c.warningCount()], Object.values(independentCounts('configure-fail-missing-libzstd.log')));
});

test('successful libuv builds: the test-spawn.c warning once for each of the two targets that compile it', () => {
  for (const name of ['libuv-make-j1.log', 'libuv-make-j2.log', 'libuv-ninja-j2.log']) {
    const c = collect(name);
    const spawn = '/src/libuv/test/test-spawn.c';
    const warning = (pkg: string): Summary => [
      'warning', 'compiler', spawn, 2117, 1, 'control reaches end of non-void function [-Wreturn-type]', pkg, 'warning',
      `${spawn}: In function ‘run_test_spawn_empty_command_line’:`, '      | ^',
    ];
    assert.deepEqual(c.diagnostics().map(summary), [warning('uv_run_tests'), warning('uv_run_tests_a')], name);
    assert.deepEqual([c.errorCount(), c.warningCount()], Object.values(independentCounts(name)), name);
  }
});

test('successful fmt builds: the psABI note stands alone as a warning of category note, package c-test', () => {
  for (const name of ['fmt-make-j1.log', 'fmt-make-j2.log', 'fmt-ninja-j2.log']) {
    const c = collect(name);
    assert.deepEqual(c.diagnostics().map(summary), [
      [
        'warning', 'compiler', '/src/fmt/include/fmt/fmt-c.h', 76, 1, 'the ABI of passing union with ‘long double’ has changed in GCC 4.4', 'c-test', 'note',
        'In file included from /src/fmt/test/c-test.c:8:', '      | ^~~~~~',
      ],
    ], name);
    assert.deepEqual([c.errorCount(), c.warningCount()], [0, 1], name);
  }
});
