import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { PackageState } from '../core/packages/package-state.js';
import type { PastBuild } from '../core/predict/past-build.js';
import { packageHistory } from '../core/history/package-history.js';
import { openDatabase, type Db } from './database.js';
import { SessionStore } from './session-store.js';
import { BuildDetailStore } from './build-detail-store.js';
import { PastBuildStore } from './past-build-store.js';
import type { SessionStatus } from './session-types.js';
import { sessionRecord } from '../../test/helpers/records.js';
import { tempHome } from '../../test/helpers/cli.js';

interface Stores { db: Db; sessions: SessionStore; details: BuildDetailStore; past: PastBuildStore }

function withDb(fn: (s: Stores) => void): void {
  const home = tempHome();
  const db = openDatabase(path.join(home, 'buildmon.db'), path.join(home, 'logs'));
  try {
    fn({ db, sessions: new SessionStore(db), details: new BuildDetailStore(db), past: new PastBuildStore(db) });
  } finally {
    db.close();
  }
}

function pkg(name: string, over: Partial<PackageState> = {}): PackageState {
  return {
    name, status: 'completed', reason: null, current_files: [], files_done: 2, files_total: 2, progress_pct: 100,
    elapsed_ms: 1000, started_ms: 1000, ended_ms: 2000, depends_on: [], errors: 0, warnings: 0, ...over,
  };
}

/** A finished build through the store's own API: session, then its outcome. */
function finished(s: Stores, id: string, startedMs: number, endedMs: number, over: { status?: Exclude<SessionStatus, 'starting' | 'running'>; historyKey?: string; jobs?: number | null; target?: string; projectDir?: string; buildCpuMs?: number } = {}): void {
  s.sessions.insert(sessionRecord({ id, startedMs, historyKey: over.historyKey ?? 'all_j2', jobs: over.jobs === undefined ? 2 : over.jobs, target: over.target ?? 'all', projectDir: over.projectDir ?? '/p/build' }));
  s.sessions.finish(id, { status: over.status ?? 'succeeded', endedMs, exitCode: 0, signal: null, message: null, buildCpuMs: over.buildCpuMs ?? null }, null, endedMs);
}

function processRun(db: Db, sessionId: string, role: 'compile' | 'link', pkgName: string | null, source: string, peakRssBytes: number, cpuMs: number): void {
  db.prepare(`INSERT INTO process_runs (session_id, role, package, source, started_ms, ended_ms, peak_rss_bytes, cpu_ms)
    VALUES (?, ?, ?, ?, 0, 0, ?, ?)`).run(sessionId, role, pkgName, source, peakRssBytes, cpuMs);
}

test('a finished build loads with its files, packages, dependencies and the resources attributed to them', () => withDb((s) => {
  finished(s, 'a', 1000, 9000, { buildCpuMs: 12_000 });
  s.db.prepare('UPDATE sessions SET peak_rss_bytes = ?, avg_cpu_pct = ?, sample_count = ? WHERE id = ?').run(500_000_000, 150.5, 40, 'a');
  s.details.saveOutcome('a', {
    packages: [pkg('package_core', { depends_on: ['autogen'], started_ms: 2000, ended_ms: 8000, files_done: 2, files_total: 3 }), pkg('autogen', { files_done: 0, files_total: null })],
    files: [], diagnostics: [],
  });
  s.details.replaceFileRunsExact('a', [
    { package: 'package_core', source: 'src/core.cc', startedMs: 2000, endedMs: 5000 },
    { package: 'package_core', source: 'src/efuns.cc', startedMs: 2500, endedMs: 7000 },
  ]);
  // Two processes compiled core.cc (the driver and cc1plus): the peak is the larger, the CPU the sum.
  processRun(s.db, 'a', 'compile', 'package_core', 'src/core.cc', 90_000_000, 2000);
  processRun(s.db, 'a', 'compile', 'package_core', 'src/core.cc', 120_000_000, 500);
  // The sampler could not place efuns.cc in a package: found by its source alone.
  processRun(s.db, 'a', 'compile', null, 'src/efuns.cc', 80_000_000, 3000);
  processRun(s.db, 'a', 'link', 'package_core', 'libpackage_core.a', 20_000_000, 100);
  processRun(s.db, 'a', 'compile', 'package_other', 'src/core.cc', 999, 1);
  const want: PastBuild = {
    sessionId: 'a', target: 'all', jobs: 2, legacy: false, startedMs: 1000, durationMs: 8000, succeeded: true, cores: 2,
    cpuMs: 12_000, peakRssBytes: 500_000_000, avgCpuPct: 150.5,
    files: [
      { package: 'package_core', source: 'src/core.cc', startedMs: 2000, endedMs: 5000, peakRssBytes: 120_000_000, cpuMs: 2500 },
      { package: 'package_core', source: 'src/efuns.cc', startedMs: 2500, endedMs: 7000, peakRssBytes: 80_000_000, cpuMs: 3000 },
    ],
    packages: [
      { name: 'autogen', status: 'completed', startedMs: 1000, endedMs: 2000, filesDone: 0, filesTotal: null, dependsOn: [], peakRssBytes: null, cpuMs: null },
      { name: 'package_core', status: 'completed', startedMs: 2000, endedMs: 8000, filesDone: 2, filesTotal: 3, dependsOn: ['autogen'], peakRssBytes: 120_000_000, cpuMs: 2600 },
    ],
  };
  assert.deepEqual(s.past.load('/p/build'), [want]);
  assert.deepEqual(s.past.load('/p/build', { withDetails: false }), [{ ...want, files: [], packages: [] }], 'the session alone');
}));

test('which builds: finished ones of the project, newest first, by target, end, limit and outcome; legacy keys marked', () => withDb((s) => {
  finished(s, 'old', 1000, 2000);
  finished(s, 'bare', 3000, 4000, { historyKey: 'all', jobs: null });
  finished(s, 'unl', 4500, 4800, { historyKey: 'all_junlimited', jobs: null });
  finished(s, 'fail', 5000, 6000, { status: 'failed' });
  finished(s, 'cancel', 6100, 6200, { status: 'cancelled' });
  finished(s, 'lost', 6300, 6400, { status: 'lost' });
  finished(s, 'pkg', 7000, 8000, { target: 'package_core', historyKey: 'package_core_j2' });
  finished(s, 'elsewhere', 9000, 9500, { projectDir: '/q/build' });
  s.sessions.insert(sessionRecord({ id: 'running', startedMs: 9900 }));
  const ids = (list: PastBuild[]): string[] => list.map((b) => b.sessionId);
  assert.deepEqual(ids(s.past.load('/p/build')), ['pkg', 'unl', 'bare', 'old']);
  assert.deepEqual(s.past.load('/p/build').map((b) => [b.jobs, b.legacy]), [[2, false], [null, false], [null, true], [2, false]]);
  assert.deepEqual(ids(s.past.load('/p/build', { includeFailed: true })), ['pkg', 'cancel', 'fail', 'unl', 'bare', 'old']);
  assert.deepEqual(s.past.load('/p/build', { includeFailed: true }).map((b) => b.succeeded), [true, false, false, true, true, true]);
  assert.deepEqual(ids(s.past.load('/p/build', { target: 'all' })), ['unl', 'bare', 'old']);
  assert.deepEqual(ids(s.past.load('/p/build', { beforeMs: 4000 })), ['bare', 'old'], 'ended at or before');
  assert.deepEqual(ids(s.past.load('/p/build', { limit: 2 })), ['pkg', 'unl']);
  assert.deepEqual(s.past.load('/nowhere'), []);
  assert.deepEqual(s.past.projectsWithPackage('package_core'), []);
  s.details.saveOutcome('old', { packages: [pkg('package_core')], files: [], diagnostics: [] });
  s.details.saveOutcome('elsewhere', { packages: [pkg('package_core')], files: [], diagnostics: [] });
  assert.deepEqual(s.past.projectsWithPackage('package_core'), ['/q/build', '/p/build'], 'most recently used first');
}));

test('through the store: builds recorded with its API become a package history', () => withDb((s) => {
  // Three -j2 builds of package_core: two files each (a link of 100 ms after them), the newest one 20% faster.
  const runs: Array<[string, number, number, number]> = [['b1', 10_000, 1000, 500], ['b2', 20_000, 1000, 500], ['b3', 30_000, 800, 400]];
  for (const [id, t0, coreMs, efunsMs] of runs) {
    const end = t0 + coreMs + efunsMs + 100;
    finished(s, id, t0, end + 50);
    s.details.saveOutcome(id, {
      packages: [pkg('package_core', { started_ms: t0, ended_ms: end, files_done: 2 })],
      files: [
        { package: 'package_core', source: 'core.cc', startedMs: t0, endedMs: t0 + coreMs },
        { package: 'package_core', source: 'efuns.cc', startedMs: t0 + coreMs, endedMs: t0 + coreMs + efunsMs },
      ],
      diagnostics: [],
    });
  }
  const builds = s.past.load('/p/build');
  assert.deepEqual(builds.map((b) => b.packages.map((p) => p.endedMs)), [[31_300], [21_600], [11_600]]);
  // Busy times newest first: 1300, 1600, 1600 (files plus link); weights 1, 0.7, 0.49 -> 3204 / 2.19 = 1463.0.
  assert.deepEqual(packageHistory(builds, 'package_core', 2), {
    key: 'package_core_j2', package: 'package_core', jobs: 2, based_on: 'same-jobs', avg_duration_ms: 1463, confidence: 0.68, samples: 3,
    typical_files: 2, bottleneck_files: [{ source: 'core.cc', avg_ms: 933, share_pct: 66.7 }], trend: { direction: 'steady', change_pct: 0 },
    peak_rss_bytes: null, cpu_ms: null,
  });
}));

test('loading 200 builds of 50 files takes a few statements, not one per build', () => withDb((s) => {
  const BUILDS = 200;
  const FILES = 50;
  const fill = s.db.transaction(() => {
    for (let b = 0; b < BUILDS; b++) {
      const id = `b${String(b).padStart(3, '0')}`;
      const t0 = b * 100_000;
      finished(s, id, t0, t0 + 60_000);
      const files = Array.from({ length: FILES }, (_, f) => ({ package: `pkg${f % 5}`, source: `src/f${f}.cc`, startedMs: t0 + f * 1000, endedMs: t0 + f * 1000 + 900 }));
      s.details.saveOutcome(id, { packages: Array.from({ length: 5 }, (_, p) => pkg(`pkg${p}`, { depends_on: p > 0 ? ['pkg0'] : [] })), files, diagnostics: [] });
      for (const f of files) processRun(s.db, id, 'compile', f.package, f.source, 50_000_000 + b, 800);
    }
  });
  fill();
  const t = process.hrtime.bigint();
  const builds = s.past.load('/p/build', { limit: BUILDS });
  const elapsedMs = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(`load: ${BUILDS} builds x ${FILES} files in ${elapsedMs.toFixed(1)} ms`);
  assert.equal(builds.length, BUILDS);
  assert.equal(builds[0]?.sessionId, 'b199');
  assert.deepEqual(builds.map((b) => b.files.length), Array(BUILDS).fill(FILES));
  assert.deepEqual(builds[0]?.files[49], { package: 'pkg4', source: 'src/f49.cc', startedMs: 19_949_000, endedMs: 19_949_900, peakRssBytes: 50_000_199, cpuMs: 800 });
  assert.deepEqual(builds[0]?.packages[3], {
    name: 'pkg3', status: 'completed', startedMs: 1000, endedMs: 2000, filesDone: 2, filesTotal: 2, dependsOn: ['pkg0'], peakRssBytes: 50_000_199, cpuMs: 8000,
  });
  assert.ok(elapsedMs < 2000, `took ${elapsedMs} ms`);
}));
