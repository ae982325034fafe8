import type { PastBuild } from '../predict/past-build.js';
import { round1 } from './history-stats.js';

/** Resource use of one history key's builds, as the sampler saw them. */
export interface KeyResourceSummary {
  history_key: string;
  /** Builds of the key summarised, sampled or not. */
  builds: number;
  /** The largest total RSS of the process tree seen in any of its builds, bytes; null when none was sampled. */
  peak_memory_bytes: number | null;
  /** CPU use averaged over the sampled builds, weighted by their duration, percent of one core; null when none was sampled. */
  avg_cpu_pct: number | null;
  /** Builds that carry a resource measurement. */
  samples: number;
}

/**
 * Per history key: the highest peak memory (what the machine must be able to hold, not the
 * typical value) and the duration-weighted CPU use, so a long build counts for its length.
 * Sorted by key.
 */
export function keyResources(builds: readonly PastBuild[]): KeyResourceSummary[] {
  const byKey = new Map<string, PastBuild[]>();
  for (const b of builds) {
    const key = historyKeyOf(b);
    const list = byKey.get(key);
    if (list) list.push(b);
    else byKey.set(key, [b]);
  }
  return [...byKey]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, list]) => summarize(key, list));
}

function summarize(key: string, builds: readonly PastBuild[]): KeyResourceSummary {
  const peaks = builds.flatMap((b) => (b.peakRssBytes === null ? [] : [b.peakRssBytes]));
  const cpu = builds.filter((b) => b.avgCpuPct !== null && b.durationMs > 0);
  const weightMs = cpu.reduce((s, b) => s + b.durationMs, 0);
  return {
    history_key: key,
    builds: builds.length,
    peak_memory_bytes: peaks.length === 0 ? null : Math.max(...peaks),
    avg_cpu_pct: weightMs === 0 ? null : round1(cpu.reduce((s, b) => s + (b.avgCpuPct as number) * b.durationMs, 0) / weightMs),
    samples: builds.filter((b) => b.peakRssBytes !== null || b.avgCpuPct !== null).length,
  };
}

/** The key a build was recorded under: `<target>_j<jobs>`, `<target>_junlimited`, or the bare target for a legacy build. */
function historyKeyOf(b: PastBuild): string {
  if (b.legacy) return b.target;
  return b.jobs === null ? `${b.target}_junlimited` : `${b.target}_j${b.jobs}`;
}
