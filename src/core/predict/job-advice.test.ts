import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GB, pastBuild } from '../../../test/helpers/past-builds.js';
import { adviseJobs } from './job-advice.js';
import type { MachineInfo, PastBuild } from './past-build.js';

const MACHINE_8_4GB: MachineInfo = { cores: 8, availableMemBytes: 4 * GB, totalMemBytes: 8 * GB };
const MACHINE_8_8GB: MachineInfo = { cores: 8, availableMemBytes: 8 * GB, totalMemBytes: 16 * GB };

function build(jobs: number | null, durationMs: number, more: Partial<PastBuild> = {}): PastBuild {
  return pastBuild(jobs, durationMs, { cores: 8, ...more });
}

/** T1 400 s with 5% serial, 1 GB per job, CPU work 380 s. */
const SCALING_HISTORY: readonly PastBuild[] = [
  build(4, 115_000, { peakRssBytes: 4 * GB, cpuMs: 380_000, avgCpuPct: 320 }),
  build(2, 210_000, { peakRssBytes: 2 * GB, cpuMs: 380_000, avgCpuPct: 180 }),
  build(1, 400_000, { peakRssBytes: GB, cpuMs: 380_000, avgCpuPct: 95 }),
];

test('advice: under a 4 GB limit at 1 GB per job the best -j fits memory, and -j8 is warned about', () => {
  const advice = adviseJobs(SCALING_HISTORY, { target: 'all', requestedJobs: 8, machine: MACHINE_8_4GB });
  const table = advice.rows.map((r) => [r.jobs, r.predictedMs, r.peakBytes === null ? null : r.peakBytes / GB, r.fitsMemory, r.parallelEfficiency, r.basis]);
  assert.deepEqual(table, [
    [1, 400_000, 1, true, 100, 'same-jobs'],
    [2, 210_000, 2, true, 95, 'same-jobs'],
    [3, 146_667, 3, true, 91, 'scaled'],
    [4, 115_000, 4, false, 87, 'same-jobs'],
    [5, 115_000, 5, false, 70, 'scaled'], // beyond 4 GB: no faster than -j4
    [6, 115_000, 6, false, 58, 'scaled'],
    [7, 115_000, 7, false, 50, 'scaled'],
    [8, 115_000, 8, false, 43, 'scaled'],
  ]);
  assert.equal(advice.optimalJobCount, 3);
  assert.equal(advice.requested.jobs, 8);
  assert.equal(advice.scaling, 'Amdahl fit over -j1, -j2, -j4: serial 5%');
  assert.deepEqual(advice.recommendations, [
    'Warning: -j8 is predicted to need 8.0GB, more than the 4.0GB available: expect swapping; use -j3',
    '-j3 leaves memory headroom where -j8 does not (2m 27s vs 1m 55s)',
    'Memory usage scales linearly up to -j4 on this system',
  ]);
});

test('advice: the requested -j is confirmed when it is the optimum', () => {
  const advice = adviseJobs(SCALING_HISTORY, { target: 'all', requestedJobs: 3, machine: MACHINE_8_4GB });
  assert.deepEqual(advice.recommendations, [
    'Current -j3 is optimal for this system and target',
    'Memory usage scales linearly up to -j4 on this system',
  ]);
});

test('advice: with room in memory a faster -j is recommended with the time saved', () => {
  const advice = adviseJobs(SCALING_HISTORY, { target: 'all', requestedJobs: 4, machine: MACHINE_8_8GB });
  // 85% of 8 GB fits -j6 (83.3 s); -j7 (74.3 s) and -j8 do not
  assert.equal(advice.optimalJobCount, 6);
  assert.equal(advice.recommendations[0], '-j6 is predicted 28% faster than -j4 (1m 23s vs 1m 55s)');
  assert.deepEqual(
    advice.rows.map((r) => r.avgCpuPct),
    [12, 23, 32, 40, 49, 57, 64, 70], // measured at -j1, -j2, -j4 (avgCpuPct / 8 cores), else work / time / cores
  );
});

test('advice: fewer jobs within 3% of the fastest win', () => {
  // on 2 cores -j2 and -j3 predict the same time; -j3 adds nothing
  const history = [build(1, 100_000, { cores: 2 }), build(2, 51_000, { cores: 2 })];
  const machine: MachineInfo = { cores: 2, availableMemBytes: 8 * GB, totalMemBytes: 8 * GB };
  const advice = adviseJobs(history, { target: 'all', requestedJobs: 6, machine });
  assert.deepEqual(advice.rows.map((r) => r.jobs), [1, 2, 3, 4, 5, 6]);
  assert.equal(advice.optimalJobCount, 2);
  assert.deepEqual(advice.recommendations, ['-j2 is predicted within 3% of -j6 (51s vs 51s) with fewer jobs']);
  const capped = adviseJobs(history, { target: 'all', requestedJobs: 64, machine });
  assert.deepEqual(capped.rows.map((r) => r.jobs), [1, 2, 3, 4, 5, 6, 64]);
});

test('advice: no history says how to get advice', () => {
  const machine: MachineInfo = { cores: 2, availableMemBytes: 8 * GB, totalMemBytes: 8 * GB };
  const advice = adviseJobs([], { target: 'all', requestedJobs: 2, machine });
  assert.equal(advice.optimalJobCount, null);
  assert.deepEqual(advice.rows.map((r) => [r.jobs, r.predictedMs, r.basis]), [[1, null, 'none'], [2, null, 'none']]);
  assert.deepEqual(advice.recommendations, ['No finished build of all yet: build it once to get job-count advice']);
});

test('advice: legacy history alone gives no optimum and says why', () => {
  const machine: MachineInfo = { cores: 2, availableMemBytes: 8 * GB, totalMemBytes: 8 * GB };
  const advice = adviseJobs([build(null, 90_000, { legacy: true })], { target: 'all', requestedJobs: 2, machine });
  assert.equal(advice.optimalJobCount, null);
  assert.equal(advice.requested.basis, 'legacy');
  assert.equal(advice.requested.parallelEfficiency, null);
  assert.deepEqual(advice.recommendations, [
    'Only builds of all without a known job count exist: build it once with an explicit -j to get job-count advice',
  ]);
});

test('advice: one measured job count without CPU time cannot be compared', () => {
  const machine: MachineInfo = { cores: 2, availableMemBytes: 8 * GB, totalMemBytes: 8 * GB };
  const advice = adviseJobs([build(2, 60_000)], { target: 'all', requestedJobs: 2, machine });
  assert.equal(advice.optimalJobCount, null);
  assert.deepEqual(advice.recommendations, [
    'Only -j2 has been measured for all: build it once at another job count (or with CPU sampling) to learn how it scales',
  ]);
});
