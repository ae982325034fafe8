import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultExampleOptions } from './example-options.js';
import { planPackages, type PlannedPackage } from './package-plan.js';

const plan = (overrides: Partial<ReturnType<typeof defaultExampleOptions>>): PlannedPackage[] =>
  planPackages({ ...defaultExampleOptions(), ...overrides });

test('names follow the FluffOS package list, then extra_N', () => {
  const names = plan({ packages: 22, filesPerPackage: 1 }).map((p) => p.name);
  assert.deepEqual(names.slice(0, 5), ['core', 'sockets', 'crypto', 'math', 'db']);
  assert.deepEqual(names.slice(19), ['dwlib', 'extra_21', 'extra_22']);
});

test('file stems are unique and start with the package file', () => {
  const packages = plan({ packages: 3, filesPerPackage: 18 });
  assert.deepEqual(packages[1]?.files.slice(0, 3).map((f) => f.stem), ['sockets', 'sockets_efuns', 'sockets_util']);
  assert.equal(packages[1]?.files[17]?.stem, 'sockets_part17');
  const stems = packages.flatMap((p) => p.files.map((f) => f.stem));
  assert.equal(new Set(stems).size, stems.length);
});

test('the graph is a DAG over earlier packages with core at the bottom and an order-only edge', () => {
  for (const seed of [1, 2, 3, 42, 1000]) {
    for (const count of [3, 8, 21, 60]) {
      const packages = plan({ packages: count, filesPerPackage: 1, seed });
      const index = new Map(packages.map((p, i) => [p.name, i]));
      assert.deepEqual(packages[0]?.links, []);
      assert.deepEqual(packages[0]?.orderOnly, []);
      for (const [i, pkg] of packages.entries()) {
        if (i > 0) assert.ok(pkg.links.length > 0, `${pkg.name} links something`);
        for (const dep of [...pkg.links, ...pkg.orderOnly]) assert.ok((index.get(dep) ?? i) < i, `${pkg.name} -> ${dep}`);
        for (const dep of pkg.orderOnly) assert.ok(!pkg.links.includes(dep));
      }
      const coreUsers = packages.filter((p) => p.links.includes('core')).length;
      assert.ok(coreUsers >= 2, `seed ${seed}, ${count} packages: core used by ${coreUsers}`);
      assert.ok(packages.some((p) => p.orderOnly.length > 0), `seed ${seed}, ${count} packages: order-only edge`);
    }
  }
});

test('about a tenth of the files are heavy, concentrated in few packages, and several times costlier', () => {
  const packages = plan({});
  const files = packages.flatMap((p) => p.files);
  const heavy = files.filter((f) => f.heavy);
  assert.equal(heavy.length, 3);
  assert.ok(packages.filter((p) => p.files.some((f) => f.heavy)).length <= 2);
  const lightMean = files.filter((f) => !f.heavy).reduce((sum, f) => sum + f.units, 0) / (files.length - heavy.length);
  for (const file of heavy) assert.ok(file.units >= 3 * lightMean, `${file.stem}: ${file.units} vs ${lightMean}`);
});

test('cost scales the units of every file and never drops below one unit', () => {
  const base = plan({}).flatMap((p) => p.files.map((f) => f.units));
  const double = plan({ cost: 2 }).flatMap((p) => p.files.map((f) => f.units));
  base.forEach((units, i) => assert.ok(Math.abs((double[i] ?? 0) - 2 * units) <= 1, `file ${i}`));
  assert.ok(plan({ cost: 0.001 }).every((p) => p.files.every((f) => f.units === 1)));
});

test('different seeds give different graphs or costs', () => {
  assert.notDeepEqual(plan({ seed: 1 }), plan({ seed: 2 }));
  assert.deepEqual(plan({ seed: 7 }), plan({ seed: 7 }));
});
