import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveExampleOptions } from '../../examples/example-options.js';
import { generateExample } from '../../examples/generate.js';
import { planPackages } from '../../examples/package-plan.js';
import { reduceDependencies, type DependencyGraph } from '../../src/core/package-graph.js';
import type { PackageModel } from '../../src/core/project-model.js';
import { readFileApiReply, writeFileApiQuery } from '../../src/project/cmake-file-api.js';
import { readCmakeLists } from '../../src/project/cmakelists-reader.js';

const OPTIONS = { shape: 'fluffos', packages: 5, filesPerPackage: 2, seed: 1 } as const;
const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'buildmon-project-model-'));
after(() => fs.rmSync(tempRoot, { recursive: true, force: true }));
const example = await generateExample(path.join(tempRoot, 'fluffos'), OPTIONS);
const hasTool = (tool: string): boolean => spawnSync(tool, ['--version']).status === 0;

/** What the generator wrote, as a model: every package waits for autogen, autogen for make_defs, the driver links them all. */
function truth(): PackageModel[] {
  const graph: DependencyGraph = { autogen: ['make_defs'], make_defs: [], driver: ['autogen', ...example.packages.map((p) => p.target)] };
  for (const pkg of example.packages) graph[pkg.target] = ['autogen', ...pkg.dependsOn];
  const reduced = reduceDependencies(graph);
  const packages: PackageModel[] = [
    { name: 'autogen', kind: 'utility', dir: 'src', sources: [], artifacts: [], dependsOn: reduced.autogen! },
    { name: 'driver', kind: 'executable', dir: 'src', sources: ['src/main.cc'], artifacts: ['driver'], dependsOn: reduced.driver! },
    { name: 'make_defs', kind: 'executable', dir: 'src', sources: ['src/tools/make_defs.cc'], artifacts: ['make_defs'], dependsOn: [] },
    ...example.packages.map((p): PackageModel => ({
      name: p.target, kind: 'static', dir: p.dir, sources: [...p.sources].sort(), artifacts: [`lib${p.target}.a`], dependsOn: reduced[p.target]!,
    })),
  ];
  return packages.sort((a, b) => (a.name < b.name ? -1 : 1));
}

function configure(buildDir: string, generator: string): void {
  const result = spawnSync('cmake', ['-S', example.dir, '-B', buildDir, '-G', generator], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
}

test('the example has link edges, implied edges and order-only edges to read', () => {
  const plan = planPackages(resolveExampleOptions(OPTIONS));
  assert.ok(plan.some((p) => p.orderOnly.length > 0), 'an add_dependencies edge between packages');
  assert.ok(plan.some((p) => p.links.length > 1), 'a package linking two others');
  assert.deepEqual(truth().find((p) => p.name === 'package_db')?.dependsOn, ['package_crypto', 'package_sockets'], 'package_db -> package_core is implied by package_sockets');
});

test('readCmakeLists lists every package with its sources and reduced edges', () => {
  const model = readCmakeLists(example.dir);
  assert.equal(model.source, 'cmakelists');
  assert.equal(model.sourceDir, example.dir);
  assert.equal(model.buildDir, null);
  assert.deepEqual(model.packages.map((p) => p.name), [
    'autogen', 'driver', 'make_defs', 'package_core', 'package_crypto', 'package_db', 'package_math', 'package_sockets',
  ]);
  assert.deepEqual(model.packages, truth());
});

test('no reply before the first configure, then the File API reply equals the CMakeLists reading (Unix Makefiles)', { skip: !hasTool('cmake') && 'cmake is not installed' }, () => {
  const buildDir = path.join(example.dir, 'build');
  assert.equal(writeFileApiQuery(buildDir), path.join(buildDir, '.cmake/api/v1/query/client-buildmon/query.json'));
  assert.equal(readFileApiReply(buildDir), null);
  configure(buildDir, 'Unix Makefiles');
  const reply = readFileApiReply(buildDir);
  assert.deepEqual(reply, { source: 'cmake-file-api', sourceDir: example.dir, buildDir, packages: readCmakeLists(example.dir).packages });
  assert.deepEqual(reply?.packages, truth());
});

test('the File API reply of a Ninja configure is the same model', { skip: !(hasTool('cmake') && hasTool('ninja')) && 'cmake or ninja is not installed' }, () => {
  const buildDir = path.join(tempRoot, 'build-ninja');
  writeFileApiQuery(buildDir);
  configure(buildDir, 'Ninja');
  assert.deepEqual(readFileApiReply(buildDir), { source: 'cmake-file-api', sourceDir: example.dir, buildDir, packages: truth() });
});

test('a corrupt reply is null, not a partial model', { skip: !hasTool('cmake') && 'cmake is not installed' }, () => {
  const replyDir = path.join(example.dir, 'build', '.cmake', 'api', 'v1', 'reply');
  const targetFile = fs.readdirSync(replyDir).find((name) => name.startsWith('target-package_core-'));
  assert.ok(targetFile !== undefined);
  const text = fs.readFileSync(path.join(replyDir, targetFile), 'utf8');
  fs.writeFileSync(path.join(replyDir, targetFile), text.slice(0, text.length / 2));
  assert.equal(readFileApiReply(path.join(example.dir, 'build')), null);
  const index = fs.readdirSync(replyDir).filter((name) => name.startsWith('index-')).sort().at(-1)!;
  fs.writeFileSync(path.join(replyDir, targetFile), text);
  assert.notEqual(readFileApiReply(path.join(example.dir, 'build')), null);
  fs.writeFileSync(path.join(replyDir, index), '{"cmake": {"version": ');
  assert.equal(readFileApiReply(path.join(example.dir, 'build')), null);
});
