import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateLive, LiveEstimator, type LiveEstimateInput } from './live-estimate.js';
import { expectationsFrom } from './work-expectations.js';
import { estimateTotalMs } from './prior.js';
import type { PastBuild } from './past-build.js';
import type { PackageState } from '../packages/package-state.js';

const FILES = 20;

/** One -j1 build of package p: 200 ms of setup, twenty files of a second each, a 500 ms link, 100 ms of teardown. */
function history(): PastBuild {
  const files = Array.from({ length: FILES }, (_, i) => ({
    package: 'p', source: `f${String(i).padStart(2, '0')}.c`, startedMs: 200 + 1000 * i, endedMs: 1200 + 1000 * i, peakRssBytes: null, cpuMs: null,
  }));
  return {
    sessionId: 'h', target: 'all', jobs: 1, legacy: false, startedMs: 0, durationMs: 20_800, succeeded: true, cores: 2, cpuMs: null,
    peakRssBytes: null, avgCpuPct: null, files,
    packages: [{ name: 'p', status: 'completed', startedMs: 200, endedMs: 20_700, filesDone: FILES, filesTotal: FILES, dependsOn: [], peakRssBytes: null, cpuMs: null }],
  };
}

const E = expectationsFrom([history()], 1);

/** This build so far: the first files took `durationsMs` each, one after the other from 200 ms. */
function input(durationsMs: readonly number[], over: Partial<LiveEstimateInput> = {}): LiveEstimateInput {
  let t = 200;
  const files = durationsMs.map((d, i) => {
    const f = { package: 'p', source: `f${String(i).padStart(2, '0')}.c`, startedMs: t, endedMs: t + d };
    t += d;
    return f;
  });
  const p: PackageState = {
    name: 'p', status: 'compiling', reason: null, current_files: [], files_done: files.length, files_total: null, progress_pct: null,
    elapsed_ms: null, started_ms: 200, ended_ms: null, depends_on: [], errors: 0, warnings: 0,
  };
  return {
    atMs: t, startedMs: 0, dialect: 'cmake-make', jobs: 1, packages: [p], files, running: [], toolFraction: null,
    expectations: E, prior: null, ...over,
  };
}

test('live estimate: this build as the history says is the schedule, blended with progress by how thin the history is', () => {
  const r = estimateLive(input(Array(10).fill(1000)));
  // At 10.2 s, ten files of twenty done: 10 more, the link and the teardown are 10.6 s more; progress by work is
  // 10000 / 20500. One build of history: the rate estimate (10200 / 0.4878 = 20910) weighs 0.4878 * (1 - 1/2).
  assert.deepEqual(r, {
    totalMs: 20_827, confidence: 0.7, basis: 'schedule', regime: 'normal', regimeRatio: 1, fraction: 0.488, scheduledTotalMs: 20_800, criticalPath: ['p'],
  });
});

test('live estimate: files ten times faster than history (a warm ccache) rescale what is left', () => {
  const r = estimateLive(input(Array(10).fill(100)));
  // Median ratio 0.1 and the slot's busy time over the expected work done is 0.1 too: rescaled.
  // Left: 10 files of 100, the link 50, the teardown 100 (not scaled) -> 1150 after 1200.
  assert.deepEqual([r.regime, r.regimeRatio, r.scheduledTotalMs, r.fraction], ['rescaled', 0.1, 2350, 0.488]);
  // Rate 1200 / (1000 / 2050) = 2460, weighing 0.4878 * (1 - 0.5 * 0.6).
  assert.equal(r.totalMs, 2388);
  const normal = estimateLive({ ...input(Array(10).fill(100)), expectations: expectationsFrom([history()], 1) });
  assert.equal(normal.regime, 'rescaled', 'the same judgement from freshly built expectations');
});

test('live estimate: history that no longer fits any one ratio is discarded for the running mean', () => {
  const r = estimateLive(input([50, 400, 50, 400, 50, 400, 50, 400, 50, 400]));
  // Ratios 0.05 and 0.4: median 0.225, quartiles 0.05 and 0.4 (spread 8): files left take this build's mean
  // of 225, the link 500 * 0.225; elapsed 2450 + 10 * 225 + 112.5 + 100.
  assert.deepEqual([r.regime, r.regimeRatio, r.scheduledTotalMs], ['discarded', 0.225, 4913]);
});

test('live estimate: too few files to judge the regime, and a slow file beside history stays normal', () => {
  assert.deepEqual([estimateLive(input(Array(7).fill(100))).regime, estimateLive(input(Array(7).fill(100))).regimeRatio], ['normal', null]);
  const slower = estimateLive(input(Array(10).fill(2000)));
  assert.deepEqual([slower.regime, slower.regimeRatio], ['normal', 2]);
});

test('live estimate: the prior counts most at the very start', () => {
  const start = estimateLive(input([], { prior: { totalMs: 30_000, confidence: 0.8 } }));
  // Nothing done: the schedule says 20800 (setup included); the prior weighs 0.5 * 0.8.
  assert.deepEqual([start.scheduledTotalMs, start.totalMs, start.basis, start.fraction], [20_800, 24_480, 'schedule', 0]);
  const later = estimateLive(input(Array(10).fill(1000), { prior: { totalMs: 30_000, confidence: 0.8 } }));
  // Half way by work the prior weighs 0.4 * (1 - 0.4878)^2.
  assert.equal(later.totalMs, 21_789);
});

test('live estimate: without expectations it is the plain blend of the prior and progress', () => {
  const r = estimateLive({ ...input([]), atMs: 30_000, expectations: null, toolFraction: 0.4, prior: { totalMs: 80_000, confidence: 0.6 } });
  assert.deepEqual([r.totalMs, r.basis, r.regime, r.scheduledTotalMs], [estimateTotalMs(30_000, 0.4, 80_000), 'prior', 'normal', null]);
  assert.equal(estimateLive({ ...input([]), expectations: null }).totalMs, null);
});

test('live estimator: the schedule is worked out once per engine version', () => {
  const estimator = new LiveEstimator();
  let calls = 0;
  const make = (): LiveEstimateInput => {
    calls++;
    return input(Array(10).fill(1000));
  };
  const first = estimator.estimate(7, 10_200, 0, null, null, make);
  const later = estimator.estimate(7, 15_000, 0, null, null, make);
  assert.equal(calls, 1);
  assert.deepEqual([first.totalMs, first.scheduledTotalMs], [20_827, 20_800]);
  // Between lines the expected end holds while the blend follows the growing elapsed time.
  assert.deepEqual([later.scheduledTotalMs, later.totalMs], [20_800, 23_227]);
  // Past the expected end with no new line, the schedule says "any moment now": never less than elapsed.
  assert.equal(estimator.estimate(7, 30_000, 0, null, null, make).scheduledTotalMs, 30_000);
  // A new line: the schedule is redone once 20 files * 0.5 ms of build time have passed since the last one (at 10200).
  estimator.estimate(8, 10_205, 0, null, null, make);
  assert.equal(calls, 1);
  estimator.estimate(8, 10_210, 0, null, null, make);
  assert.equal(calls, 2);
});
