import type { ReplayResult } from '../replay.js';
import type { PastBuild } from './past-build.js';

/** What a replay does not know about the build it replayed: the fields of its session. Times are epoch ms. */
export type ReplayMeta = Pick<PastBuild, 'sessionId' | 'target' | 'jobs' | 'legacy' | 'startedMs' | 'durationMs' | 'succeeded' | 'cores'>;

/**
 * A replayed log as prediction sees a past build, so that benchmarks and tests can predict one
 * recorded build from others without a store. Nothing was sampled: CPU and memory are null.
 */
export function pastBuildFromReplay(result: ReplayResult, meta: ReplayMeta): PastBuild {
  return {
    ...meta, cpuMs: null, peakRssBytes: null, avgCpuPct: null,
    files: result.files.map((f) => ({ package: f.package, source: f.source, startedMs: f.startedMs, endedMs: f.endedMs, peakRssBytes: null, cpuMs: null })),
    packages: result.packages.map((p) => ({
      name: p.name, status: p.status, startedMs: p.started_ms, endedMs: p.ended_ms, filesDone: p.files_done,
      filesTotal: p.files_total, dependsOn: [...p.depends_on], peakRssBytes: null, cpuMs: null,
    })),
  };
}
