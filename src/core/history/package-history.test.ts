import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PastBuild, PastFile, PastPackage } from '../predict/past-build.js';
import { allPackageHistory, fileHistory, packageHistory } from './package-history.js';
import { packageBusyMs } from './busy-time.js';

const SOCKETS = 'package_sockets';

function pkg(name: string, over: Partial<PastPackage> = {}): PastPackage {
  return { name, status: 'completed', startedMs: null, endedMs: null, filesDone: 0, filesTotal: null, dependsOn: [], peakRssBytes: null, cpuMs: null, ...over };
}

function file(pkgName: string | null, source: string, startedMs: number | null, endedMs: number | null, peakRssBytes: number | null = null): PastFile {
  return { package: pkgName, source, startedMs, endedMs, peakRssBytes, cpuMs: null };
}

function build(id: string, startedMs: number, jobs: number | null, legacy: boolean, packages: PastPackage[], files: PastFile[]): PastBuild {
  return {
    sessionId: id, target: 'all', jobs, legacy, startedMs, durationMs: 100_000, succeeded: true, cores: 4, cpuMs: null,
    peakRssBytes: null, avgCpuPct: null, files, packages,
  };
}

/**
 * A sockets package of up to three files compiled one after another from `t0`, then linked for
 * 50 ms: busy time = the files' sum + 50. `ms` maps source to compile time.
 */
function socketsBuild(id: string, t0: number, jobs: number | null, legacy: boolean, ms: Record<string, number>, over: Partial<PastPackage> = {}): PastBuild {
  const files: PastFile[] = [];
  let t = t0;
  for (const [source, d] of Object.entries(ms)) {
    files.push(file(SOCKETS, source, t, t + d, over.peakRssBytes ?? null));
    t += d;
  }
  const core = [pkg('package_core', { startedMs: t0, endedMs: t0 + 100, filesDone: 1 })];
  const coreFile = file('package_core', 'core.cc', t0, t0 + 100);
  return build(id, t0, jobs, legacy, [...core, pkg(SOCKETS, { startedMs: t0, endedMs: t + 50, filesDone: files.length, ...over })], [coreFile, ...files]);
}

// Newest first: an incremental build, four that agree, and a cold one (3000 ms, more than twice the median) dropped as another regime.
const J4 = [
  socketsBuild('s6', 600_000, 4, false, { 'b.cc': 300 }),
  socketsBuild('s5', 500_000, 4, false, { 'a.cc': 600, 'b.cc': 300, 'c.cc': 50 }, { peakRssBytes: 200_000_000, cpuMs: 900 }),
  socketsBuild('s4', 400_000, 4, false, { 'a.cc': 600, 'b.cc': 300, 'c.cc': 50 }, { peakRssBytes: 100_000_000 }),
  socketsBuild('s3', 300_000, 4, false, { 'a.cc': 650, 'b.cc': 300, 'c.cc': 100 }),
  socketsBuild('s2', 200_000, 4, false, { 'a.cc': 700, 'b.cc': 350, 'c.cc': 100 }),
  socketsBuild('s1', 100_000, 4, false, { 'a.cc': 2000, 'b.cc': 800, 'c.cc': 150 }),
];
const OTHERS = [
  socketsBuild('j2', 550_000, 2, false, { 'a.cc': 5000, 'b.cc': 5000, 'c.cc': 5000 }),
  socketsBuild('old2', 20_000, null, true, { 'a.cc': 1000, 'b.cc': 700, 'c.cc': 250 }),
  socketsBuild('old1', 10_000, null, true, { 'a.cc': 1200, 'b.cc': 800, 'c.cc': 350 }),
];
const ALL = [...OTHERS, ...J4].reverse();

test('busy time: the union of the file intervals plus the link, not first-to-last activity', () => {
  const files = [file('p', 'a.cc', 0, 100), file('p', 'b.cc', 50, 150), file('p', 'c.cc', 300, 400), file('q', 'd.cc', 150, 300), file('p', 'e.cc', 500, null)];
  const busy = (p: PastPackage, others: PastPackage[] = []): number | null => packageBusyMs(build('b', 0, 2, false, [p, ...others], files), p);
  assert.equal(busy(pkg('p', { startedMs: 0, endedMs: 450 })), 250 + 50);
  assert.equal(busy(pkg('p', { startedMs: 0, endedMs: 380 })), 250, 'no link time when it ended with its last file');
  // Under ninja its objects compile early; its link waits for the package it depends on (ended at 2000).
  assert.equal(busy(pkg('p', { startedMs: 0, endedMs: 2100, dependsOn: ['q'] }), [pkg('q', { startedMs: 150, endedMs: 2000 })]), 250 + 100);
  assert.equal(busy(pkg('p', { startedMs: 0, endedMs: 450, dependsOn: ['q'] }), [pkg('q', { startedMs: 150, endedMs: 300 })]), 250 + 50, 'a dependency done before its last file');
  assert.equal(busy(pkg('gen', { startedMs: 10, endedMs: 40 })), 30, 'no files: its span');
  assert.equal(busy(pkg('gen', { endedMs: 40 })), null);
});

test('package history at a job count: recency-weighted full builds, outliers dropped, bottlenecks, trend, resources', () => {
  // Kept busy times newest first: 1000, 1000, 1100, 1200 -> weights 1, 0.7, 0.49, 0.343 -> 2650.6 / 2.533 = 1046.4.
  // a.cc means 910 of a 1391.7 total file time (b.cc 391.7, c.cc 90), the only file above the 463.9 mean.
  // Trend: newer half 1000 against older half 1150 = -13.0%.
  assert.deepEqual(packageHistory(ALL, SOCKETS, 4), {
    key: 'package_sockets_j4', package: SOCKETS, jobs: 4, based_on: 'same-jobs', avg_duration_ms: 1046, confidence: 0.73, samples: 4,
    typical_files: 3, bottleneck_files: [{ source: 'a.cc', avg_ms: 910, share_pct: 65.4 }],
    trend: { direction: 'faster', change_pct: -13 }, peak_rss_bytes: 150_000_000, cpu_ms: 900,
  });
});

test('package history falls back to legacy builds, with half the confidence, and says so', () => {
  // 2000 and 2400 (busy), newest first: (2000 + 0.7 * 2400) / 1.7 = 2164.7; confidence 0.60 halved.
  // Files: a.cc 1100, b.cc 750 and c.cc 300 ms, 716.7 on average: two are above it.
  assert.deepEqual(packageHistory(ALL, SOCKETS, 8), {
    key: 'package_sockets_j8', package: SOCKETS, jobs: 8, based_on: 'legacy', avg_duration_ms: 2165, confidence: 0.3, samples: 2,
    typical_files: 3, bottleneck_files: [{ source: 'a.cc', avg_ms: 1100, share_pct: 51.2 }, { source: 'b.cc', avg_ms: 750, share_pct: 34.9 }],
    trend: { direction: 'steady', change_pct: 0 }, peak_rss_bytes: null, cpu_ms: null,
  });
  assert.equal(packageHistory(J4, SOCKETS, 8), null, 'no build at -j8 and none legacy');
  assert.equal(packageHistory(ALL, 'package_nope', 4), null);
  const failed = J4.map((b) => ({ ...b, packages: b.packages.map((p) => ({ ...p, status: 'failed' })) }));
  assert.equal(packageHistory(failed, SOCKETS, 4), null, 'only completed runs say how long a package takes');
});

test('bottlenecks: at most five, slowest first, only files above the package mean', () => {
  // 940 ms of files, 94 ms a file: the six files of 100 ms or more are above the mean, the ten-ms ones are not.
  const ms: Record<string, number> = { 'z1.cc': 10, 'z2.cc': 10, 'z3.cc': 10, 'z4.cc': 10, 'f1.cc': 100, 'f2.cc': 300, 'f3.cc': 200, 'f4.cc': 100, 'f5.cc': 100, 'f6.cc': 100 };
  const s = packageHistory([socketsBuild('x', 0, 2, false, ms)], SOCKETS, 2);
  assert.deepEqual(s?.bottleneck_files, [
    { source: 'f2.cc', avg_ms: 300, share_pct: 31.9 }, { source: 'f3.cc', avg_ms: 200, share_pct: 21.3 },
    { source: 'f1.cc', avg_ms: 100, share_pct: 10.6 }, { source: 'f4.cc', avg_ms: 100, share_pct: 10.6 }, { source: 'f5.cc', avg_ms: 100, share_pct: 10.6 },
  ]);
  assert.deepEqual([s?.samples, s?.confidence, s?.typical_files, s?.avg_duration_ms], [1, 0.38, 10, 990]);
});

test('a package getting slower, and one that stays within 5%', () => {
  const slower = [400, 300, 200, 100].map((t, i) => socketsBuild(`t${i}`, t, 2, false, { 'a.cc': [1300, 1250, 1000, 1000][i] as number }));
  // Busy (with the 50 ms link) newest first: 1350, 1300 against 1050, 1050 -> +26.2%.
  assert.deepEqual(packageHistory(slower, SOCKETS, 2)?.trend, { direction: 'slower', change_pct: 26.2 });
  const steady = [400, 300, 200, 100].map((t, i) => socketsBuild(`t${i}`, t, 2, false, { 'a.cc': [1040, 1000, 1000, 1000][i] as number }));
  assert.deepEqual(packageHistory(steady, SOCKETS, 2)?.trend, { direction: 'steady', change_pct: 1.9 });
});

test('every package at a job count, slowest first', () => {
  assert.deepEqual(allPackageHistory(ALL, 4).map((s) => [s.key, s.avg_duration_ms, s.samples, s.based_on]), [
    ['package_sockets_j4', 1046, 4, 'same-jobs'],
    ['package_core_j4', 100, 6, 'same-jobs'],
  ]);
  assert.deepEqual(allPackageHistory(ALL, null).map((s) => [s.key, s.based_on]), [['package_sockets', 'legacy'], ['package_core', 'legacy']]);
});

test('file history: per package and source at the job count, else legacy', () => {
  const j4 = fileHistory(ALL, 4);
  // a.cc newest first: 600, 600, 650, 700 (2000 dropped) -> 1578.6 / 2.533 = 623.2; peak RSS sampled in s5 and s4.
  assert.deepEqual(j4, [
    { package: 'package_core', source: 'core.cc', based_on: 'same-jobs', avg_ms: 100, samples: 6, peak_rss_bytes: null },
    { package: SOCKETS, source: 'a.cc', based_on: 'same-jobs', avg_ms: 623, samples: 4, peak_rss_bytes: 150_000_000 },
    { package: SOCKETS, source: 'b.cc', based_on: 'same-jobs', avg_ms: 304, samples: 5, peak_rss_bytes: 150_000_000 },
    { package: SOCKETS, source: 'c.cc', based_on: 'same-jobs', avg_ms: 74, samples: 5, peak_rss_bytes: 150_000_000 },
  ]);
  const onlyOld = [...OTHERS, build('new', 900_000, 8, false, [], [file(null, 'x.cc', 0, 40)])];
  assert.deepEqual(fileHistory(onlyOld, 8).map((f) => [f.package, f.source, f.based_on, f.avg_ms]), [
    [null, 'x.cc', 'same-jobs', 40],
    ['package_core', 'core.cc', 'legacy', 100],
    [SOCKETS, 'a.cc', 'legacy', 1082],
    [SOCKETS, 'b.cc', 'legacy', 741],
    [SOCKETS, 'c.cc', 'legacy', 291],
  ]);
});
