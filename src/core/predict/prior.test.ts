import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateTotalMs, priorFromHistory } from './prior.js';

test('prior: no history gives no prior', () => {
  assert.equal(priorFromHistory([]), null);
  assert.equal(priorFromHistory([0, -5, Number.NaN]), null);
});

test('prior: recency-weighted mean, newest first', () => {
  // weights 1, 0.7, 0.49 -> (100*1 + 110*0.7 + 120*0.49) / 2.19
  const p = priorFromHistory([100_000, 110_000, 120_000]);
  assert.deepEqual(p, { totalMs: 107_671, confidence: 0.69, samples: 3 });
});

test('prior: a build twice as fast or slow as the median is dropped as another regime', () => {
  const p = priorFromHistory([20_000, 100_000, 104_000, 250_000]);
  assert.equal(p?.samples, 2);
  assert.equal(p?.totalMs, 101_647);
});

test('prior: a single build is trusted less than several that agree', () => {
  const one = priorFromHistory([60_000]);
  const three = priorFromHistory([60_000, 60_000, 60_000]);
  assert.deepEqual(one, { totalMs: 60_000, confidence: 0.38, samples: 1 });
  assert.deepEqual(three, { totalMs: 60_000, confidence: 0.75, samples: 3 });
});

test('estimate: table of elapsed, progress and prior', () => {
  const rows: Array<[number, number | null, number | null, number | null]> = [
    [0, null, null, null],
    [5_000, null, 60_000, 60_000],
    [5_000, 0.01, null, null], // too little progress to trust the rate
    [10_000, 0.25, null, 40_000],
    [10_000, 0.25, 60_000, 55_000], // 0.75*60000 + 0.25*40000
    [30_000, 0.5, 60_000, 60_000],
    [90_000, 0.5, 60_000, 120_000], // 0.5*60000 + 0.5*180000
    [70_000, 1, 60_000, 70_000], // never less than elapsed
    [70_000, null, 60_000, 70_000],
  ];
  for (const [elapsed, fraction, prior, want] of rows) {
    assert.equal(estimateTotalMs(elapsed, fraction, prior), want, `elapsed=${elapsed} f=${fraction} prior=${prior}`);
  }
});
