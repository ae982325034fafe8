import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { ResourceSummary } from '../core/resources/resource-tracker.js';
import { openDatabase, type Db } from './database.js';
import { ResourceStore } from './resource-store.js';
import { SessionStore } from './session-store.js';
import { sessionRecord } from '../../test/helpers/records.js';
import { tempHome } from '../../test/helpers/cli.js';

const MB = 1024 * 1024;

function withDb(fn: (db: Db, resources: ResourceStore, sessions: SessionStore) => void): void {
  const home = tempHome();
  const db = openDatabase(path.join(home, 'buildmon.db'), path.join(home, 'logs'));
  try {
    fn(db, new ResourceStore(db), new SessionStore(db));
  } finally {
    db.close();
  }
}

const BUILD: ResourceSummary & { samplerCpuMs: number } = {
  peakRssBytes: 118 * MB, avgCpuPct: 73.5, peakProcs: 5, peakCompilers: 2, sampleCount: 6, samplerCpuMs: 4.25,
  samples: [
    { atMs: 1000, rssBytes: 56 * MB, cpuPct: null, procs: 3, compilers: 1 },
    { atMs: 1100, rssBytes: 118 * MB, cpuPct: 140, procs: 5, compilers: 2 },
    { atMs: 1300, rssBytes: 49 * MB, cpuPct: 95, procs: 5, compilers: 2 },
  ],
  processRuns: [
    { role: 'compile', package: 'package_core', source: '/p/src/packages/core/core.cc', startedMs: 1000, endedMs: 1300, peakRssBytes: 82 * MB, cpuMs: 240 },
    { role: 'compile', package: 'package_core', source: '/p/src/packages/core/core_efuns.cc', startedMs: 1100, endedMs: 1500, peakRssBytes: 42 * MB, cpuMs: 300 },
    { role: 'compile', package: null, source: 'm.c', startedMs: 1100, endedMs: 1200, peakRssBytes: 10 * MB, cpuMs: 20 },
    { role: 'link', package: 'package_db', source: 'libpackage_db.a', startedMs: 1500, endedMs: 1600, peakRssBytes: 3 * MB, cpuMs: 30 },
  ],
};

test('a build\'s resources round trip: session totals, samples in time order, process runs', () => withDb((db, resources, sessions) => {
  sessions.insert(sessionRecord({ id: 'a' }));
  assert.equal(resources.summary('a'), null, 'not sampled yet');
  resources.saveSummary('a', BUILD);
  assert.deepEqual(resources.summary('a'), BUILD);
  assert.deepEqual(db.prepare('SELECT peak_rss_bytes, avg_cpu_pct, peak_procs, peak_compilers, sample_count, sampler_cpu_ms FROM sessions WHERE id = ?').get('a'), {
    peak_rss_bytes: 118 * MB, avg_cpu_pct: 73.5, peak_procs: 5, peak_compilers: 2, sample_count: 6, sampler_cpu_ms: 4.25,
  });
  assert.deepEqual(resources.summary('nope'), null);
}));

test('saving again replaces the session\'s record and leaves other sessions alone', () => withDb((_db, resources, sessions) => {
  sessions.insert(sessionRecord({ id: 'a' }));
  sessions.insert(sessionRecord({ id: 'b', startedMs: 5000 }));
  resources.saveSummary('b', BUILD);
  resources.saveSummary('a', BUILD);
  const second = { ...BUILD, sampleCount: 1, samples: [{ atMs: 2000, rssBytes: MB, cpuPct: null, procs: 1, compilers: 0 }], processRuns: [] };
  resources.saveSummary('a', second);
  assert.deepEqual(resources.summary('a'), second);
  assert.deepEqual(resources.samples('b'), BUILD.samples);
  assert.deepEqual(resources.processRuns('b'), BUILD.processRuns);
}));

test('per package: the heaviest compile or link and the CPU of all, busiest first, unattributed left out', () => withDb((_db, resources, sessions) => {
  sessions.insert(sessionRecord({ id: 'a' }));
  resources.saveSummary('a', BUILD);
  assert.deepEqual(resources.packageSummary('a'), [
    { package: 'package_core', peakRssBytes: 82 * MB, cpuMs: 540, runs: 2 },
    { package: 'package_db', peakRssBytes: 3 * MB, cpuMs: 30, runs: 1 },
  ]);
  assert.deepEqual(resources.packageSummary('b'), []);
}));

test('per history key: only succeeded, sampled builds of that project and key', () => withDb((_db, resources, sessions) => {
  const done = { status: 'succeeded' as const, endedMs: 9000 };
  sessions.insert(sessionRecord({ id: 'a', ...done }));
  sessions.insert(sessionRecord({ id: 'b', ...done, startedMs: 10_000 }));
  sessions.insert(sessionRecord({ id: 'unsampled', ...done, startedMs: 20_000 }));
  sessions.insert(sessionRecord({ id: 'failed', status: 'failed', endedMs: 9000, startedMs: 30_000 }));
  sessions.insert(sessionRecord({ id: 'j4', ...done, startedMs: 40_000, historyKey: 'all_j4', jobs: 4 }));
  sessions.insert(sessionRecord({ id: 'elsewhere', ...done, startedMs: 50_000, projectDir: '/q/build' }));
  resources.saveSummary('a', BUILD);
  resources.saveSummary('b', { ...BUILD, peakRssBytes: 200 * MB, avgCpuPct: 150.5, sampleCount: 40 });
  for (const id of ['failed', 'j4', 'elsewhere']) resources.saveSummary(id, { ...BUILD, peakRssBytes: 900 * MB, avgCpuPct: 10 });
  assert.deepEqual(resources.keySummary('/p/build', 'all_j2'), { peakRssBytes: 200 * MB, avgCpuPct: 112, samples: 46, builds: 2 });
  assert.deepEqual(resources.keySummary('/p/build', 'all_j8'), { peakRssBytes: null, avgCpuPct: null, samples: 0, builds: 0 });
}));
