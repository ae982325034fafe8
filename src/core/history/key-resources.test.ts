import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PastBuild } from '../predict/past-build.js';
import { keyResources } from './key-resources.js';

function build(id: string, target: string, jobs: number | null, legacy: boolean, durationMs: number, peakRssBytes: number | null, avgCpuPct: number | null): PastBuild {
  return {
    sessionId: id, target, jobs, legacy, startedMs: 0, durationMs, succeeded: true, cores: 2, cpuMs: null,
    peakRssBytes, avgCpuPct, files: [], packages: [],
  };
}

test('per key: the highest peak, CPU weighted by duration, and how many builds were sampled', () => {
  const builds = [
    build('a', 'all', 2, false, 60_000, 800_000_000, 180),
    build('b', 'all', 2, false, 20_000, 900_000_000, 100),
    build('c', 'all', 2, false, 30_000, null, null),
    build('d', 'all', 1, false, 100_000, 400_000_000, 95.5),
    build('e', 'all', null, true, 50_000, null, null),
    build('f', 'package_core', null, false, 10_000, null, 300),
  ];
  assert.deepEqual(keyResources(builds), [
    { history_key: 'all', builds: 1, peak_memory_bytes: null, avg_cpu_pct: null, samples: 0 },
    { history_key: 'all_j1', builds: 1, peak_memory_bytes: 400_000_000, avg_cpu_pct: 95.5, samples: 1 },
    // (180 * 60 s + 100 * 20 s) / 80 s = 160%.
    { history_key: 'all_j2', builds: 3, peak_memory_bytes: 900_000_000, avg_cpu_pct: 160, samples: 2 },
    { history_key: 'package_core_junlimited', builds: 1, peak_memory_bytes: null, avg_cpu_pct: 300, samples: 1 },
  ]);
  assert.deepEqual(keyResources([]), []);
});
