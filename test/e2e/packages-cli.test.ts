import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { generateExample, type ExampleResult } from '../../examples/generate.js';
import { runCli, showJson, tempDir, tempHome } from '../helpers/cli.js';

type Graph = Record<string, string[]>;

interface PackageRow { name: string; kind: string; dir: string | null; files: number | null; depends_on: string[]; avg_duration_ms: number | null }

interface Report {
  dependencies_known: boolean;
  project_dir: string; source_dir: string; build_dir: string | null; model_source: string; detected_packages: string[];
  dependency_graph: Graph; critical_path: string[]; critical_path_basis: string; critical_path_weight: number;
  parallel_opportunities: string[]; waves: string[][]; packages: PackageRow[];
}

const SMALL = { shape: 'fluffos', packages: 4, filesPerPackage: 2, cost: 0.3, seed: 3 } as const;

function packagesJson(home: string, dir: string, cwd?: string, code = 0): Report {
  const r = runCli(['packages', dir, '--json'], { home, ...(cwd ? { cwd } : {}) });
  assert.equal(r.code, code, r.stderr);
  assert.equal(r.stderr, '');
  return JSON.parse(r.stdout.toString('utf8')) as Report;
}

function configure(src: string, build: string): void {
  const r = spawnSync('cmake', ['-S', src, '-B', build, '-G', 'Unix Makefiles'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

/** Edges as the generator wrote them: every package waits for autogen, autogen runs make_defs, driver links every package. */
function generatorGraph(ex: ExampleResult): Graph {
  const graph: Graph = { autogen: ['make_defs'], make_defs: [], driver: ['autogen', ...ex.packages.map((p) => p.target)] };
  for (const p of ex.packages) graph[p.target] = ['autogen', ...p.dependsOn];
  return graph;
}

function reachableFrom(graph: Graph, from: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(graph[from] ?? [])];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (!seen.has(n)) {
      seen.add(n);
      stack.push(...(graph[n] ?? []));
    }
  }
  return seen;
}

/** Transitive reduction of a DAG: drop a->c when another direct dependency of a reaches c. Names and lists sorted. */
function reduce(graph: Graph): Graph {
  const out: Graph = {};
  for (const name of Object.keys(graph).sort()) {
    const deps = [...new Set(graph[name])].sort();
    out[name] = deps.filter((d) => !deps.some((other) => other !== d && reachableFrom(graph, other).has(d)));
  }
  return out;
}

/** Level 0 for packages with no dependency, else one above the highest dependency. */
function expectedWaves(graph: Graph): string[][] {
  const level = new Map<string, number>();
  const levelOf = (n: string): number => {
    if (!level.has(n)) level.set(n, graph[n]!.length === 0 ? 0 : 1 + Math.max(...graph[n]!.map(levelOf)));
    return level.get(n)!;
  };
  const waves: string[][] = [];
  for (const n of Object.keys(graph)) (waves[levelOf(n)] ??= []).push(n);
  return waves.map((w) => w.sort());
}

/** Every heaviest dependency chain (first to build first) and its weight. */
function heaviestChains(graph: Graph, weight: (n: string) => number): { weight: number; chains: string[][] } {
  const chainsTo = (n: string): { weight: number; chains: string[][] } => {
    if (graph[n]!.length === 0) return { weight: weight(n), chains: [[n]] };
    const below = graph[n]!.map(chainsTo);
    const best = Math.max(...below.map((b) => b.weight));
    return { weight: best + weight(n), chains: below.filter((b) => b.weight === best).flatMap((b) => b.chains.map((c) => [...c, n])) };
  };
  const all = Object.keys(graph).map(chainsTo);
  const best = Math.max(...all.map((a) => a.weight));
  return { weight: best, chains: all.filter((a) => a.weight === best).flatMap((a) => a.chains) };
}

function fileCounts(ex: ExampleResult): Map<string, number> {
  return new Map([['autogen', 0], ['make_defs', 1], ['driver', 1], ...ex.packages.map((p): [string, number] => [p.target, p.sources.length])]);
}

/** What `packages --json` must say about a generated FluffOS example read from its CMakeLists.txt or its File API reply. */
function assertFluffosReport(report: Report, ex: ExampleResult): void {
  const graph = reduce(generatorGraph(ex));
  const names = ['autogen', 'driver', 'make_defs', ...ex.packages.map((p) => p.target).sort()];
  assert.deepEqual(report.detected_packages, names);
  assert.deepEqual(report.dependency_graph, graph);
  assert.equal(report.critical_path_basis, 'files');
  const files = fileCounts(ex);
  const heaviest = heaviestChains(graph, (n) => files.get(n)!);
  assert.equal(report.critical_path_weight, heaviest.weight);
  assert.ok(heaviest.chains.some((c) => JSON.stringify(c) === JSON.stringify(report.critical_path)), JSON.stringify(report.critical_path));
  const waves = expectedWaves(graph);
  assert.deepEqual(report.waves, waves);
  const widest = waves.reduce((a, w) => (w.length > a.length ? w : a), [] as string[]);
  assert.deepEqual(report.parallel_opportunities, widest.length > 1 ? widest : []);
  const dirOf = new Map(ex.packages.map((p) => [p.target, p.dir]));
  const kindOf = (n: string): string => (n === 'autogen' ? 'utility' : n === 'driver' || n === 'make_defs' ? 'executable' : 'static');
  assert.deepEqual(report.packages, names.map((n) => ({
    name: n, kind: kindOf(n), dir: dirOf.get(n) ?? 'src', files: files.get(n)!, depends_on: graph[n]!, avg_duration_ms: null,
  })));
}

test('packages of a FluffOS example: CMakeLists.txt before configure, the File API reply after, the same graph', { timeout: 120_000 }, async () => {
  const root = tempDir('buildmon-packages-');
  const home = tempHome();
  const ex = await generateExample(path.join(root, 'proj'), SMALL);
  const graph = reduce(generatorGraph(ex));
  // The seeded plan: crypto waits for sockets without linking it, math links core, sockets and crypto.
  assert.deepEqual(graph, {
    autogen: ['make_defs'], driver: ['package_math'], make_defs: [], package_core: ['autogen'],
    package_crypto: ['package_sockets'], package_math: ['package_crypto'], package_sockets: ['package_core'],
  });

  const before = packagesJson(home, ex.dir);
  assert.deepEqual([before.model_source, before.project_dir, before.source_dir, before.build_dir], ['cmakelists', ex.dir, ex.dir, null]);
  assertFluffosReport(before, ex);
  assert.deepEqual(before.critical_path, ['make_defs', 'autogen', 'package_core', 'package_sockets', 'package_crypto', 'package_math', 'driver']);
  assert.equal(before.critical_path_weight, 10);
  assert.deepEqual(before.waves, before.critical_path.map((n) => [n]));

  const text = runCli(['packages', ex.dir], { home });
  assert.equal(text.code, 0, text.stderr);
  const width = Math.max(...before.detected_packages.map((n) => n.length));
  assert.equal(text.stdout.toString('utf8'), [
    `7 packages in ${ex.dir} (from cmakelists)`,
    ...before.packages.map((p) =>
      `  ${p.name.padEnd(width)}  ${p.kind.padEnd(10)} ${String(p.files).padStart(4)} files${p.depends_on.length > 0 ? `  <- ${p.depends_on.join(', ')}` : ''}`),
    'critical path (10 files): make_defs -> autogen -> package_core -> package_sockets -> package_crypto -> package_math -> driver',
    '',
  ].join('\n'));

  const build = path.join(ex.dir, 'build');
  const query = path.join(build, '.cmake', 'api', 'v1', 'query', 'client-buildmon', 'query.json');
  configure(ex.dir, build);
  assert.equal(fs.existsSync(query), false, 'cmake alone writes no buildmon query');
  const configured = packagesJson(home, build);
  assert.deepEqual(JSON.parse(fs.readFileSync(query, 'utf8')), { requests: [{ kind: 'codemodel', version: 2 }] });
  assert.deepEqual([configured.model_source, configured.project_dir, configured.source_dir, configured.build_dir], ['cmakelists', build, ex.dir, build]);
  assertFluffosReport(configured, ex);

  configure(ex.dir, build);
  const reply = packagesJson(home, build);
  assert.deepEqual(reply, { ...configured, model_source: 'cmake-file-api' });
  assertFluffosReport(reply, ex);
  // The source directory finds its configured build directory below it; a relative DIR is taken from the cwd.
  assert.deepEqual(packagesJson(home, ex.dir), reply);
  assert.deepEqual(packagesJson(home, 'build', ex.dir), reply);
});

test('a wider generated graph: waves and parallel opportunities follow the dependency levels', async () => {
  const root = tempDir('buildmon-packages-');
  const home = tempHome();
  const ex = await generateExample(path.join(root, 'wide'), { shape: 'fluffos', packages: 6, filesPerPackage: 2, cost: 0.3, seed: 1 });
  const report = packagesJson(home, ex.dir);
  assert.equal(report.model_source, 'cmakelists');
  assertFluffosReport(report, ex);
  assert.deepEqual(report.waves, [
    ['make_defs'], ['autogen'], ['package_core'], ['package_crypto', 'package_sockets'], ['package_db', 'package_math', 'package_parser'], ['driver'],
  ]);
  assert.deepEqual(report.parallel_opportunities, ['package_db', 'package_math', 'package_parser']);
  const text = runCli(['packages', ex.dir], { home });
  assert.equal(text.code, 0, text.stderr);
  const lines = text.stdout.toString('utf8').split('\n');
  assert.equal(lines[0], `9 packages in ${ex.dir} (from cmakelists)`);
  for (const name of report.detected_packages) assert.equal(lines.filter((l) => l.startsWith(`  ${name} `)).length, 1, name);
  assert.equal(lines.filter((l) => l.startsWith(`critical path (${report.critical_path_weight} files): ${report.critical_path.join(' -> ')}`)).length, 1);
  assert.equal(lines.at(-2), 'can build in parallel: package_db, package_math, package_parser');
});

test('packages usage errors: a missing DIR, two DIRs, a directory with nothing to read', () => {
  const root = tempDir('buildmon-packages-');
  const home = tempHome();
  const missing = path.join(root, 'no-such-dir');
  const r1 = runCli(['packages', missing], { home });
  assert.equal(r1.code, 2);
  assert.equal(r1.stderr, `buildmon: packages: ${missing} is not a directory\n`);
  assert.equal(r1.stdout.length, 0);
  const r2 = runCli(['packages', root, root], { home });
  assert.equal(r2.code, 2);
  assert.match(r2.stderr, /^buildmon: packages: give at most one DIR\n/);
  const empty = path.join(root, 'empty');
  fs.mkdirSync(empty);
  const r3 = runCli(['packages', empty], { home });
  assert.equal(r3.code, 1);
  assert.equal(r3.stdout.toString('utf8'),
    `no packages found in ${empty}: no CMakeLists.txt, no build.ninja, and no earlier build of a Makefile here to learn from\n`);
  const json = packagesJson(home, empty, undefined, 1);
  assert.deepEqual([json.model_source, json.detected_packages, json.dependency_graph, json.critical_path, json.waves], ['none', [], {}, [], []]);
});

test('a plain Makefile project: no packages before a build, the directories make entered after one', { timeout: 180_000 }, async () => {
  const root = tempDir('buildmon-packages-');
  const home = tempHome();
  const ex = await generateExample(path.join(root, 'mk'), { shape: 'makefile', packages: 4, filesPerPackage: 2, cost: 0.1, seed: 3 });
  // The top Makefile runs `$(MAKE) -C lib/<name>` per package, so make prints "Entering directory '.../lib/<name>'".
  const top = fs.readFileSync(path.join(ex.dir, 'Makefile'), 'utf8');
  for (const p of ex.packages) assert.ok(top.includes(`$(MAKE) -C lib/${p.name}\n`), p.name);

  const before = packagesJson(home, ex.dir, undefined, 1);
  assert.deepEqual([before.model_source, before.detected_packages, before.waves], ['none', [], []]);
  const beforeText = runCli(['packages', ex.dir], { home });
  assert.equal(beforeText.code, 1);
  assert.match(beforeText.stdout.toString('utf8'), /^no packages found in /);

  const run = runCli(['run', '--quiet', '--', 'make', '-j2'], { home, cwd: ex.dir });
  assert.equal(run.code, 0, run.stderr);
  const list = JSON.parse(runCli(['sessions', '--json', '--limit', '1'], { home }).stdout.toString('utf8')) as Array<{ id: string }>;
  const session = showJson(home, list[0]!.id);
  assert.equal(session.status, 'succeeded');
  const livePackages = session.packages as Array<{ name: string; status: string; files_done: number; started_ms: number; ended_ms: number }>;

  const after = packagesJson(home, ex.dir);
  assert.equal(after.model_source, 'learned');
  assert.deepEqual([after.project_dir, after.source_dir, after.build_dir], [ex.dir, ex.dir, ex.dir]);
  const dirs = ex.packages.map((p) => p.name);
  // Besides the directories: main.cc compiled at the top ('top') and the two one-step links (tools/make_defs, program).
  assert.deepEqual(after.detected_packages, [...dirs, 'make_defs', 'program', 'top'].sort());
  assert.deepEqual(livePackages.map((p) => p.name), after.detected_packages);
  assert.ok(livePackages.every((p) => p.status === 'completed'));
  const filesOf = new Map<string, number>([...dirs.map((d): [string, number] => [d, 2]), ['make_defs', 0], ['program', 0], ['top', 1]]);
  assert.deepEqual(after.packages, livePackages.map((p) => ({
    name: p.name, kind: 'directory', dir: null, files: filesOf.get(p.name), depends_on: [], avg_duration_ms: p.ended_ms - p.started_ms,
  })));
  assert.deepEqual(livePackages.map((p) => p.files_done), after.packages.map((p) => p.files));
  assert.equal(after.critical_path_basis, 'duration');
  assert.deepEqual(after.dependency_graph, Object.fromEntries(after.detected_packages.map((n) => [n, []])));
  // A plain Makefile's output does not say what waits for what: no made-up critical path or parallelism.
  assert.deepEqual([after.dependencies_known, after.waves, after.critical_path, after.critical_path_weight, after.parallel_opportunities], [false, [], [], 0, []]);
  const text = runCli(['packages', ex.dir], { home });
  assert.equal(text.code, 0);
  assert.match(text.stdout.toString('utf8'), /\nwhat waits for what is not known: a plain Makefile's output does not say\n$/);
});
