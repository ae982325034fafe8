import type { ProcessRole } from '../core/resources/compiler-process.js';
import type { ProcessRun, ResourceSample, ResourceSummary } from '../core/resources/resource-tracker.js';
import type { Db } from './database.js';

/** A build's sampled resource use as stored, with what sampling it cost (CPU ms, fractional). */
export type StoredResources = ResourceSummary & { samplerCpuMs: number | null };

/** What the succeeded, sampled builds of one history key used: the basis of a memory prediction. */
export interface KeyResources {
  /** The most memory any of them held at once, bytes; null without any. */
  peakRssBytes: number | null;
  /** Mean of their average CPU, percent of one core; null without any. */
  avgCpuPct: number | null;
  /** Samples taken over all of them. */
  samples: number;
  builds: number;
}

/** What one package's compiles and links used in one build. */
export interface PackageResources {
  package: string;
  /** The most memory one of its compiles or links held, bytes. */
  peakRssBytes: number;
  /** CPU time of all its compiles and links, ms. */
  cpuMs: number;
  /** Files compiled and artifacts linked that were seen. */
  runs: number;
}

interface SessionColumns {
  peak_rss_bytes: number | null; avg_cpu_pct: number | null; peak_procs: number | null;
  peak_compilers: number | null; sample_count: number | null; sampler_cpu_ms: number | null;
}

/** Resource samples and compiler/linker runs per session, and their summaries per history key and package. */
export class ResourceStore {
  constructor(private readonly db: Db) {}

  /** Records a build's resource use (session totals, samples, process runs), replacing any earlier record, in one transaction. */
  saveSummary(sessionId: string, summary: ResourceSummary & { samplerCpuMs?: number | null }): void {
    const tx = this.db.transaction(() => {
      this.db.prepare(`UPDATE sessions SET peak_rss_bytes = ?, avg_cpu_pct = ?, peak_procs = ?, peak_compilers = ?, sample_count = ?,
          sampler_cpu_ms = ? WHERE id = ?`)
        .run(summary.peakRssBytes, summary.avgCpuPct, summary.peakProcs, summary.peakCompilers, summary.sampleCount, summary.samplerCpuMs ?? null, sessionId);
      this.db.prepare('DELETE FROM resource_samples WHERE session_id = ?').run(sessionId);
      this.db.prepare('DELETE FROM process_runs WHERE session_id = ?').run(sessionId);
      // Two samples in one millisecond cannot both be kept: the later one wins.
      const sample = this.db.prepare('INSERT OR REPLACE INTO resource_samples (session_id, at_ms, rss_bytes, cpu_pct, procs, compilers) VALUES (?, ?, ?, ?, ?, ?)');
      for (const s of summary.samples) sample.run(sessionId, Math.round(s.atMs), s.rssBytes, s.cpuPct, s.procs, s.compilers);
      const run = this.db.prepare(`INSERT INTO process_runs (session_id, role, package, source, started_ms, ended_ms, peak_rss_bytes, cpu_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
      for (const r of summary.processRuns) run.run(sessionId, r.role, r.package, r.source, r.startedMs, r.endedMs, r.peakRssBytes, Math.round(r.cpuMs));
    });
    tx.immediate();
  }

  /** A session's samples in time order; [] when it was not sampled. */
  samples(sessionId: string): ResourceSample[] {
    const rows = this.db.prepare('SELECT at_ms, rss_bytes, cpu_pct, procs, compilers FROM resource_samples WHERE session_id = ? ORDER BY at_ms')
      .all(sessionId) as { at_ms: number; rss_bytes: number; cpu_pct: number | null; procs: number; compilers: number }[];
    return rows.map((r) => ({ atMs: r.at_ms, rssBytes: r.rss_bytes, cpuPct: r.cpu_pct, procs: r.procs, compilers: r.compilers }));
  }

  /** A session's compiles and links in the order they were first seen. */
  processRuns(sessionId: string): ProcessRun[] {
    const rows = this.db.prepare(`SELECT role, package, source, started_ms, ended_ms, peak_rss_bytes, cpu_ms FROM process_runs
        WHERE session_id = ? ORDER BY started_ms, rowid`).all(sessionId) as {
      role: ProcessRole; package: string | null; source: string | null; started_ms: number; ended_ms: number; peak_rss_bytes: number; cpu_ms: number;
    }[];
    return rows.map((r) => ({
      role: r.role, package: r.package, source: r.source, startedMs: r.started_ms, endedMs: r.ended_ms, peakRssBytes: r.peak_rss_bytes, cpuMs: r.cpu_ms,
    }));
  }

  /** Everything recorded of a session's resource use; null when it was never sampled. */
  summary(sessionId: string): StoredResources | null {
    const t = this.totals(sessionId);
    return t === null ? null : { ...t, samples: this.samples(sessionId), processRuns: this.processRuns(sessionId) };
  }

  /** A session's peaks, mean CPU and sample count from its own row, without reading its samples; null when it was never sampled. */
  totals(sessionId: string): Omit<StoredResources, 'samples' | 'processRuns'> | null {
    const row = this.db.prepare(`SELECT peak_rss_bytes, avg_cpu_pct, peak_procs, peak_compilers, sample_count, sampler_cpu_ms
        FROM sessions WHERE id = ?`).get(sessionId) as SessionColumns | undefined;
    if (row === undefined || row.sample_count === null) return null;
    return {
      peakRssBytes: row.peak_rss_bytes ?? 0, avgCpuPct: row.avg_cpu_pct, peakProcs: row.peak_procs ?? 0, peakCompilers: row.peak_compilers ?? 0,
      sampleCount: row.sample_count, samplerCpuMs: row.sampler_cpu_ms,
    };
  }

  /** Resource use of a history key's succeeded builds that were sampled. */
  keySummary(projectDir: string, historyKey: string): KeyResources {
    const row = this.db.prepare(`SELECT MAX(peak_rss_bytes) AS peak, AVG(avg_cpu_pct) AS cpu, COALESCE(SUM(sample_count), 0) AS samples, COUNT(*) AS builds
        FROM sessions WHERE project_dir = ? AND history_key = ? AND status = 'succeeded' AND sample_count IS NOT NULL`)
      .get(projectDir, historyKey) as { peak: number | null; cpu: number | null; samples: number; builds: number };
    return { peakRssBytes: row.peak, avgCpuPct: row.cpu, samples: row.samples, builds: row.builds };
  }

  /** Per package of a session: its heaviest compile or link and its total CPU, busiest first. Unattributed runs are left out. */
  packageSummary(sessionId: string): PackageResources[] {
    const rows = this.db.prepare(`SELECT package, MAX(peak_rss_bytes) AS peak, SUM(cpu_ms) AS cpu, COUNT(*) AS runs FROM process_runs
        WHERE session_id = ? AND package IS NOT NULL GROUP BY package ORDER BY cpu DESC, package`)
      .all(sessionId) as { package: string; peak: number; cpu: number; runs: number }[];
    return rows.map((r) => ({ package: r.package, peakRssBytes: r.peak, cpuMs: r.cpu, runs: r.runs }));
  }
}
