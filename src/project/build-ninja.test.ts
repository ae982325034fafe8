import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateExample } from '../../examples/generate.js';
import { reduceDependencies, type DependencyGraph } from '../core/package-graph.js';
import { projectFromBuildNinja, readBuildNinja } from './build-ninja.js';
import { parseNinjaManifest } from './ninja-manifest.js';

const HAS_CMAKE_NINJA = ['cmake', 'ninja'].every((tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0);

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'buildmon-build-ninja-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('CMake Ninja build tree of the FluffOS-shaped example', { skip: HAS_CMAKE_NINJA ? false : 'needs cmake and ninja' }, async (t) => {
  const root = path.join(tempDir(t), 'project');
  const example = await generateExample(root, { packages: 4, filesPerPackage: 2 });
  const buildDir = path.join(root, 'build');
  const configure = spawnSync('cmake', ['-S', root, '-B', buildDir, '-G', 'Ninja'], { encoding: 'utf8' });
  assert.equal(configure.status, 0, configure.stderr);

  const model = readBuildNinja(buildDir);
  assert.ok(model !== null);
  assert.equal(model.source, 'build-ninja');
  assert.equal(model.sourceDir, root);
  assert.equal(model.buildDir, buildDir);
  assert.deepEqual(
    model.packages.map((p) => p.name),
    ['autogen', 'driver', 'make_defs', 'package_core', 'package_crypto', 'package_math', 'package_sockets'],
  );

  const truth: DependencyGraph = { autogen: ['make_defs'], make_defs: [], driver: ['autogen'] };
  for (const p of example.packages) {
    truth[p.target] = [...p.dependsOn, 'autogen'];
    truth.driver!.push(p.target);
  }
  const reduced = reduceDependencies(truth);
  const byName = new Map(model.packages.map((p) => [p.name, p]));
  for (const p of example.packages) {
    assert.deepEqual(byName.get(p.target), {
      name: p.target,
      kind: 'static',
      dir: p.dir,
      sources: [...p.sources].sort(),
      artifacts: [`lib${p.target}.a`],
      dependsOn: reduced[p.target],
    });
  }
  assert.deepEqual(Object.fromEntries(model.packages.map((p) => [p.name, p.dependsOn])), {
    autogen: ['make_defs'],
    driver: ['package_math'],
    make_defs: [],
    package_core: ['autogen'],
    package_crypto: ['package_core'],
    package_math: ['package_crypto', 'package_sockets'],
    package_sockets: ['package_core'],
  });
  assert.deepEqual(byName.get('autogen'), { name: 'autogen', kind: 'utility', dir: 'src', sources: [], artifacts: [], dependsOn: ['make_defs'] });
  assert.deepEqual(byName.get('make_defs'), {
    name: 'make_defs',
    kind: 'executable',
    dir: 'src',
    sources: ['src/tools/make_defs.cc'],
    artifacts: ['make_defs'],
    dependsOn: [],
  });
  assert.deepEqual(byName.get('driver'), {
    name: 'driver',
    kind: 'executable',
    dir: 'src',
    sources: ['src/main.cc'],
    artifacts: ['driver'],
    dependsOn: ['package_math'],
  });
});

const RULES = `cflags = -O2
rule cc
  command = cc $cflags -c $in -o $out
rule ar
  command = ar rcs $out $in
rule link
  command = cc $in -o $out $
      -lm
`;

const TOP = `# a hand-written build file
builddir = out
include rules.ninja

build $builddir/a1.o: cc src/liba/a1.c
build $builddir/a2.o: cc src/liba/a2.c | src/liba/a.h
  cflags = -O0
build $builddir/liba.a: ar $builddir/a1.o $
    \${builddir}/a2.o

subninja sub/libb.ninja

build $builddir/main.o: cc src/app/main.c
build $builddir/app: link $builddir/main.o $builddir/libb.a ./out/liba.a
build docs/index.html: cc docs/index.md
build all: phony $builddir/app
default all
`;

const SUB = `builddir = out
build $builddir/b$ one.o: cc src/libb/b$ one.cc
build $builddir/b2.o: cc src/libb/b2.S
build $builddir/libb.a: ar $builddir/b$ one.o $builddir/b2.o || all_a
build all_a: phony $builddir/liba.a
`;

test('plain ninja: libraries and a program from archive and link edges, through include and subninja', (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, 'sub'));
  writeFileSync(path.join(dir, 'build.ninja'), TOP);
  writeFileSync(path.join(dir, 'rules.ninja'), RULES);
  writeFileSync(path.join(dir, 'sub', 'libb.ninja'), SUB);
  assert.deepEqual(readBuildNinja(dir), {
    source: 'build-ninja',
    sourceDir: dir,
    buildDir: dir,
    packages: [
      { name: 'out/app', kind: 'executable', dir: '', sources: ['src/app/main.c'], artifacts: ['app'], dependsOn: ['out/libb.a'] },
      { name: 'out/liba.a', kind: 'static', dir: '', sources: ['src/liba/a1.c', 'src/liba/a2.c'], artifacts: ['liba.a'], dependsOn: [] },
      { name: 'out/libb.a', kind: 'static', dir: 'sub', sources: ['src/libb/b one.cc', 'src/libb/b2.S'], artifacts: ['libb.a'], dependsOn: ['out/liba.a'] },
    ],
  });
});

test('no build.ninja gives null', (t) => {
  assert.equal(readBuildNinja(tempDir(t)), null);
  assert.equal(readBuildNinja('/nonexistent/buildmon/dir'), null);
});

test('garbage, empty text and include cycles give an empty model without throwing', () => {
  const reads: string[] = [];
  const loop = (file: string): string | null => {
    reads.push(file);
    return 'include build.ninja\ninclude again.ninja\n';
  };
  const empty = { source: 'build-ninja', sourceDir: '/b', buildDir: '/b', packages: [] };
  assert.deepEqual(projectFromBuildNinja('', '/b', () => null), empty);
  assert.deepEqual(projectFromBuildNinja('build : \nbuild x\n  = y\n$$$\n|| : |@\nbuild a: \n\u0000\u00ff', '/b/', () => null), empty);
  assert.deepEqual(projectFromBuildNinja('include again.ninja\n', '/b', loop), empty);
  assert.ok(reads.length <= 64, `${reads.length} reads`);
});

test('CMake text: targets from block comments, paths through ${cmake_ninja_workdir}, built-in utilities left out', () => {
  const text = [
    '# CMAKE generated file: DO NOT EDIT!',
    'cmake_ninja_workdir = /w/b/',
    '# Object build statements for OBJECT_LIBRARY target objs',
    'build lib/CMakeFiles/objs.dir/x.c.o: C_COMPILER__objs_Debug /w/lib/x.c || cmake_object_order_depends_target_objs',
    '  OBJECT_DIR = lib/CMakeFiles/objs.dir',
    'build lib/CMakeFiles/objs.dir/cmake_pch.h.gch: C_COMPILER__objs_Debug lib/CMakeFiles/objs.dir/cmake_pch.h.c',
    '# Object build statements for SHARED_LIBRARY target shared',
    'build cmake_object_order_depends_target_shared: phony || cmake_object_order_depends_target_objs gen_step',
    'build CMakeFiles/shared.dir/y.cc.o: CXX_COMPILER__shared_Debug /elsewhere/y.cc || cmake_object_order_depends_target_shared',
    '  OBJECT_DIR = CMakeFiles/shared.dir',
    '# Link build statements for SHARED_LIBRARY target shared',
    'build libshared.so.1.0: CXX_SHARED_LIBRARY_LINKER__shared_Debug CMakeFiles/shared.dir/y.cc.o lib/CMakeFiles/objs.dir/x.c.o',
    'build libshared.so: CMAKE_SYMLINK_LIBRARY libshared.so.1.0',
    '# Utility command for gen',
    'build gen: phony ${cmake_ninja_workdir}CMakeFiles/gen.util',
    '# Utility command for rebuild_cache',
    'build CMakeFiles/rebuild_cache.util: CUSTOM_COMMAND',
    '  COMMAND = cd /w/b && /usr/bin/cmake --regenerate-during-build -S/w -B/w/b',
    '# Custom command for gen_step',
    'build gen_step | ${cmake_ninja_workdir}gen_step: phony gen',
  ].join('\n');
  const cmakeLists = new Set(['/w/CMakeLists.txt']);
  const model = projectFromBuildNinja(text, '/w/b', (file) => (cmakeLists.has(file) ? '' : null));
  assert.equal(model.sourceDir, '/w');
  assert.deepEqual(model.packages, [
    { name: 'gen', kind: 'utility', dir: '', sources: [], artifacts: [], dependsOn: [] },
    { name: 'objs', kind: 'object', dir: null, sources: ['lib/x.c'], artifacts: [], dependsOn: [] },
    { name: 'shared', kind: 'shared', dir: '', sources: ['/elsewhere/y.cc'], artifacts: ['libshared.so.1.0', 'libshared.so'], dependsOn: ['gen', 'objs'] },
  ]);
});

/** Forty variables, each twice the one before: `$v39` would be 5 TiB of text. */
function doublingManifest(extra: string[]): string {
  const lines = ['v0 = aaaaaaaaaa'];
  for (let i = 1; i < 40; i++) lines.push(`v${i} = $v${i - 1}$v${i - 1}`);
  return [...lines, 'rule cc', '  command = gcc -c $in -o $out', 'rule link', '  command = gcc $in -o $out', ...extra, ''].join('\n');
}

test('variables that double each other are cut at 1 MiB: the model is read, quickly', (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'build.ninja'), doublingManifest(['build x.o: cc x.c', '  foo = $v39', 'build app: link x.o', '  flags = ${v39}$v39']));
  const started = performance.now();
  const model = readBuildNinja(dir);
  const elapsedMs = performance.now() - started;
  assert.deepEqual(model, {
    source: 'build-ninja', sourceDir: dir, buildDir: dir,
    packages: [{ name: 'app', kind: 'executable', dir: '', sources: ['x.c'], artifacts: ['app'], dependsOn: [] }],
  });
  assert.ok(elapsedMs < 2000, `${elapsedMs} ms`);
  const manifest = parseNinjaManifest(readFileSync(path.join(dir, 'build.ninja'), 'utf8'), dir, () => null);
  const bindings = manifest.items.flatMap((item) => ('edge' in item ? [...item.edge.bindings].map(([k, v]) => [k, v.length, v === 'a'.repeat(v.length)]) : []));
  assert.deepEqual(bindings, [['foo', 1_048_576, true], ['flags', 1_048_576, true]]);
});

test('past 256 Mi expanded code units a manifest\'s references expand to nothing', (t) => {
  const dir = tempDir(t);
  const copies = (n: number): string[] => Array.from({ length: n }, (_, i) => `c${i} = $v39`);
  const probe = ['build x.o: cc x.c', '  probe = <$v39>'];
  const parsed = (n: number): unknown => {
    const manifest = parseNinjaManifest(doublingManifest([...copies(n), ...probe]), dir, () => null);
    return manifest.items.flatMap((item) => ('edge' in item ? [item.edge.bindings.get('probe')!.length] : []));
  };
  // v1..v17 expand 10 * (2^18 - 2) code units; v18..v39 stop after one 1 MiB reference each (22 MiB);
  // each copy 1 MiB: 231 copies leave half a MiB for the probe, 232 overdraw the budget.
  assert.deepEqual(parsed(231), [1_048_576]);
  assert.deepEqual(parsed(232), [2]);
});
