import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GB, pastBuild } from '../../../test/helpers/past-builds.js';
import { predictBuild } from './build-prediction.js';
import type { MachineInfo } from './past-build.js';

const MACHINE_4: MachineInfo = { cores: 4, availableMemBytes: 16 * GB, totalMemBytes: 32 * GB };
const MACHINE_8_4GB: MachineInfo = { cores: 8, availableMemBytes: 4 * GB, totalMemBytes: 8 * GB };

const build = pastBuild;

test('prediction: same target and job count, newest first, outlier dropped', () => {
  const history = [
    build(2, 60_000),
    build(2, 62_000),
    build(2, 30_000, { target: 'other' }),
    build(2, 10_000, { succeeded: false }),
    build(2, 200_000),
    build(1, 110_000),
  ];
  assert.deepEqual(predictBuild(history, { target: 'all', jobs: 2, machine: MACHINE_4 }), {
    totalMs: 60_824, // (60000 + 0.7 × 62000) / 1.7
    confidence: 0.66,
    basis: 'same-jobs',
    samples: 2,
    basedOnJobs: 2,
    explanation: 'From 2 builds of all at -j2, recent ones weighted more (1 outlier dropped)',
  });
});

test('prediction: a job count never run is scaled from the others with lower confidence', () => {
  const history = [build(2, 55_000), build(1, 100_000)];
  assert.deepEqual(predictBuild(history, { target: 'all', jobs: 3, machine: MACHINE_4 }), {
    totalMs: 40_000,
    confidence: 0.27, // 0.38 × 0.7
    basis: 'scaled',
    samples: 2,
    basedOnJobs: 2,
    explanation: 'Predicted for -j3 on 4 cores from Amdahl fit over -j1, -j2: serial 10% (2 builds)',
  });
});

test('prediction: a fit from one job count and its CPU time is trusted less again', () => {
  const history = [build(2, 60_000, { cpuMs: 110_000 })];
  const p = predictBuild(history, { target: 'all', jobs: 4, machine: MACHINE_4 });
  assert.equal(p.totalMs, 35_000);
  assert.equal(p.basis, 'scaled');
  assert.equal(p.confidence, 0.19); // 0.38 × 0.7 × 0.7
});

test('prediction: a -j that would not fit in memory is no faster than the largest that does', () => {
  // T1 400 s, serial 5%; peak 1 GB per job on a machine with 4 GB available
  const history = [
    build(4, 115_000, { peakRssBytes: 4 * GB }),
    build(2, 210_000, { peakRssBytes: 2 * GB }),
    build(1, 400_000, { peakRssBytes: GB }),
  ];
  const p = predictBuild(history, { target: 'all', jobs: 8, machine: MACHINE_8_4GB });
  assert.equal(p.totalMs, 115_000); // -j4, not the 67.5 s Amdahl gives -j8
  assert.equal(p.basis, 'scaled');
  assert.equal(p.confidence, 0.21); // 0.38 × 0.7 × 0.8
  assert.equal(
    p.explanation,
    'Predicted for -j8 on 8 cores from Amdahl fit over -j1, -j2, -j4: serial 5% (3 builds); ' +
      '-j8 would need 8.0GB of the 4.0GB available, so the machine would swap and it is no faster than -j4 (1m 55s)',
  );
  const fits = predictBuild(history, { target: 'all', jobs: 3, machine: MACHINE_8_4GB });
  assert.equal(fits.totalMs, 146_667);
  assert.equal(fits.confidence, 0.27);
});

test('prediction: only legacy builds give the lowest confidence and say why', () => {
  const history = [build(null, 100_000, { legacy: true }), build(null, 104_000, { legacy: true })];
  assert.deepEqual(predictBuild(history, { target: 'all', jobs: 4, machine: MACHINE_4 }), {
    totalMs: 101_647,
    confidence: 0.33,
    basis: 'legacy',
    samples: 2,
    basedOnJobs: null,
    explanation: 'From 2 older builds of all recorded without a job count, so trusted least',
  });
  const many = Array.from({ length: 8 }, () => build(null, 100_000, { legacy: true }));
  const p = predictBuild(many, { target: 'all', jobs: 4, machine: MACHINE_4 });
  assert.equal(p.basis, 'legacy');
  assert.equal(p.confidence, 0.4);
});

test('prediction: legacy is used only when no job-aware history can answer', () => {
  const history = [build(null, 300_000, { legacy: true }), build(1, 100_000), build(2, 55_000)];
  assert.equal(predictBuild(history, { target: 'all', jobs: 3, machine: MACHINE_4 }).basis, 'scaled');
  assert.equal(predictBuild([build(null, 300_000, { legacy: true }), build(2, 55_000)], { target: 'all', jobs: 3, machine: MACHINE_4 }).basis, 'legacy');
});

test('prediction: an unknown job count uses only builds without one', () => {
  const scaled = [build(1, 100_000), build(2, 55_000)];
  assert.equal(predictBuild(scaled, { target: 'all', jobs: null, machine: MACHINE_4 }).basis, 'none');
  const unlimited = [...scaled, build(null, 50_000)];
  const p = predictBuild(unlimited, { target: 'all', jobs: null, machine: MACHINE_4 });
  assert.equal(p.basis, 'same-jobs');
  assert.equal(p.totalMs, 50_000);
  assert.equal(p.explanation, 'From 1 build of all with no job limit, recent ones weighted more');
});

test('prediction: no history', () => {
  assert.deepEqual(predictBuild([], { target: 'all', jobs: 2, machine: MACHINE_4 }), {
    totalMs: null,
    confidence: 0,
    basis: 'none',
    samples: 0,
    basedOnJobs: null,
    explanation: 'No finished build of all yet',
  });
});
