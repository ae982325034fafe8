import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PackageState } from '../../core/packages/package-state.js';
import { openStore } from '../../store/store.js';
import { sessionRecord } from '../../../test/helpers/records.js';
import { runCli, tempHome } from '../../../test/helpers/cli.js';

function pkg(name: string, over: Partial<PackageState>): PackageState {
  return {
    name, status: 'completed', reason: null, current_files: [], files_done: 2, files_total: 2, progress_pct: 100,
    elapsed_ms: null, started_ms: null, ended_ms: null, depends_on: [], errors: 0, warnings: 0, ...over,
  };
}

/**
 * Two `make -j4` builds and one older build with no job count, in /p/build. package_sockets
 * compiles socket.cc then efuns.cc and links for 100 ms: busy 1300 ms in the newer -j4 build,
 * 1600 ms in the older, 3000 ms in the legacy one.
 */
function seed(home: string): void {
  const store = openStore(home);
  const builds: Array<[string, number, number | null, string, number, number]> = [
    ['old', 10_000, null, 'all', 2000, 900],
    ['b1', 20_000, 4, 'all_j4', 1000, 500],
    ['b2', 30_000, 4, 'all_j4', 800, 400],
  ];
  for (const [id, t0, jobs, key, socketMs, efunsMs] of builds) {
    const linkEnd = t0 + socketMs + efunsMs + 100;
    store.sessions.insert(sessionRecord({ id, startedMs: t0, jobs, historyKey: key, command: ['make'] }));
    store.sessions.finish(id, { status: 'succeeded', endedMs: linkEnd + 1000, exitCode: 0, signal: null, message: null }, null, linkEnd + 1000);
    store.details.saveOutcome(id, {
      packages: [pkg('package_sockets', { started_ms: t0, ended_ms: linkEnd })],
      files: [
        { package: 'package_sockets', source: 'socket.cc', startedMs: t0, endedMs: t0 + socketMs },
        { package: 'package_sockets', source: 'efuns.cc', startedMs: t0 + socketMs, endedMs: t0 + socketMs + efunsMs },
      ],
      diagnostics: [],
    });
  }
  store.db.prepare('UPDATE sessions SET peak_rss_bytes = ?, avg_cpu_pct = ?, sample_count = ? WHERE id = ?').run(700 * 2 ** 20, 190, 12, 'b2');
  store.db.prepare(`INSERT INTO process_runs (session_id, role, package, source, started_ms, ended_ms, peak_rss_bytes, cpu_ms)
    VALUES ('b2', 'compile', 'package_sockets', 'socket.cc', 30000, 30800, ?, 750)`).run(300 * 2 ** 20);
  store.close();
}

test('history KEY for a package at a job count: its busy time, files, bottleneck, trend and resources', () => {
  const home = tempHome();
  seed(home);
  const json = runCli(['history', 'package_sockets_j4', '--json'], { home });
  assert.equal(json.code, 0, json.stderr);
  // Newest first 1300, 1600: (1300 + 0.7 * 1600) / 1.7 = 1423.5. socket.cc 900 of 1350 ms of files.
  assert.deepEqual(JSON.parse(json.stdout.toString('utf8')), {
    history_key: 'package_sockets_j4', builds: [], package: 'package_sockets',
    package_history: [{
      project_dir: '/p/build', key: 'package_sockets_j4', package: 'package_sockets', jobs: 4, based_on: 'same-jobs',
      avg_duration_ms: 1424, confidence: 0.6, samples: 2, typical_files: 2,
      bottleneck_files: [{ source: 'socket.cc', avg_ms: 900, share_pct: 66.7 }], trend: { direction: 'steady', change_pct: 0 },
      peak_rss_bytes: 300 * 2 ** 20, cpu_ms: 750,
      // Per file: only socket.cc of b2 was sampled.
      files: [
        { package: 'package_sockets', source: 'efuns.cc', based_on: 'same-jobs', avg_ms: 441, samples: 2, peak_rss_bytes: null },
        { package: 'package_sockets', source: 'socket.cc', based_on: 'same-jobs', avg_ms: 882, samples: 2, peak_rss_bytes: 300 * 2 ** 20 },
      ],
    }],
  });
  const human = runCli(['history', 'package_sockets_j4'], { home });
  assert.equal(human.stdout.toString('utf8'), [
    'package_sockets_j4 in /p/build: 2 builds at -j4, confidence 0.60',
    '  average 1.4s busy · 2 files typical · steady',
    '  resources peak 300MB per process · CPU 0.8s',
    '  slowest files:',
    '    socket.cc    0.9s  66.7%',
    '',
  ].join('\n'));
});

test('history KEY for a package with no build at that job count falls back to builds without one, and says so', () => {
  const home = tempHome();
  seed(home);
  const r = runCli(['history', 'package_sockets_j8'], { home });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString('utf8').split('\n')[0], 'package_sockets_j8 in /p/build: 1 build without a job count (none at -j8), confidence 0.19');
  const bare = JSON.parse(runCli(['history', 'package_sockets', '--json'], { home }).stdout.toString('utf8')) as { package_history: { key: string; based_on: string; avg_duration_ms: number }[] };
  assert.deepEqual(bare.package_history.map((h) => [h.key, h.based_on, h.avg_duration_ms]), [['package_sockets', 'legacy', 3000]]);
  const none = runCli(['history', 'nothing_j4'], { home });
  assert.deepEqual([none.code, none.stdout.toString('utf8')], [1, "no builds recorded for key 'nothing_j4' (see: buildmon history)\n"]);
});

test('history lists peak memory and average CPU per key where sampled', () => {
  const home = tempHome();
  seed(home);
  const rows = JSON.parse(runCli(['history', '--json'], { home }).stdout.toString('utf8')) as Record<string, unknown>[];
  assert.deepEqual(rows.map((r) => [r.history_key, r.builds, r.peak_memory_bytes, r.avg_cpu_pct, r.resource_samples]), [
    ['all_j4', 2, 700 * 2 ** 20, 190, 12], // the samples the sampler took, not the builds it sampled
    ['all', 1, null, null, 0],
  ]);
  assert.deepEqual(runCli(['history'], { home }).stdout.toString('utf8').split('\n'), [
    'KEY                      BUILDS   OK      AVG     LAST PEAK MEM    CPU  PROJECT',
    'all_j4                        2    2     2.5s     2.3s    700MB   190%  /p/build',
    'all (jobs ?)                  1    1     4.0s     4.0s        -      -  /p/build',
    '',
  ]);
});
