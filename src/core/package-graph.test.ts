import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reduceDependencies, summarizeGraph } from './package-graph.js';

const FLUFF = {
  make_defs: [],
  autogen: ['make_defs'],
  package_core: ['autogen'],
  package_sockets: ['autogen', 'package_core'],
  package_crypto: ['autogen'],
  package_math: ['autogen'],
  driver: ['autogen', 'package_core', 'package_sockets', 'package_crypto', 'package_math', 'libc'],
};

test('reduction drops edges implied by longer paths and names outside the graph', () => {
  assert.deepEqual(reduceDependencies(FLUFF), {
    autogen: ['make_defs'],
    driver: ['package_crypto', 'package_math', 'package_sockets'],
    make_defs: [],
    package_core: ['autogen'],
    package_crypto: ['autogen'],
    package_math: ['autogen'],
    package_sockets: ['package_core'],
  });
});

test('reduction keeps a cycle of static libraries as declared', () => {
  assert.deepEqual(reduceDependencies({ a: ['b'], b: ['a'], c: ['a', 'b'] }), { a: ['b'], b: ['a'], c: ['a', 'b'] });
});

test('critical path by weight, waves and the widest set that can build together', () => {
  const files: Record<string, number> = { make_defs: 1, autogen: 0, package_core: 6, package_sockets: 3, package_crypto: 2, package_math: 8, driver: 1 };
  const s = summarizeGraph(FLUFF, (n) => files[n] ?? 0);
  assert.deepEqual(s.critical_path, ['make_defs', 'autogen', 'package_core', 'package_sockets', 'driver']);
  assert.equal(s.critical_path_weight, 11);
  assert.deepEqual(s.waves, [['make_defs'], ['autogen'], ['package_core', 'package_crypto', 'package_math'], ['package_sockets'], ['driver']]);
  assert.deepEqual(s.parallel_opportunities, ['package_core', 'package_crypto', 'package_math']);
  const heavyMath = summarizeGraph(FLUFF, (n) => (n === 'package_math' ? 100 : 1));
  assert.deepEqual(heavyMath.critical_path, ['make_defs', 'autogen', 'package_math', 'driver']);
});

test('an empty graph and a chain have no parallel opportunities', () => {
  assert.deepEqual(summarizeGraph({}, () => 1), { dependency_graph: {}, critical_path: [], critical_path_weight: 0, parallel_opportunities: [], waves: [] });
  assert.deepEqual(summarizeGraph({ a: [], b: ['a'] }, () => 1).parallel_opportunities, []);
});
