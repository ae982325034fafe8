import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../test/helpers/cli.js';
import { projectPackages } from '../run/project-packages.js';
import { MAX_DEPENDS, MAX_PARALLEL, MAX_WAVES, packagesAnswer, renderPackages } from './build-packages.js';

const CHAINS = 60;
const CHAIN_LENGTH = 50;
const lib = (chain: number, link: number): string => `c${String(chain).padStart(2, '0')}_${String(link).padStart(2, '0')}`;

/**
 * A CMake tree of 3001 targets: 60 chains of 50 static libraries, each linking the one before it,
 * and an executable `app` linking the last of every chain. 51 waves (60 libraries wide, then app),
 * a critical path of 51 names, and 60 direct dependencies of app.
 */
function bigProject(): string {
  const dir = tempDir('buildmon-big-');
  const lines = ['project(big C)'];
  for (let c = 0; c < CHAINS; c++) {
    for (let k = 0; k < CHAIN_LENGTH; k++) {
      lines.push(`add_library(${lib(c, k)} STATIC ${lib(c, k)}.c)`);
      if (k > 0) lines.push(`target_link_libraries(${lib(c, k)} PRIVATE ${lib(c, k - 1)})`);
    }
  }
  const lasts = Array.from({ length: CHAINS }, (_, c) => lib(c, CHAIN_LENGTH - 1));
  lines.push('add_executable(app main.c)', `target_link_libraries(app PRIVATE ${lasts.join(' ')})`);
  fs.writeFileSync(path.join(dir, 'CMakeLists.txt'), lines.join('\n') + '\n');
  return dir;
}

const report = projectPackages(null, bigProject());
const chain0 = Array.from({ length: CHAIN_LENGTH }, (_, k) => lib(0, k));

test('the whole report of 3001 targets is large: every list in it grows with the project', () => {
  assert.deepEqual([report.detected_packages.length, report.critical_path.length, report.waves.length, report.parallel_opportunities.length],
    [3001, 51, 51, 60]);
  assert.ok(JSON.stringify(report).length > 300_000, `${JSON.stringify(report).length} bytes`);
});

test('the answer for 3001 targets is bounded, and omitted counts what each field lost', () => {
  const a = packagesAnswer(report, 50);
  assert.ok(JSON.stringify(a).length < 10_000, `${JSON.stringify(a).length} bytes`);
  assert.equal(a.package_count, 3001);
  // The critical path first, in build order: chain 0, then app (which the limit leaves out).
  assert.deepEqual(a.packages.map((p) => p.name), chain0);
  assert.deepEqual(a.critical_path, chain0);
  assert.deepEqual(a.detected_packages, chain0);
  assert.deepEqual(Object.keys(a.dependency_graph).sort(), chain0);
  assert.deepEqual(a.dependency_graph[lib(0, 1)], [lib(0, 0)]);
  assert.deepEqual(a.parallel_opportunities, Array.from({ length: MAX_PARALLEL }, (_, c) => lib(c, 0)));
  assert.deepEqual(a.wave_sizes, Array.from({ length: MAX_WAVES }, () => CHAINS));
  assert.deepEqual(a.omitted, { packages: 2951, critical_path: 1, parallel_opportunities: 40, waves: 1 });
  assert.deepEqual([a.critical_path_basis, a.critical_path_weight, a.dependencies_known], ['files', 51, true]);
  assert.equal(renderPackages(a), [
    '3001 packages (from cmakelists); rows for 50 (raise limit for more)',
    `waves: ${Array.from({ length: MAX_PARALLEL }, () => '60').join(' + ')} + ... (51 waves)`,
    `critical path (51 files): ${chain0.slice(0, 20).join(' -> ')} (+31 more)`,
    `parallel: ${a.parallel_opportunities.join(', ')} (+40 more)`,
  ].join('\n'));
});

test('a row lists at most 20 dependencies, in the graph too', () => {
  const a = packagesAnswer(report, 100);
  const app = a.packages.find((p) => p.name === 'app');
  const firstLasts = Array.from({ length: MAX_DEPENDS }, (_, c) => lib(c, CHAIN_LENGTH - 1));
  assert.deepEqual([a.packages.length, app?.depends_on, a.dependency_graph.app], [100, firstLasts, firstLasts]);
  assert.deepEqual(a.critical_path, [...chain0, 'app']);
  assert.deepEqual(a.omitted, { packages: 2901, parallel_opportunities: 40, waves: 1, depends_on: CHAINS - MAX_DEPENDS });
});
