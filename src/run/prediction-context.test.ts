import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PastBuild } from '../core/predict/past-build.js';
import type { Store } from '../store/store.js';
import { pastBuild } from '../../test/helpers/past-builds.js';
import { predictionContext } from './prediction-context.js';

const MACHINE = { cores: 2, availableMemBytes: 8 * 1024 ** 3, totalMemBytes: 16 * 1024 ** 3 };

function storeLoading(builds: PastBuild[]): Store {
  return { past: { load: () => builds } } as unknown as Store;
}

test('predictionContext: a history the predictor cannot read gives no prediction, never an error', () => {
  // A corrupt row: a build whose packages could not be read. The runner builds its engine from this context
  // after the build was spawned; an exception here would kill the build and lose its log.
  const broken = pastBuild(2, 60_000, {
    files: [{ package: 'core', source: 'a.c', startedMs: 1, endedMs: 2, peakRssBytes: null, cpuMs: null }],
    packages: undefined as unknown as PastBuild['packages'],
  });
  const ctx = predictionContext(storeLoading([broken]), { projectDir: '/p', target: 'all', jobs: 2, beforeMs: 2_000_000 }, MACHINE);
  assert.equal(ctx.expectations, null);
  assert.equal(ctx.prediction.basis, 'none');
  assert.equal(ctx.prediction.totalMs, null);
  assert.deepEqual(ctx.history, []);
});

test('predictionContext: a readable history predicts from the same job count', () => {
  const ctx = predictionContext(storeLoading([pastBuild(2, 60_000), pastBuild(2, 60_000)]), { projectDir: '/p', target: 'all', jobs: 2, beforeMs: 2_000_000 }, MACHINE);
  assert.equal(ctx.prediction.basis, 'same-jobs');
  assert.equal(ctx.prediction.totalMs, 60_000);
  assert.equal(ctx.history.length, 2);
});
