import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createLineParser } from '../parse/index.js';
import type { Dialect } from '../parse/types.js';
import type { ProjectModel } from '../project-model.js';
import { PackageTracker } from './package-tracker.js';
import { SourceIndex } from './source-index.js';
import type { PackageState } from './package-state.js';
import { fixture } from '../../../test/helpers/paths.js';
import { readStampedFixture } from '../../../test/helpers/fixture-log.js';


function track(name: string, dialect: Dialect, model: ProjectModel | null = null): PackageState[] {
  const log = readStampedFixture(name);
  const parser = createLineParser(dialect);
  const tracker = new PackageTracker({ dialect, jobs: Number(log.header.get('jobs')), model });
  for (const l of log.lines) tracker.onLine(l.atMs, parser.parse(l.text));
  tracker.onExit(Number(log.header.get('ended')), log.header.get('exit') === '0');
  return tracker.packages(Number(log.header.get('ended')));
}

/** Counts `Building ... object <dir>/CMakeFiles/<target>.dir/...` lines per target, straight from the text. */
function countObjectsPerTarget(name: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of readFileSync(fixture(name), 'utf8').matchAll(/Building \w+ object \S*?CMakeFiles\/([^/\s]+)\.dir\//g)) {
    counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  }
  return counts;
}

function targetsBuilt(name: string): Set<string> {
  return new Set([...readFileSync(fixture(name), 'utf8').matchAll(/Built target (\S+)/g)].map((m) => m[1]!));
}

for (const [name, dialect] of [
  ['libuv-make-j2.log', 'cmake-make'], ['libuv-make-j1.log', 'cmake-make'], ['libuv-ninja-j2.log', 'ninja'],
  ['fmt-make-j2.log', 'cmake-make'], ['fmt-make-j1.log', 'cmake-make'], ['fmt-ninja-j2.log', 'ninja'],
] as const) {
  test(`${name}: every package and its number of compiled files, as the log shows them`, () => {
    const packages = track(name, dialect);
    const counts = countObjectsPerTarget(name);
    const compiling = packages.filter((p) => p.files_done > 0);
    assert.deepEqual(new Map(compiling.map((p) => [p.name, p.files_done])), counts);
    for (const p of packages) assert.equal(p.status, 'completed', p.name);
    for (const p of packages) assert.deepEqual(p.current_files, []);
    if (dialect === 'cmake-make') {
      assert.deepEqual(new Set(packages.map((p) => p.name)), targetsBuilt(name));
    }
  });
}

test('libuv at -j2 under make: two files at a time, queued packages wait for nothing known', () => {
  const log = readStampedFixture('libuv-make-j2.log');
  const parser = createLineParser('cmake-make');
  const tracker = new PackageTracker({ dialect: 'cmake-make', jobs: 2, model: null });
  for (const l of log.lines.slice(0, 4)) tracker.onLine(l.atMs, parser.parse(l.text));
  const at = log.lines[3]!.atMs;
  assert.deepEqual(
    tracker.packages(at).map((p) => [p.name, p.status, p.current_files, p.files_done, p.started_ms]),
    [
      ['uv', 'compiling', ['idna.c'], 1, 1795996517322],
      ['uv_a', 'compiling', ['idna.c'], 1, 1795996517318],
    ],
  );
});

test('zstd link failure: the executable that failed to link is failed; the libraries completed', () => {
  for (const [name, dialect] of [['fail-zstd-link-make-j2.log', 'cmake-make'], ['fail-zstd-link-ninja-j2.log', 'ninja']] as const) {
    const packages = track(name, dialect);
    const byName = new Map(packages.map((p) => [p.name, p]));
    assert.equal(byName.get('zstd')?.status, 'failed', name);
    assert.equal(byName.get('libzstd_static')?.status, 'completed', name);
    assert.equal(byName.get('libzstd_shared')?.status, 'completed', name);
  }
});

test('fmt C++ failure: the package whose file failed is failed; the file that compiled counts, the failed one does not', () => {
  for (const [name, dialect] of [['fail-fmt-cxx-make-j2.log', 'cmake-make'], ['fail-fmt-cxx-ninja-j2.log', 'ninja']] as const) {
    const packages = track(name, dialect);
    // Both logs start format.cc and os.cc; os.cc fails (make: its `***` line; ninja: `FAILED:` after its status line).
    assert.deepEqual(packages.map((p) => [p.name, p.status, p.files_done]), [['fmt', 'failed', 1]], name);
  }
});

test('CMake make run with -C: the build directory it enters is not a package', () => {
  const parser = createLineParser('cmake-make');
  const t = new PackageTracker({ dialect: 'cmake-make', jobs: 2, model: null });
  [
    "make: Entering directory '/w/app/build'",
    '[ 50%] Building C object CMakeFiles/app.dir/main.c.o',
    '[100%] Linking C executable myapp',
    '[100%] Built target app',
    "make: Leaving directory '/w/app/build'",
  ].forEach((l, i) => t.onLine(1000 + i * 100, parser.parse(l)));
  assert.deepEqual(t.packages(1500).map((p) => [p.name, p.status, p.files_done]), [['app', 'completed', 1]]);
});

test('a build of one target: packages outside it are not listed, and with an unknown target they are not called up to date', () => {
  const model: ProjectModel = {
    source: 'cmake-file-api', sourceDir: '/p', buildDir: '/p/build',
    packages: [
      { name: 'app', kind: 'executable', dir: '', sources: ['main.c'], artifacts: ['app'], dependsOn: ['core'] },
      { name: 'core', kind: 'static', dir: '', sources: ['a.c', 'b.c'], artifacts: ['libcore.a'], dependsOn: [] },
      { name: 'tool', kind: 'executable', dir: '', sources: ['tool.c'], artifacts: ['tool'], dependsOn: [] },
    ],
  };
  const build = (targets: string[]): PackageState[] => {
    const t = new PackageTracker({ dialect: 'ninja', jobs: 2, model, targets });
    t.onExit(2000, true);
    return t.packages(2000);
  };
  assert.deepEqual(build(['libcore.a']).map((p) => [p.name, p.status, p.reason]), [['core', 'completed', 'up to date']]);
  assert.deepEqual(build(['app']).map((p) => p.name), ['app', 'core']);
  assert.deepEqual(build(['all']).map((p) => p.name), ['app', 'core', 'tool']);
  assert.deepEqual(build(['something-else']).map((p) => [p.name, p.status, p.reason]), [
    ['app', 'queued', 'not built: outside the targets asked for, or up to date'],
    ['core', 'queued', 'not built: outside the targets asked for, or up to date'],
    ['tool', 'queued', 'not built: outside the targets asked for, or up to date'],
  ]);
});

test('with a project model: totals, progress, dependencies and the reason a package is queued', () => {
  const model: ProjectModel = {
    source: 'cmakelists', sourceDir: '/p', buildDir: '/p/build',
    packages: [
      { name: 'autogen', kind: 'utility', dir: 'src', sources: [], artifacts: [], dependsOn: [] },
      { name: 'package_core', kind: 'static', dir: 'src/packages/core', sources: ['src/packages/core/a.cc', 'src/packages/core/b.cc', 'src/packages/core/c.cc'], artifacts: ['libpackage_core.a'], dependsOn: ['autogen'] },
      { name: 'package_net', kind: 'static', dir: 'src/packages/net', sources: ['src/packages/net/n.cc'], artifacts: ['libpackage_net.a'], dependsOn: ['package_core'] },
    ],
  };
  const parser = createLineParser('cmake-make');
  const t = new PackageTracker({ dialect: 'cmake-make', jobs: 2, model });
  const feed = (atMs: number, text: string): void => t.onLine(atMs, parser.parse(text));
  feed(1000, '[ 10%] Generating generated_defs.h');
  feed(1100, '[ 10%] Built target autogen');
  feed(1200, '[ 20%] Building CXX object src/packages/core/CMakeFiles/package_core.dir/a.cc.o');
  feed(1300, '[ 30%] Building CXX object src/packages/core/CMakeFiles/package_core.dir/b.cc.o');
  feed(1400, '[ 40%] Building CXX object src/packages/core/CMakeFiles/package_core.dir/c.cc.o');
  const mid = new Map(t.packages(1500).map((p) => [p.name, p]));
  assert.deepEqual(mid.get('package_core'), {
    name: 'package_core', status: 'compiling', reason: null, current_files: ['b.cc', 'c.cc'], files_done: 1, files_total: 3,
    progress_pct: 33, elapsed_ms: 300, started_ms: 1200, ended_ms: null, depends_on: ['autogen'], errors: 0, warnings: 0,
  });
  assert.equal(mid.get('package_net')?.status, 'queued');
  assert.equal(mid.get('package_net')?.reason, 'waiting for package_core');
  assert.equal(mid.get('autogen')?.status, 'completed');
  feed(1600, '[ 50%] Linking CXX static library libpackage_core.a');
  assert.deepEqual(t.packages(1650).filter((p) => p.name === 'package_core').map((p) => [p.status, p.files_done, p.progress_pct]), [['linking', 3, 99]]);
  feed(1700, '[ 60%] Built target package_core');
  assert.equal(t.packages(1700).find((p) => p.name === 'package_net')?.reason, 'waiting for a free job slot');
  t.onExit(1800, false);
  const end = new Map(t.packages(1800).map((p) => [p.name, p]));
  assert.deepEqual([end.get('package_core')?.status, end.get('package_core')?.progress_pct, end.get('package_core')?.ended_ms], ['completed', 100, 1700]);
  assert.deepEqual([end.get('package_net')?.status, end.get('package_net')?.reason], ['queued', 'not built: the build stopped first']);
  assert.equal(t.packageOfSource('/home/u/p/src/packages/net/n.cc'), 'package_net');
  assert.equal(t.packageOfOutput('src/packages/core/libpackage_core.a'), 'package_core');
});

test('plain make: packages are the directories make enters', () => {
  const parser = createLineParser('gnu-make');
  const t = new PackageTracker({ dialect: 'gnu-make', jobs: 1, model: null });
  const lines = [
    "make[1]: Entering directory '/w/proj/net'",
    'cc -O2 -c socket.c -o socket.o',
    'cc -O2 -c poll.c -o poll.o',
    'ar rcs libnet.a socket.o poll.o',
    "make[1]: Leaving directory '/w/proj/net'",
    "make[1]: Entering directory '/w/proj/app'",
    'cc -O2 -c main.c -o main.o',
    "main.c:3:5: error: expected ';' before '}' token",
    "make[1]: *** [Makefile:4: main.o] Error 1",
    "make[1]: Leaving directory '/w/proj/app'",
  ];
  lines.forEach((l, i) => t.onLine(1000 + i * 100, parser.parse(l)));
  t.onExit(2000, false);
  assert.deepEqual(
    t.packages(2000).map((p) => [p.name, p.status, p.files_done, p.started_ms, p.ended_ms]),
    [['app', 'failed', 0, 1500, 1800], ['net', 'completed', 2, 1000, 1400]],
  );
});

test('plain make without directories: a step ends when make reuses its job slot', () => {
  const parser = createLineParser('gnu-make');
  const t = new PackageTracker({ dialect: 'gnu-make', jobs: 1, model: null });
  const lines = [
    'g++ -O2 tools/make_defs.cc -o tools/make_defs',
    'mkdir -p gen',
    'g++ -O2 -c main.cc -o main.o',
    'g++ -O2 -c src/net/socket.cc -o src/net/socket.o',
    'ar rcs src/net/libnet.a src/net/socket.o',
    'g++ -o program main.o src/net/libnet.a',
  ];
  lines.forEach((l, i) => t.onLine(1000 + i * 100, parser.parse(l)));
  const mid = t.packages(1550);
  assert.deepEqual(
    mid.map((p) => [p.name, p.status, p.files_done, p.current_files, p.started_ms, p.ended_ms]),
    [
      ['make_defs', 'completed', 0, [], 1000, 1200],
      ['net', 'completed', 1, [], 1300, 1500],
      ['program', 'linking', 0, [], 1500, null],
      ['top', 'completed', 1, [], 1200, 1300],
    ],
  );
  t.onExit(2000, true);
  assert.deepEqual(t.packages(2000).map((p) => [p.name, p.status, p.ended_ms]), [
    ['make_defs', 'completed', 1200], ['net', 'completed', 1500], ['program', 'completed', 2000], ['top', 'completed', 1300],
  ]);
});

/** Feeds lines 100 ms apart from 1000 ms, with their text (which gives a plain-make link its objects). */
function plainMake(jobs: number, lines: readonly string[]): PackageTracker {
  const parser = createLineParser('gnu-make');
  const t = new PackageTracker({ dialect: 'gnu-make', jobs, model: null });
  lines.forEach((l, i) => t.onLine(1000 + i * 100, parser.parse(l), l));
  return t;
}

const MAKE_C_J2 = [
  "make: Entering directory '/w/proj'",
  "make[1]: Entering directory '/w/proj/alpha'",
  'cc -c a1.c -o a1.o',
  "make[1]: Entering directory '/w/proj/beta'",
  'cc -c b1.c -o b1.o',
  'cc -c a2.c -o a2.o',
  'cc -c /w/proj/beta/extra.c -o extra.o',
  'ar rcs libbeta.a b1.o extra.o',
  'cc -c main.c -o main.o',
  "make[1]: Leaving directory '/w/proj/beta'",
  'ar rcs libalpha.a a1.o a2.o',
  "make[1]: Leaving directory '/w/proj/alpha'",
  'cc -o prog main.o alpha/libalpha.a beta/libbeta.a',
  "make: Leaving directory '/w/proj'",
];

test('plain make -j2 under make -C: evidence places the files; what no subdirectory can have is the top directory\'s', () => {
  const t = plainMake(2, MAKE_C_J2.slice(0, 9));
  // a2.c, printed after beta was entered, leaves beta when libbeta.a does not list it: alpha is the innermost other
  // directory open. The path of extra.c names beta. main.c, printed after libbeta.a, is not beta's.
  assert.deepEqual(t.packages(1800).map((p) => [p.name, p.status, p.files_done, p.current_files]), [
    ['alpha', 'compiling', 2, ['main.c']], ['beta', 'linking', 2, []],
  ]);
  MAKE_C_J2.slice(9).forEach((l, i) => t.onLine(1900 + i * 100, createLineParser('gnu-make').parse(l), l));
  t.onExit(2400, true);
  // libalpha.a rules out alpha for main.c: what is left is the directory of the top-level make, which links prog.
  assert.deepEqual(t.packages(2400).map((p) => [p.name, p.status, p.files_done, p.started_ms, p.ended_ms]), [
    ['alpha', 'completed', 2, 1100, 2100], ['beta', 'completed', 2, 1300, 1900], ['proj', 'completed', 1, 1000, 2300],
  ]);
  assert.deepEqual(t.fileRuns().map((f) => [f.package, f.source]), [
    ['alpha', 'a1.c'], ['beta', 'b1.c'], ['beta', '/w/proj/beta/extra.c'], ['alpha', 'a2.c'], ['proj', 'main.c'],
  ]);
  assert.equal(t.packageOfSource('a2.c'), 'alpha');
  assert.equal(t.packageOfSource('main.c'), 'proj');
});

test('plain make -j1: the directory make entered last is trusted, whatever the links list', () => {
  const t = plainMake(1, MAKE_C_J2);
  t.onExit(2500, true);
  assert.deepEqual(t.packages(2500).map((p) => [p.name, p.files_done]), [['alpha', 1], ['beta', 4], ['proj', 0]]);
});

test('plain make -j2, a failure the top-level make names by its own target: the guess is undone by the directory\'s library', () => {
  const t = plainMake(2, [
    "make[1]: Entering directory '/w/lib/alpha'",
    'cc -c a1.c -o a1.o',
    "make[1]: Entering directory '/w/lib/beta'",
    'cc -c b1.c -o b1.o',
    'cc -c a2.c -o a2.o',
    "a2.c:3:1: error: expected ';' before '}' token",
    'make[1]: *** [Makefile:6: a2.o] Error 1',
    "make[1]: Leaving directory '/w/lib/alpha'",
    'make: *** [Makefile:9: package_alpha] Error 2',
    'ar rcs libbeta.a b1.o',
    "make[1]: Leaving directory '/w/lib/beta'",
  ]);
  t.onExit(2200, false);
  // `package_alpha` names alpha, which takes a2.o's failure (credited to beta, entered last) before libbeta.a shows it.
  assert.deepEqual(t.packages(2200).map((p) => [p.name, p.status, p.files_done, p.ended_ms]), [
    ['alpha', 'failed', 1, 1800], ['beta', 'completed', 1, 2000],
  ]);
  assert.equal(t.packageOfSource('a2.c'), 'alpha');
});

test('plain make -j2, a failure nothing names: the library of the directory failed by a guess restores it', () => {
  const t = plainMake(2, [
    "make[1]: Entering directory '/w/alpha'",
    'cc -c a1.c -o a1.o',
    "make[1]: Entering directory '/w/beta'",
    'cc -c b1.c -o b1.o',
    'cc -c a2.c -o a2.o',
    'make[1]: *** [Makefile:6: a2.o] Error 1',
    "make[1]: Leaving directory '/w/alpha'",
    'make: *** [Makefile:9: subdirs] Error 2',
    'ar rcs libbeta.a b1.o',
  ]);
  assert.deepEqual(t.packages(1800).map((p) => [p.name, p.status, p.files_done]), [['alpha', 'failed', 1], ['beta', 'linking', 1]]);
  assert.equal(t.packageOfSource('a2.c'), 'alpha');
});

test('source index: moving one of two compiles of a path leaves the other where it was', () => {
  const index = new SourceIndex();
  index.add('util.c', 'alpha');
  index.add('util.c', 'alpha');
  index.move('util.c', 'alpha', 'beta');
  assert.equal(index.find('/w/alpha/util.c'), null);
  index.remove('util.c', 'beta');
  assert.equal(index.find('/w/alpha/util.c'), 'alpha');
  index.move('./util.c', 'alpha', 'gamma');
  assert.equal(index.find('util.c'), 'gamma');
  assert.deepEqual(index.packagesWithBase('util.c'), ['gamma']);
});

test('ninja: a failed package ends with its last step, not its first failure', () => {
  const fmt = track('fail-fmt-cxx-ninja-j2.log', 'ninja').find((p) => p.name === 'fmt')!;
  // [1/5] os.cc (then FAILED) and [2/5] format.cc, which ninja let finish.
  const formatLine = readStampedFixture('fail-fmt-cxx-ninja-j2.log').lines.find((l) => l.text.startsWith('[2/5] '))!;
  assert.deepEqual([fmt.status, fmt.files_done, fmt.ended_ms], ['failed', 1, formatLine.atMs]);
});

test('a code generator whose steps name no target is done once a package that waits for it starts', () => {
  const model: ProjectModel = {
    source: 'cmake-file-api', sourceDir: '/p', buildDir: '/p/build',
    packages: [
      { name: 'autogen', kind: 'utility', dir: 'src', sources: [], artifacts: [], dependsOn: ['make_defs'] },
      { name: 'make_defs', kind: 'executable', dir: 'src', sources: ['src/tools/make_defs.cc'], artifacts: ['make_defs'], dependsOn: [] },
      { name: 'package_core', kind: 'static', dir: 'src/packages/core', sources: ['src/packages/core/a.cc'], artifacts: ['libpackage_core.a'], dependsOn: ['autogen'] },
    ],
  };
  const parser = createLineParser('ninja');
  const t = new PackageTracker({ dialect: 'ninja', jobs: 2, model });
  t.onLine(1000, parser.parse('[1/4] Building CXX object src/CMakeFiles/make_defs.dir/tools/make_defs.cc.o'));
  t.onLine(1200, parser.parse('[2/4] Linking CXX executable src/make_defs'));
  t.onLine(1300, parser.parse('[3/4] [MakeDefs] Generating generated_defs.h'));
  assert.equal(t.packages(1300).find((p) => p.name === 'autogen')?.status, 'queued');
  t.onLine(2000, parser.parse('[4/4] Building CXX object src/packages/core/CMakeFiles/package_core.dir/a.cc.o'));
  assert.deepEqual(t.packages(2000).map((p) => [p.name, p.status, p.reason, p.ended_ms]), [
    ['autogen', 'completed', 'built before its dependants started', 1300],
    ['make_defs', 'completed', null, 1200],
    ['package_core', 'compiling', null, null],
  ]);
});

test('busiest: the packages active most recently come first, not those idle and waiting', () => {
  const parser = createLineParser('ninja');
  const t = new PackageTracker({ dialect: 'ninja', jobs: 2, model: null });
  t.onLine(1000, parser.parse('[1/9] Building CXX object test/CMakeFiles/args-test.dir/args-test.cc.o'));
  t.onLine(1100, parser.parse('[2/9] Building CXX object test/CMakeFiles/base-test.dir/base-test.cc.o'));
  t.onLine(5000, parser.parse('[3/9] Building CXX object test/gtest/CMakeFiles/gtest.dir/gmock-gtest-all.cc.o'));
  t.onLine(6000, parser.parse('[4/9] Building CXX object test/CMakeFiles/xchar-test.dir/xchar-test.cc.o'));
  assert.deepEqual(t.busiest(), ['xchar-test', 'gtest', 'base-test', 'args-test']);
});

test('plain ninja whose rules print a description: objects are placed by the model sources they come from', () => {
  const model: ProjectModel = {
    source: 'build-ninja', sourceDir: '/p', buildDir: '/p',
    packages: [
      { name: 'libfoo.a', kind: 'static', dir: null, sources: ['src/foo.c', 'src/foo2.c'], artifacts: ['libfoo.a'], dependsOn: [] },
      { name: 'prog', kind: 'executable', dir: null, sources: ['src/main.c'], artifacts: ['prog'], dependsOn: ['libfoo.a'] },
    ],
  };
  const parser = createLineParser('ninja');
  const t = new PackageTracker({ dialect: 'ninja', jobs: 2, model });
  ['[1/5] CC obj/foo.o', '[2/5] CC obj/foo2.o', '[3/5] AR libfoo.a', '[4/5] CC obj/main.o', '[5/5] LINK prog']
    .forEach((l, i) => t.onLine(1000 + i * 100, parser.parse(l)));
  t.onExit(1500, true);
  assert.deepEqual(t.packages(1500).map((p) => [p.name, p.status, p.files_done, p.files_total]), [
    ['libfoo.a', 'completed', 2, 2],
    ['prog', 'completed', 1, 1],
  ]);
});
