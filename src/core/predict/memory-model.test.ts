import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitMemory } from './memory-model.js';
import type { PastBuild, PastFile } from './past-build.js';

const MB = 1024 ** 2;
const GB = 1024 ** 3;

function build(jobs: number, peakRssBytes: number | null, files: PastFile[] = []): PastBuild {
  return {
    sessionId: `s${jobs}`,
    target: 'all',
    jobs,
    legacy: false,
    startedMs: 0,
    durationMs: 60_000,
    succeeded: true,
    cores: 8,
    cpuMs: null,
    peakRssBytes,
    avgCpuPct: null,
    files,
    packages: [],
  };
}

function file(peakRssBytes: number): PastFile {
  return { package: 'core', source: 'a.c', startedMs: null, endedMs: null, peakRssBytes, cpuMs: null };
}

test('memory: three job counts on a line give base, per-job cost and linear growth', () => {
  const model = fitMemory([build(1, 1.25 * GB), build(2, 2.25 * GB), build(3, 3.25 * GB)]);
  assert.ok(model);
  assert.equal(model.method, 'least-squares');
  assert.equal(model.baseBytes, 256 * MB);
  assert.equal(model.perJobBytes, GB);
  assert.equal(model.linear, true);
  assert.equal(model.linearUpToJobs, 3);
  assert.equal(model.predictPeakBytes(8), 8.25 * GB);
  assert.equal(model.maxJobsWithin(4 * GB), 3);
  assert.equal(model.maxJobsWithin(GB), 0);
});

test('memory: growth that bends is not called linear', () => {
  const model = fitMemory([build(1, GB), build(2, 2 * GB), build(3, 6 * GB)]);
  assert.equal(model?.linear, false);
  assert.equal(model?.linearUpToJobs, null);
});

test('memory: the median peak per job count is used', () => {
  const model = fitMemory([build(1, GB), build(1, 9 * GB), build(1, GB), build(2, 2 * GB)]);
  assert.deepEqual(model?.measured, [
    { jobs: 1, peakBytes: GB, samples: 3 },
    { jobs: 2, peakBytes: 2 * GB, samples: 1 },
  ]);
});

test('memory: one job count uses the 90th percentile compiler process as the per-job cost', () => {
  const files = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((m) => file(m * MB));
  const model = fitMemory([build(2, 300 * MB, files)]);
  assert.ok(model);
  assert.equal(model.method, 'per-process');
  assert.equal(model.perJobBytes, 90 * MB);
  assert.equal(model.baseBytes, 120 * MB);
  assert.equal(model.predictPeakBytes(4), 480 * MB);
  assert.equal(model.linear, false);
});

test('memory: one job count with no process sampled splits the peak over the jobs', () => {
  const model = fitMemory([build(2, 2 * GB)]);
  assert.equal(model?.method, 'proportional');
  assert.equal(model?.baseBytes, 0);
  assert.equal(model?.perJobBytes, GB);
});

test('memory: a peak that does not grow with jobs costs nothing per job', () => {
  const model = fitMemory([build(1, GB), build(4, GB)]);
  assert.equal(model?.perJobBytes, 0);
  assert.equal(model?.maxJobsWithin(2 * GB), Number.POSITIVE_INFINITY);
});

test('memory: no sampled build gives no model', () => {
  assert.equal(fitMemory([]), null);
  assert.equal(fitMemory([build(2, null)]), null);
});
