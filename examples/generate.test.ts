import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultExampleOptions, generateExample, type ExampleResult } from './generate.js';

const tempRoot = await mkdtemp(path.join(os.tmpdir(), 'buildmon-example-test-'));
after(() => rm(tempRoot, { recursive: true, force: true }));
let dirCount = 0;
const freshDir = (): string => path.join(tempRoot, `p${++dirCount}`);

async function readTree(root: string, sub = ''): Promise<Map<string, string>> {
  const tree = new Map<string, string>();
  for (const entry of await readdir(path.join(root, sub), { withFileTypes: true })) {
    const rel = sub === '' ? entry.name : `${sub}/${entry.name}`;
    if (entry.isDirectory()) for (const [k, v] of await readTree(root, rel)) tree.set(k, v);
    else tree.set(rel, await readFile(path.join(root, rel), 'utf8'));
  }
  return tree;
}

interface Run {
  status: number | null;
  output: string;
}

function run(argv: readonly string[], cwd: string): Run {
  const [command, ...args] = argv as [string, ...string[]];
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

function runOk(argv: readonly string[], cwd: string): string {
  const result = run(argv, cwd);
  assert.equal(result.status, 0, `${argv.join(' ')} failed:\n${result.output}`);
  return result.output;
}

const hasTool = (tool: string): boolean => spawnSync(tool, ['--version']).status === 0;
const SMALL = { packages: 3, filesPerPackage: 2, cost: 0.2, seed: 5 } as const;
const DRIVER_LINE = /^driver: 3 packages, checksum \d+\n$/;
const driverOutputs: string[] = [];

test('defaults: eight FluffOS packages of four files at cost 1, seed 1', () => {
  assert.deepEqual(defaultExampleOptions(), { shape: 'fluffos', packages: 8, filesPerPackage: 4, cost: 1, seed: 1 });
  assert.equal(defaultExampleOptions('makefile').shape, 'makefile');
});

test('the same seed gives a byte-identical tree; regenerating replaces a previous tree cleanly', async () => {
  const first = freshDir();
  const second = freshDir();
  await generateExample(first, { seed: 9 });
  await generateExample(second, { seed: 3, packages: 12, shape: 'makefile' });
  await generateExample(second, { seed: 9 });
  assert.deepEqual(await readTree(second), await readTree(first));
  const other = freshDir();
  await generateExample(other, { seed: 10 });
  assert.notDeepEqual(await readTree(other), await readTree(first));
});

test('the package truth matches the files written', async () => {
  const result = await generateExample(freshDir(), SMALL);
  assert.deepEqual(
    result.packages.map((p) => [p.name, p.dir, p.target, p.sources]),
    [
      ['core', 'src/packages/core', 'package_core', ['src/packages/core/core.cc', 'src/packages/core/core_efuns.cc']],
      ['sockets', 'src/packages/sockets', 'package_sockets', ['src/packages/sockets/sockets.cc', 'src/packages/sockets/sockets_efuns.cc']],
      ['crypto', 'src/packages/crypto', 'package_crypto', ['src/packages/crypto/crypto.cc', 'src/packages/crypto/crypto_efuns.cc']],
    ],
  );
  const tree = await readTree(result.dir);
  const subdirs = tree.get('src/packages/CMakeLists.txt') ?? '';
  assert.deepEqual([...subdirs.matchAll(/add_subdirectory\((\w+)\)/g)].map((m) => m[1]), ['core', 'sockets', 'crypto']);
  for (const pkg of result.packages) {
    const cmake = tree.get(`${pkg.dir}/CMakeLists.txt`) ?? '';
    const listed = /add_library\(\w+ STATIC\n([^)]*)\)/.exec(cmake)?.[1]?.trim().split(/\s+/);
    assert.deepEqual(listed?.map((f) => `${pkg.dir}/${f}`), pkg.sources);
    assert.match(cmake, new RegExp(`add_dependencies\\(${pkg.target} autogen\\)`));
    const linked = /target_link_libraries\(\w+ PUBLIC ([^)]*)\)/.exec(cmake)?.[1]?.split(' ') ?? [];
    const ordered = [...cmake.matchAll(/add_dependencies\(\w+ (package_\w+)\)/g)].map((m) => m[1]);
    assert.deepEqual([...linked, ...ordered], pkg.dependsOn);
    for (const source of pkg.sources) assert.ok(tree.has(source), source);
  }
  assert.deepEqual(result.packages.map((p) => p.dependsOn), [[], ['package_core'], ['package_core', 'package_sockets']]);
  assert.match(tree.get('src/packages/crypto/CMakeLists.txt') ?? '', /add_dependencies\(package_crypto package_sockets\)/);
  assert.equal(tree.get('.buildmon-example'), 'buildmon example project\nshape: fluffos\nseed: 5\n');
  assert.deepEqual(result.configureCommands, [['cmake', '-S', result.dir, '-B', `${result.dir}/build`]]);
  assert.deepEqual(result.buildCommand, ['cmake', '--build', `${result.dir}/build`, '-j', '2']);
  assert.match(result.summary, /Configure: cmake -S .* -B .*\/build\nBuild: +cmake --build .*\/build -j 2/);
});

test('invalid options are rejected with a message naming the field', async () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ packages: 0 }, /packages must be an integer from 1 to 200; got 0/],
    [{ packages: 201 }, /packages must be an integer from 1 to 200; got 201/],
    [{ packages: 2.5 }, /packages must be an integer/],
    [{ filesPerPackage: 0 }, /filesPerPackage must be an integer from 1 to 200; got 0/],
    [{ filesPerPackage: 500 }, /filesPerPackage must be an integer from 1 to 200/],
    [{ cost: 0 }, /cost must be a finite number greater than 0; got 0/],
    [{ cost: -1 }, /cost must be a finite number greater than 0/],
    [{ cost: Number.NaN }, /cost must be a finite number greater than 0; got NaN/],
    [{ seed: 1.5 }, /seed must be an integer/],
    [{ shape: 'bazel' }, /shape must be one of fluffos, makefile; got "bazel"/],
  ];
  for (const [options, message] of cases) {
    const dir = freshDir();
    await assert.rejects(generateExample(dir, options), message);
    assert.equal(existsSync(dir), false, 'nothing is written for invalid options');
  }
});

test('refuses a non-empty directory it did not write, and a path that is a file', async () => {
  const dir = freshDir();
  await generateExample(dir, { packages: 1, filesPerPackage: 1 });
  await rm(path.join(dir, '.buildmon-example'));
  await assert.rejects(generateExample(dir), /refusing to write an example project to .*: it is a non-empty directory/);
  assert.ok(existsSync(path.join(dir, 'CMakeLists.txt')), 'foreign files are left alone');
  const file = path.join(tempRoot, 'plain-file');
  await writeFile(file, 'x');
  await assert.rejects(generateExample(file), /exists and is not a directory/);
});

async function buildFluffos(generator: string[]): Promise<{ result: ExampleResult; output: string }> {
  const result = await generateExample(freshDir(), SMALL);
  const configure = result.configureCommands[0] ?? [];
  runOk([...configure, ...generator], result.dir);
  const output = runOk(result.buildCommand, result.dir);
  for (const pkg of result.packages) {
    const archive = path.join(result.dir, 'build', pkg.dir, `lib${pkg.target}.a`);
    assert.ok(existsSync(archive), `${archive} exists`);
  }
  const driver = runOk([path.join(result.dir, 'build', 'src', 'driver')], result.dir);
  assert.match(driver, DRIVER_LINE);
  driverOutputs.push(driver);
  const generated = output.indexOf('[MakeDefs] Generating generated_defs.h');
  const firstPackageObject = output.search(/Building CXX object src\/packages\//);
  assert.ok(generated >= 0 && generated < firstPackageObject, `autogen runs before packages:\n${output}`);
  return { result, output };
}

test('a small fluffos project builds with CMake (Unix Makefiles) at -j2 and its driver runs', { skip: !hasTool('cmake') }, async () => {
  const { output } = await buildFluffos(['-G', 'Unix Makefiles']);
  assert.match(output, /\[\s*\d+%\] Built target package_crypto\n/);
  assert.match(output, /Linking CXX executable driver/);
});

test('a small fluffos project builds with CMake (Ninja)', { skip: !hasTool('cmake') || !hasTool('ninja') }, async () => {
  const { result, output } = await buildFluffos(['-G', 'Ninja']);
  assert.match(output, /\[\d+\/\d+\] Linking CXX static library src\/packages\/core\/libpackage_core\.a/);
  assert.ok(existsSync(path.join(result.dir, 'build', '.ninja_log')));
});

test('a small makefile project builds with make -j2, echoes its commands and cleans', { skip: !hasTool('make') }, async () => {
  const result = await generateExample(freshDir(), { ...SMALL, shape: 'makefile' });
  assert.deepEqual(result.configureCommands, []);
  assert.deepEqual(result.buildCommand, ['make', '-C', result.dir, '-j2']);
  assert.deepEqual(result.packages.map((p) => [p.dir, p.target]), [
    ['lib/core', 'package_core'],
    ['lib/sockets', 'package_sockets'],
    ['lib/crypto', 'package_crypto'],
  ]);
  const output = runOk(result.buildCommand, result.dir);
  assert.match(output, /^\S*g\+\+ -std=c\+\+17 -O2 -I\.\.\/\.\.\/gen -I\.\. -c core_efuns\.cc -o core_efuns\.o$/m);
  assert.match(output, /^ar rcs libsockets\.a sockets\.o sockets_efuns\.o$/m);
  assert.match(output, /make\[1\]: Entering directory '.*\/lib\/crypto'/);
  const archives = result.packages.map((p) => path.join(result.dir, p.dir, `lib${p.name}.a`));
  for (const archive of archives) assert.ok(existsSync(archive), `${archive} exists`);
  const program = runOk([path.join(result.dir, 'program')], result.dir);
  assert.match(program, DRIVER_LINE);
  driverOutputs.push(program);
  runOk(['make', '-C', result.dir, 'clean'], result.dir);
  for (const built of [...archives, path.join(result.dir, 'program'), path.join(result.dir, 'main.o')]) {
    assert.equal(existsSync(built), false, `${built} removed by make clean`);
  }
});

const bothBuildTools = hasTool('cmake') && hasTool('make');
test('every shape and generator of the same plan computes the same checksum', { skip: !bothBuildTools }, () => {
  assert.ok(driverOutputs.length >= 2, 'at least two builds ran');
  assert.equal(new Set(driverOutputs).size, 1, driverOutputs.join(''));
});
