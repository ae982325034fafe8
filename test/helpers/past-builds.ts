import type { PastBuild } from '../../src/core/predict/past-build.js';

/** One gibibyte, for memory figures in tests. */
export const GB = 1024 ** 3;

let nextId = 0;

/**
 * A successful past build of target `all` for prediction tests: each one made starts a little
 * earlier than the one before, so builds listed in the order made are newest first.
 */
export function pastBuild(jobs: number | null, durationMs: number, more: Partial<PastBuild> = {}): PastBuild {
  nextId++;
  return {
    sessionId: `s${nextId}`, target: 'all', jobs, legacy: false, startedMs: 1_000_000 - nextId, durationMs, succeeded: true,
    cores: 4, cpuMs: null, peakRssBytes: null, avgCpuPct: null, files: [], packages: [], ...more,
  };
}
