import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { generateExample } from '../../examples/generate.js';
import { logHeader, runCli, showJson, tempDir, tempHome } from '../helpers/cli.js';

interface JsonPackage { name: string; status: string; files_done: number; files_total: number | null }

test('a ninja build with its own NINJA_STATUS: packages are read live and again in replay', async () => {
  const root = tempDir();
  const example = await generateExample(path.join(root, 'proj'), { shape: 'fluffos', packages: 3, filesPerPackage: 2, cost: 0.3, seed: 5 });
  const build = path.join(example.dir, 'build');
  const conf = spawnSync('cmake', ['-S', example.dir, '-B', build, '-G', 'Ninja'], { encoding: 'utf8' });
  assert.equal(conf.status, 0, conf.stderr);
  const home = tempHome();
  const status = '(%p) %f of %t: ';
  const r = runCli(['run', '--quiet', '--', 'ninja', '-j2'], { home, cwd: build, env: { NINJA_STATUS: status } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.toString('utf8'), /^\( *\d+%\) 1 of \d+: /m);
  const id = (JSON.parse(runCli(['sessions', '--json', '--limit', '1'], { home }).stdout.toString('utf8')) as Array<{ id: string }>)[0]!.id;
  const s = showJson(home, id);
  assert.equal(s.progress_pct, 100);
  const expected = [
    ...example.packages.map((p) => [p.target, 'completed', p.sources.length, p.sources.length]),
    ['autogen', 'completed', 0, null], ['driver', 'completed', 1, 1], ['make_defs', 'completed', 1, 1],
  ].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  const rows = (packages: JsonPackage[]): unknown[] => packages.map((p) => [p.name, p.status, p.files_done, p.files_total]);
  assert.deepEqual(rows(s.packages as JsonPackage[]), expected);
  assert.equal(JSON.parse(logHeader(s.log_path as string).ninja_status!), status);
  const replay = runCli(['replay', '--json', '--no-record', s.log_path as string], { home });
  assert.equal(replay.code, 0, replay.stderr);
  const rj = JSON.parse(replay.stdout.toString('utf8')) as { packages: JsonPackage[]; checkpoints: Array<{ progress_pct: number | null }> };
  assert.deepEqual(rows(rj.packages), expected);
  // The custom status still carries %f and %t, so the replay reads progress from it.
  const last = rj.checkpoints.at(-1)!.progress_pct;
  assert.ok(last !== null && last > 0 && last < 100, `progress at 90% of the time: ${last}`);
});
