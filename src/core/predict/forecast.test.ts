process.env.TZ = 'UTC';

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { predictBuild } from './build-prediction.js';
import { forecastOf } from './forecast.js';
import { adviseJobs } from './job-advice.js';
import type { MachineInfo, PastBuild } from './past-build.js';

const GB = 1024 ** 3;
const MACHINE: MachineInfo = { cores: 8, availableMemBytes: 8 * GB, totalMemBytes: 16 * GB };
const NOW_MS = Date.UTC(2026, 10, 29, 14, 30, 0);

function build(jobs: number, durationMs: number, peakRssBytes: number, avgCpuPct: number): PastBuild {
  return {
    sessionId: `s${jobs}`,
    target: 'package_sockets',
    jobs,
    legacy: false,
    startedMs: 0,
    durationMs,
    succeeded: true,
    cores: 8,
    cpuMs: 380_000,
    peakRssBytes,
    avgCpuPct,
    files: [],
    packages: [],
  };
}

const HISTORY: readonly PastBuild[] = [
  build(4, 115_000, 4 * GB, 320),
  build(2, 210_000, 2 * GB, 180),
  build(1, 400_000, GB, 95),
];

test('forecast: the JSON object, exactly, 15 s into a -j4 build', () => {
  const request = { target: 'package_sockets', jobs: 4, machine: MACHINE };
  const forecast = forecastOf({
    historyKey: 'package_sockets_j4',
    prediction: predictBuild(HISTORY, request),
    advice: adviseJobs(HISTORY, { target: 'package_sockets', requestedJobs: 4, machine: MACHINE }),
    nowMs: NOW_MS,
    elapsedMs: 15_000,
  });
  assert.equal(
    JSON.stringify(forecast),
    JSON.stringify({
      build_history_key: 'package_sockets_j4',
      eta: '1m 40s@14:31',
      eta_ms: 100_000,
      confidence: 0.38,
      parallel_efficiency: 87,
      optimal_job_count: 6,
      resource_prediction: {
        peak_memory: '4.0GB',
        avg_cpu: '40%',
        based_on_j4_history: true,
        peak_memory_bytes: 4 * GB,
        avg_cpu_pct: 40,
      },
      recommendations: [
        '-j6 is predicted 28% faster than -j4 (1m 23s vs 1m 55s)',
        'Memory usage scales linearly up to -j4 on this system',
      ],
      predicted_total_ms: 115_000,
      basis: 'same-jobs',
    }),
  );
});

test('forecast: a never-run -j is scaled and not based on its own history; a live total wins', () => {
  const request = { target: 'package_sockets', jobs: 3, machine: MACHINE };
  const forecast = forecastOf({
    historyKey: 'package_sockets_j3',
    prediction: predictBuild(HISTORY, request),
    advice: adviseJobs(HISTORY, { target: 'package_sockets', requestedJobs: 3, machine: MACHINE }),
    nowMs: NOW_MS,
    elapsedMs: 60_000,
    liveTotalMs: 150_000,
  });
  assert.equal(forecast.eta, '1m 30s@14:31');
  assert.equal(forecast.predicted_total_ms, 150_000);
  assert.equal(forecast.basis, 'scaled');
  assert.deepEqual(forecast.resource_prediction, {
    peak_memory: '3.0GB',
    avg_cpu: '32%',
    based_on_j3_history: false,
    peak_memory_bytes: 3 * GB,
    avg_cpu_pct: 32,
  });
});

test('forecast: nothing known gives nulls, never NaN', () => {
  const forecast = forecastOf({
    historyKey: 'all',
    prediction: predictBuild([], { target: 'all', jobs: null, machine: MACHINE }),
    advice: adviseJobs([], { target: 'all', requestedJobs: null, machine: MACHINE }),
    nowMs: NOW_MS,
    elapsedMs: Number.NaN,
    liveTotalMs: Number.NaN,
  });
  assert.deepEqual(forecast, {
    build_history_key: 'all',
    eta: null,
    eta_ms: null,
    confidence: 0,
    parallel_efficiency: null,
    optimal_job_count: null,
    resource_prediction: {
      peak_memory: null,
      avg_cpu: null,
      based_on_junlimited_history: false,
      peak_memory_bytes: null,
      avg_cpu_pct: null,
    },
    recommendations: ['No finished build of all yet: build it once to get job-count advice'],
    predicted_total_ms: null,
    basis: 'none',
  });
});
