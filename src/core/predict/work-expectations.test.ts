import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectationsFrom, fileKey } from './work-expectations.js';
import type { PastBuild } from './past-build.js';

type FileRow = [pkg: string, source: string, startMs: number | null, endMs: number];
type PackageRow = [name: string, startMs: number, endMs: number, deps: string[]];

/** A past build with times given from its start. */
function past(id: string, startedMs: number, jobs: number | null, durationMs: number, files: FileRow[], packages: PackageRow[], succeeded = true): PastBuild {
  return {
    sessionId: id, target: 'all', jobs, legacy: false, startedMs, durationMs, succeeded, cores: 2, cpuMs: null, peakRssBytes: null, avgCpuPct: null,
    files: files.map(([pkg, source, s, e]) => ({ package: pkg, source, startedMs: s === null ? null : startedMs + s, endedMs: startedMs + e, peakRssBytes: null, cpuMs: null })),
    packages: packages.map(([name, s, e, deps]) => ({
      name, status: 'completed', startedMs: startedMs + s, endedMs: startedMs + e, filesDone: files.filter((f) => f[0] === name).length,
      filesTotal: null, dependsOn: deps, peakRssBytes: null, cpuMs: null,
    })),
  };
}

/** Two packages (q waits for p), 200 ms of setup and 100 of teardown; `bMs` is how long p's b.c took. */
function twoSlotBuild(id: string, startedMs: number, bMs: number, durationMs: number): PastBuild {
  const pEnd = 200 + bMs + 500;
  return past(id, startedMs, 2, durationMs, [['p', 'a.c', 200, 1200], ['p', 'b.c', 200, 200 + bMs], ['q', 'c.c', pEnd, pEnd + 1000]],
    [['p', 200, pEnd, []], ['q', pEnd, pEnd + 1500, ['p']]]);
}

// Newest first. At -j2: A, B (b.c three times slower: dropped for that file), C; E failed; F took four
// times as long as the others (another regime: dropped). D ran at -j1, where each file took half the time.
const A = twoSlotBuild('A', 50_000, 3000, 5300);
const E = { ...twoSlotBuild('E', 45_000, 3000, 900), succeeded: false };
const B = twoSlotBuild('B', 40_000, 9000, 11_300);
const F = twoSlotBuild('F', 30_000, 3000, 40_000);
const C = twoSlotBuild('C', 20_000, 3000, 5300);
const D = past('D', 10_000, 1, 3300, [['p', 'a.c', 200, 700], ['p', 'b.c', 700, 2200], ['q', 'c.c', 2450, 2950]],
  [['p', 200, 2450, []], ['q', 2450, 3200, ['p']]]);
const HISTORY = [A, E, B, F, C, D];

test('expectations: same job count first, recency-weighted, outlier builds and samples dropped, other -j scaled by the file medians', () => {
  const e = expectationsFrom(HISTORY, 2);
  // b.c: 3000 (A), 9000 (B, over twice the median of 3000: dropped), 3000 (C), 1500 x 2 (D at -j1, scaled by 1000/500).
  assert.deepEqual([...e.fileMs], [[fileKey('p', 'a.c'), 1000], [fileKey('p', 'b.c'), 3000], [fileKey('q', 'c.c'), 1000]]);
  // A link runs from its package's last file to its end: 500 at -j2, 250 x 2 at -j1.
  assert.deepEqual([...e.linkMs], [['p', 500], ['q', 500]]);
  assert.deepEqual([...e.packageFileMs], [['p', 2000], ['q', 1000]]);
  assert.deepEqual([...e.packageFiles], [['p', 2], ['q', 1]]);
  assert.deepEqual([...e.packageSources], [['p', ['a.c', 'b.c']], ['q', ['c.c']]]);
  assert.deepEqual([...e.dependsOn], [['p', []], ['q', ['p']]]);
  assert.deepEqual(
    [e.jobs, e.samples, e.sameJobsSamples, e.meanFileMs, e.meanLinkMs, e.setupMs, e.teardownMs],
    [2, 4, 3, 1667, 500, 200, 100],
  );
  // Same -j totals: (5300 * 1 + 11300 * 0.7 + 5300 * 0.49) / 2.19.
  assert.equal(e.totalMs, 7218);
});

test('expectations: a job count never run takes the others as they are', () => {
  const e = expectationsFrom(HISTORY, 4);
  // b.c in recency order: 3000 (A, w 1), 9000 (B, dropped), 3000 (C, w 0.49), 1500 (D, w 0.343, unscaled).
  assert.equal(e.fileMs.get(fileKey('p', 'b.c')), 2719);
  assert.equal(e.fileMs.get(fileKey('p', 'a.c')), 932);
  assert.deepEqual([e.samples, e.sameJobsSamples, e.totalMs], [4, 0, null]);
});

test('expectations: an incremental build lends its step times, not its file list or its total', () => {
  // Newest: only b.c was rebuilt, then p and q linked again.
  const G = past('G', 60_000, 2, 4300, [['p', 'b.c', 200, 3200]], [['p', 200, 3700, []], ['q', 3700, 4200, ['p']]]);
  const e = expectationsFrom([G, ...HISTORY], 2);
  assert.deepEqual([...e.packageFiles], [['p', 2], ['q', 1]]);
  assert.deepEqual([e.samples, e.sameJobsSamples, e.totalMs, e.setupMs, e.teardownMs], [5, 4, 7218, 200, 100]);
  assert.deepEqual([e.fileMs.get(fileKey('p', 'b.c')), e.linkMs.get('q')], [3000, 500]);
});

test('expectations: a step whose start the output did not show began when a slot was freed', () => {
  // Ninja without .ninja_log: only ends. Two slots, ends 1000, 1500, 4000, 4200 (link of p at 4200).
  const b = past('N', 0, 2, 4300, [['p', 'a.c', null, 1000], ['p', 'b.c', null, 1500], ['p', 'c.c', null, 4000]], [['p', 0, 4200, []]]);
  const e = expectationsFrom([b], 2);
  // a.c and b.c took the first two slots at 0; c.c the one a.c freed at 1000; the link began when b.c freed its slot
  // at 1500 but after its last file, at 4000.
  assert.deepEqual([...e.fileMs.values()], [1000, 1500, 3000]);
  assert.deepEqual([...e.linkMs], [['p', 200]]);
});

test('expectations: no history', () => {
  const e = expectationsFrom([], 2);
  assert.deepEqual([e.samples, e.fileMs.size, e.meanFileMs, e.meanLinkMs, e.setupMs, e.teardownMs, e.totalMs], [0, 0, null, null, 0, 0, null]);
});
