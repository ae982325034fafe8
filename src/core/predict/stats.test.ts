import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clamp, dropOutliers, meanOf, medianOf, nearMedian, roundTo, weightedMeanMs } from './stats.js';

test('medianOf: the middle value, the mean of the middle two when even, null when empty', () => {
  assert.equal(medianOf([30, 10, 20]), 20);
  assert.equal(medianOf([40, 10, 30, 20]), 25);
  assert.equal(medianOf([]), null);
});

test('meanOf and weightedMeanMs: null when there is nothing to average', () => {
  assert.equal(meanOf([1, 2, 6]), 3);
  assert.equal(meanOf([]), null);
  assert.equal(weightedMeanMs([{ ms: 100, weight: 1 }, { ms: 200, weight: 0.25 }]), 120);
  assert.equal(weightedMeanMs([]), null);
});

test('dropOutliers keeps positive durations within a factor of two of their median, in order', () => {
  assert.deepEqual(dropOutliers([100, 0, 95, 400, Number.NaN, 60, 45]), [100, 95, 60]);
  assert.deepEqual(dropOutliers([0, -5]), []);
  assert.equal(nearMedian(200, 100), true);
  assert.equal(nearMedian(201, 100), false);
  assert.equal(nearMedian(50, 100), true);
  assert.equal(nearMedian(49, 100), false);
});

test('clamp and roundTo', () => {
  assert.equal(clamp(1.4, 0, 1), 1);
  assert.equal(clamp(-2, 0, 1), 0);
  assert.equal(roundTo(0.12345, 2), 0.12);
  assert.equal(roundTo(12.36, 1), 12.4);
  assert.equal(roundTo(0.00016, 4), 0.0002);
});
