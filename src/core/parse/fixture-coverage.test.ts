import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createLineParser, detectDialect } from './index.js';
import type { Dialect, LineEvent, ParsedLine } from './types.js';
import { FIXTURES_DIR, fixture } from '../../../test/helpers/paths.js';

interface FixtureLog {
  command: string;
  lines: string[];
}

function readFixtureLog(name: string): FixtureLog {
  const raw = readFileSync(fixture(name), 'utf8').split('\n');
  if (raw[raw.length - 1] === '') raw.pop();
  const command = raw.find((l) => l.startsWith('# command: '))?.slice(11) ?? '';
  const lines = raw.filter((l) => !l.startsWith('#')).map((l) => l.slice(l.indexOf(' ') + 1));
  return { command, lines };
}

function dialectOf(log: FixtureLog): Dialect {
  const argv = log.command.split(' ');
  const tool = argv[0] === 'make' || argv[0] === 'ninja' || argv[0] === 'cmake' ? argv[0] : 'unknown';
  const generator = log.command.includes('-G Unix Makefiles') ? 'make' : log.command.includes('-G Ninja') ? 'ninja' : null;
  return detectDialect({ tool, cmakeGenerator: generator }, log.lines.slice(0, 50));
}

function parseAll(name: string): { dialect: Dialect; lines: string[]; parsed: ParsedLine[] } {
  const log = readFixtureLog(name);
  const dialect = dialectOf(log);
  const parser = createLineParser(dialect);
  return { dialect, lines: log.lines, parsed: log.lines.map((l) => parser.parse(l)) };
}

function kindCounts(parsed: readonly ParsedLine[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of parsed) counts[p.event.kind] = (counts[p.event.kind] ?? 0) + 1;
  return counts;
}

const EXPECTED: Record<string, { dialect: Dialect; kinds: Record<string, number>; lastProgress: ParsedLine['progress'] }> = {
  'configure-fail-missing-libzstd.log': {
    dialect: 'cmake-make',
    kinds: { 'tool-chatter': 738, unrecognised: 20, diagnostic: 2, 'diagnostic-continuation': 4 },
    lastProgress: null,
  },
  'fail-fmt-cxx-make-j2.log': {
    dialect: 'cmake-make',
    kinds: { compile: 2, 'diagnostic-continuation': 12, diagnostic: 2, 'make-error': 4 },
    lastProgress: { pct: 40 },
  },
  'fail-fmt-cxx-ninja-j2.log': {
    dialect: 'ninja',
    kinds: { compile: 2, 'ninja-failed': 1, 'ninja-command': 1, 'diagnostic-continuation': 12, diagnostic: 2, 'ninja-stopped': 1 },
    lastProgress: { done: 2, total: 5 },
  },
  'fail-zstd-link-make-j2.log': {
    dialect: 'cmake-make',
    kinds: { compile: 92, 'diagnostic-continuation': 66, diagnostic: 34, link: 4, 'target-built': 7, custom: 5, 'make-error': 6 },
    lastProgress: { pct: 98 },
  },
  'fail-zstd-link-ninja-j2.log': {
    dialect: 'ninja',
    kinds: { compile: 88, 'diagnostic-continuation': 65, diagnostic: 29, link: 3, custom: 1, 'ninja-failed': 1, 'ninja-command': 1, 'ninja-stopped': 1 },
    lastProgress: { done: 92, total: 105 },
  },
  'fmt-make-j1.log': { dialect: 'cmake-make', kinds: { compile: 51, link: 26, 'target-built': 26, 'diagnostic-continuation': 4, diagnostic: 1 }, lastProgress: { pct: 100 } },
  'fmt-make-j2.log': { dialect: 'cmake-make', kinds: { compile: 51, link: 26, 'target-built': 26, 'diagnostic-continuation': 4, diagnostic: 1 }, lastProgress: { pct: 100 } },
  'fmt-ninja-j2.log': { dialect: 'ninja', kinds: { compile: 51, link: 26, 'diagnostic-continuation': 4, diagnostic: 1 }, lastProgress: { done: 77, total: 77 } },
  'libuv-make-j1.log': { dialect: 'cmake-make', kinds: { compile: 463, link: 5, 'target-built': 5, 'diagnostic-continuation': 6, diagnostic: 2 }, lastProgress: { pct: 100 } },
  'libuv-make-j2.log': { dialect: 'cmake-make', kinds: { compile: 463, link: 5, 'target-built': 5, 'diagnostic-continuation': 6, diagnostic: 2 }, lastProgress: { pct: 100 } },
  'libuv-ninja-j2.log': { dialect: 'ninja', kinds: { compile: 463, link: 5, custom: 1, 'diagnostic-continuation': 6, diagnostic: 2 }, lastProgress: { done: 469, total: 469 } },
};

/** Lines of the failed FluffOS configure that are the project's own message() output or a probe's stderr. */
const CONFIGURE_NOISE = [
  'FluffOS 20260820-dd2a3a14-1e74a758 (Debug)',
  "  C: '/usr/bin/cc' (GNU 12.2.0)",
  "  CXX: '/usr/bin/c++' (GNU 12.2.0)",
  "Building on: 'Linux-6.18.44-fc-v857' for 'Linux-6.18.44-fc-v857'",
  'Installing to /src/fluffos/build-make-j2',
  'Git commit hash: v2026.0801.0-21-g1e74a758',
  'zlib/miniz include dirs: /usr/include',
  'zlib/miniz libraries: /usr/lib/x86_64-linux-gnu/libz.so',
  'Compiling with SSL support',
  'OpenSSL include dir: /usr/include',
  'OpenSSL libraries: /usr/lib/x86_64-linux-gnu/libssl.so;/usr/lib/x86_64-linux-gnu/libcrypto.so',
  'Searching for OpenSSL executable and dlls',
  'OpenSSL executable: /usr/bin/openssl',
  ' GENCERTS = 0',
  'libevent include dir: /src/fluffos/src/thirdparty/libevent/include;/src/fluffos/build-make-j2/src/thirdparty/libevent/include',
  'libevent libraries: event_core_static',
  'DIR /src/fluffos/build-make-j2/src/thirdparty/libwebsockets CMP /src/fluffos/src/thirdparty/libwebsockets/cmake',
  "/usr/bin/mariadb_config: unrecognized option '--cxxflags'",
  'Configuration for target libdriver',
  'Configuration for target driver',
];

test('every fixture log is covered by the expectations', () => {
  const logs = readdirSync(FIXTURES_DIR).filter((f) => f.endsWith('.log')).sort();
  assert.deepEqual(logs, Object.keys(EXPECTED).sort());
});

for (const [name, expected] of Object.entries(EXPECTED)) {
  test(`${name}: dialect, event kinds and final progress`, () => {
    const { dialect, parsed } = parseAll(name);
    assert.equal(dialect, expected.dialect);
    assert.deepEqual(kindCounts(parsed), expected.kinds);
    const progress = parsed.filter((p) => p.progress !== null).map((p) => p.progress);
    assert.deepEqual(progress[progress.length - 1] ?? null, expected.lastProgress);
  });

  test(`${name}: no meaningful line is unrecognised`, () => {
    const unrecognised = parseAll(name).parsed.flatMap((p) => (p.event.kind === 'unrecognised' ? [p.event.text] : []));
    assert.deepEqual(unrecognised, name.startsWith('configure-') ? CONFIGURE_NOISE : []);
  });

  test(`${name}: compile events per CMake target match an independent count`, () => {
    const { dialect, lines, parsed } = parseAll(name);
    const independent: Record<string, number> = {};
    for (const line of lines) {
      if (!line.includes('Building ') || !line.includes(' object ')) continue;
      const target = line.split(' object ')[1]!.split('CMakeFiles/')[1]!.split('.dir/')[0]!;
      independent[target] = (independent[target] ?? 0) + 1;
    }
    const fromParser: Record<string, number> = {};
    for (const { event } of parsed) {
      if (event.kind !== 'compile') continue;
      assert.equal(event.phase, dialect === 'ninja' ? 'end' : 'start');
      const key = event.target ?? '(none)';
      fromParser[key] = (fromParser[key] ?? 0) + 1;
    }
    assert.deepEqual(fromParser, independent);
  });
}

test('compile events carry the object, target and source CMake names', () => {
  const compiles = parseAll('fail-zstd-link-make-j2.log').parsed.flatMap((p) => (p.event.kind === 'compile' ? [p.event] : []));
  const expected: LineEvent[] = [
    {
      kind: 'compile', phase: 'start', lang: 'C', target: 'libzstd_shared',
      object: 'lib/CMakeFiles/libzstd_shared.dir/src/fail/zstd-link/lib/common/debug.c.o', source: 'src/fail/zstd-link/lib/common/debug.c',
    },
    {
      kind: 'compile', phase: 'start', lang: 'ASM', target: 'libzstd_shared',
      object: 'lib/CMakeFiles/libzstd_shared.dir/src/fail/zstd-link/lib/decompress/huf_decompress_amd64.S.o',
      source: 'src/fail/zstd-link/lib/decompress/huf_decompress_amd64.S',
    },
  ];
  assert.deepEqual([compiles[0], compiles.find((c) => c.lang === 'ASM')], expected);
  const fmt = parseAll('fmt-ninja-j2.log').parsed.flatMap((p) => (p.event.kind === 'compile' ? [p.event] : []));
  assert.deepEqual(fmt.find((c) => c.object === 'test/CMakeFiles/format-impl-test.dir/__/src/os.cc.o'), {
    kind: 'compile', phase: 'end', lang: 'CXX', target: 'format-impl-test', object: 'test/CMakeFiles/format-impl-test.dir/__/src/os.cc.o', source: '__/src/os.cc',
  });
});

test('link and target-built events of the fmt make build', () => {
  const events = parseAll('fmt-make-j2.log').parsed.map((p) => p.event);
  assert.deepEqual(events.slice(3, 5), [
    { kind: 'link', phase: 'start', artifact: 'static', output: 'libfmt.a', target: null },
    { kind: 'target-built', target: 'fmt' },
  ]);
  assert.deepEqual(events.find((e) => e.kind === 'link' && e.artifact === 'executable'), {
    kind: 'link', phase: 'start', artifact: 'executable', output: '../bin/perf-sanity', target: null,
  });
});
