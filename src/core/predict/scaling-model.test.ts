import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pastBuild } from '../../../test/helpers/past-builds.js';
import { fitScaling } from './scaling-model.js';

const build = pastBuild;

test('scaling: -j1 100 s and -j2 55 s give T1 100 s, serial 10%, and -j3 40 s on 4 cores', () => {
  const model = fitScaling([build(2, 55_000), build(1, 100_000)], 4);
  assert.ok(model);
  assert.equal(model.method, 'least-squares');
  assert.equal(model.t1Ms, 100_000);
  assert.equal(model.serialFraction, 0.1);
  assert.equal(model.residual, 0);
  assert.equal(model.samples, 2);
  assert.deepEqual(
    [1, 2, 3, 4, 8].map((j) => model.predictMs(j)),
    [100_000, 55_000, 40_000, 32_500, 32_500], // jobs beyond the 4 cores gain nothing
  );
  assert.equal(model.describe, 'Amdahl fit over -j1, -j2: serial 10%');
});

test('scaling: an outlier at one job count is dropped before the fit', () => {
  const model = fitScaling([build(1, 300_000), build(1, 100_000), build(1, 100_000), build(2, 55_000)], 4);
  assert.ok(model);
  assert.deepEqual(model.measured, [
    { jobs: 1, durationMs: 100_000, samples: 2, confidence: 0.67 }, // two that agree: 1 × (1 − 1/3)
    { jobs: 2, durationMs: 55_000, samples: 1, confidence: 0.38 },
  ]);
  assert.equal(model.predictMs(3), 40_000);
});

test('scaling: three job counts that do not lie on one curve report a residual', () => {
  // x = 1/j: (1, 100), (0.5, 55), (0.25, 35) -> T = 12.5 + 87.14 x (seconds)
  const model = fitScaling([build(1, 100_000), build(2, 55_000), build(4, 35_000)], 4);
  assert.ok(model);
  assert.equal(model.t1Ms, 99_643);
  assert.equal(Math.round(model.serialFraction * 10_000), 1254);
  assert.equal(model.predictMs(4), 34_286);
  assert.equal(model.residual, 0.0164);
  assert.equal(model.describe, 'Amdahl fit over -j1, -j2, -j4: serial 13%');
});

test('scaling: more jobs being slower fits as fully serial, never faster with more jobs', () => {
  const model = fitScaling([build(1, 100_000), build(2, 110_000)], 2);
  assert.ok(model);
  assert.equal(model.serialFraction, 1);
  assert.equal(model.predictMs(1), 105_000);
  assert.equal(model.predictMs(2), 105_000);
});

test('scaling: one job count with CPU time: work 110 s at -j2 in 60 s of wall time', () => {
  const model = fitScaling([build(2, 60_000, { cpuMs: 110_000 })], 4);
  assert.ok(model);
  assert.equal(model.method, 'cpu-time');
  assert.equal(model.t1Ms, 110_000);
  assert.equal(Math.round(model.serialFraction * 11_000), 1000); // s = 1/11
  assert.deepEqual([1, 2, 4].map((j) => model.predictMs(j)), [110_000, 60_000, 35_000]);
  assert.equal(model.describe, 'Amdahl over CPU time at -j2: serial 9%');
});

test('scaling: one job count at -j1 takes the idle share of wall time as serial', () => {
  const model = fitScaling([build(1, 100_000, { cpuMs: 95_000 })], 2);
  assert.ok(model);
  assert.equal(model.t1Ms, 100_000);
  assert.equal(model.predictMs(2), 52_500);
});

test('scaling: job counts beyond the cores count as one effective job count', () => {
  assert.equal(fitScaling([build(2, 60_000), build(4, 66_000)], 2), null);
  const model = fitScaling([build(2, 60_000), build(4, 66_000, { cpuMs: 110_000 })], 2);
  assert.equal(model?.method, 'cpu-time');
});

test('scaling: nothing usable gives no model', () => {
  assert.equal(fitScaling([], 4), null);
  assert.equal(fitScaling([build(2, 60_000)], 4), null); // one job count, no CPU time
  assert.equal(
    fitScaling([build(null, 60_000, { legacy: true }), build(1, 100_000, { succeeded: false }), build(2, 55_000)], 4),
    null,
  );
});
