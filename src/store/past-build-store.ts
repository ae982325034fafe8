import { keyHasJobs, type PastBuild, type PastFile, type PastPackage } from '../core/predict/past-build.js';
import type { Db } from './database.js';

/** Which finished builds of a project to load. */
export interface PastBuildQuery {
  /** Only builds of this target (targets sorted and joined with `+`, as in the history key). */
  target?: string;
  /** Only builds that ended at or before this instant (epoch ms), so a replay never sees its own future. */
  beforeMs?: number;
  /** At most this many builds, newest first (default 50). */
  limit?: number;
  /** Also builds that failed or were cancelled: their files and packages still ran. Lost builds never count (their end is when the loss was noticed). */
  includeFailed?: boolean;
  /** False: the sessions alone, with no files or packages (one statement), for summaries of whole builds. Default true. */
  withDetails?: boolean;
}

const DEFAULT_LIMIT = 50;

interface SessionRow {
  id: string; target: string; jobs: number | null; history_key: string; started_ms: number; ended_ms: number;
  status: string; cores: number; build_cpu_ms: number | null; peak_rss_bytes: number | null; avg_cpu_pct: number | null;
  packages_json: string | null;
}
interface PackageRow {
  session_id: string; package: string; status: string; started_ms: number | null; ended_ms: number | null;
  files_done: number; files_total: number | null;
}
interface FileRow { session_id: string; package: string | null; source: string; started_ms: number | null; ended_ms: number | null }
interface ProcessRow { session_id: string; role: string; package: string | null; source: string | null; peak: number; cpu: number }

interface Usage { peakRssBytes: number; cpuMs: number }

/**
 * Finished builds of a project in the shape prediction reads ({@link PastBuild}), with their files,
 * packages and the resource use the sampler attributed to them. Four statements per call whatever
 * the number of builds: the sessions, then their package runs, file runs and process runs by id.
 */
export class PastBuildStore {
  constructor(private readonly db: Db) {}

  /** The project's finished builds, newest first (by start). */
  load(projectDir: string, opts: PastBuildQuery = {}): PastBuild[] {
    const sessions = this.sessions(projectDir, opts);
    if (sessions.length === 0) return [];
    if (opts.withDetails === false) return sessions.map((s) => pastBuild(s, [], []));
    const ids = JSON.stringify(sessions.map((s) => s.id));
    const byId = (table: string, cols: string, order: string): string =>
      `SELECT session_id, ${cols} FROM ${table} WHERE session_id IN (SELECT value FROM json_each(?)) ${order}`;
    const packages = groupBy(this.db.prepare(byId('package_runs', 'package, status, started_ms, ended_ms, files_done, files_total', 'ORDER BY session_id, package'))
      .all(ids) as PackageRow[]);
    const files = groupBy(this.db.prepare(byId('file_runs', 'package, source, started_ms, ended_ms', 'ORDER BY session_id, rowid')).all(ids) as FileRow[]);
    const usage = this.usage(ids);
    return sessions.map((s) => pastBuild(s, (files.get(s.id) ?? []).map((f) => pastFile(f, usage)), pastPackages(s, packages.get(s.id) ?? [], usage)));
  }

  /** Projects (build directories) in which a package of this name has run, most recently used first. */
  projectsWithPackage(pkg: string): string[] {
    const rows = this.db.prepare(`SELECT s.project_dir AS dir, MAX(s.started_ms) AS last FROM package_runs p
        JOIN sessions s ON s.id = p.session_id WHERE p.package = ? GROUP BY s.project_dir ORDER BY last DESC, dir`)
      .all(pkg) as { dir: string }[];
    return rows.map((r) => r.dir);
  }

  private sessions(projectDir: string, opts: PastBuildQuery): SessionRow[] {
    const statuses = opts.includeFailed ? "('succeeded','failed','cancelled')" : "('succeeded')";
    const where = ['project_dir = ?', `status IN ${statuses}`, 'ended_ms IS NOT NULL'];
    const args: (string | number)[] = [projectDir];
    if (opts.target !== undefined) where.push('target = ?'), args.push(opts.target);
    if (opts.beforeMs !== undefined) where.push('ended_ms <= ?'), args.push(opts.beforeMs);
    args.push(opts.limit ?? DEFAULT_LIMIT);
    return this.db.prepare(`SELECT id, target, jobs, history_key, started_ms, ended_ms, status, cores, build_cpu_ms,
        peak_rss_bytes, avg_cpu_pct, ${opts.withDetails === false ? 'NULL AS packages_json' : 'packages_json'} FROM sessions WHERE ${where.join(' AND ')}
        ORDER BY started_ms DESC, id LIMIT ?`).all(...args) as SessionRow[];
  }

  /** Per compiled file (`compile` role, keyed by session, package and source) and per package: peak RSS and summed CPU time. */
  private usage(ids: string): FileUsage & { packages: Map<string, Usage> } {
    const rows = this.db.prepare(`SELECT session_id, role, package, source, MAX(peak_rss_bytes) AS peak, SUM(cpu_ms) AS cpu
        FROM process_runs WHERE session_id IN (SELECT value FROM json_each(?)) GROUP BY session_id, role, package, source`)
      .all(ids) as ProcessRow[];
    const files = new Map<string, Usage>();
    const bySession = new Map<string, { source: string; key: string }[]>();
    const packages = new Map<string, Usage>();
    for (const r of rows) {
      if (r.role === 'compile' && r.source !== null) {
        const key = fileKey(r.session_id, r.package, r.source);
        if (!files.has(key)) {
          const name = baseKey(r.session_id, r.source);
          const list = bySession.get(name);
          if (list) list.push({ source: r.source, key });
          else bySession.set(name, [{ source: r.source, key }]);
        }
        merge(files, key, r);
        // Found by its source alone when the tool or the sampler could not place it in a package.
        if (r.package !== null) merge(files, fileKey(r.session_id, null, r.source), r);
      }
      if (r.package !== null) merge(packages, packageKey(r.session_id, r.package), r);
    }
    return { files, bySession, packages };
  }
}

/** What the sampler measured per compiled file, by the path its command line named (often absolute). */
interface FileUsage {
  files: Map<string, Usage>;
  /** Measured files by session and base name, to match an output-named file (`core.cc`) to its command line's path. */
  bySession: Map<string, { source: string; key: string }[]>;
}

function pastBuild(s: SessionRow, files: PastFile[], packages: PastPackage[]): PastBuild {
  return {
    sessionId: s.id, target: s.target, jobs: s.jobs, legacy: !keyHasJobs(s.history_key), startedMs: s.started_ms,
    durationMs: s.ended_ms - s.started_ms, succeeded: s.status === 'succeeded', cores: s.cores, cpuMs: s.build_cpu_ms,
    peakRssBytes: s.peak_rss_bytes, avgCpuPct: s.avg_cpu_pct, files, packages,
  };
}

function pastFile(f: FileRow, usage: FileUsage): PastFile {
  const u = usage.files.get(fileKey(f.session_id, f.package, f.source)) ?? usage.files.get(fileKey(f.session_id, null, f.source))
    ?? bySuffix(f, usage);
  return {
    package: f.package, source: f.source, startedMs: f.started_ms, endedMs: f.ended_ms,
    peakRssBytes: u?.peakRssBytes ?? null, cpuMs: u?.cpuMs ?? null,
  };
}

/**
 * The build's output names a file relative to its target (`core.cc`, `tools/make_defs.cc`); the
 * compiler's command line usually by its absolute path. The measured file of the same package whose
 * path ends with the printed one is that file, when only one does.
 */
function bySuffix(f: FileRow, usage: FileUsage): Usage | undefined {
  const tail = f.source.startsWith('/') ? f.source : `/${f.source}`;
  const matches = (usage.bySession.get(baseKey(f.session_id, f.source)) ?? []).filter((m) => m.source.endsWith(tail) && (f.package === null || m.key.includes(`\0${f.package}\0`)));
  return matches.length === 1 ? usage.files.get(matches[0]!.key) : undefined;
}

function pastPackages(s: SessionRow, rows: readonly PackageRow[], usage: { packages: Map<string, Usage> }): PastPackage[] {
  const deps = dependsOnByName(s.packages_json);
  return rows.map((p) => {
    const u = usage.packages.get(packageKey(s.id, p.package));
    return {
      name: p.package, status: p.status, startedMs: p.started_ms, endedMs: p.ended_ms, filesDone: p.files_done,
      filesTotal: p.files_total, dependsOn: deps.get(p.package) ?? [], peakRssBytes: u?.peakRssBytes ?? null, cpuMs: u?.cpuMs ?? null,
    };
  });
}

/** Each package's `depends_on` from the session's last written package states; empty when unreadable. */
function dependsOnByName(json: string | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!json) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return out;
  }
  if (!Array.isArray(parsed)) return out;
  for (const p of parsed as unknown[]) {
    const { name, depends_on: deps } = (p ?? {}) as { name?: unknown; depends_on?: unknown };
    if (typeof name !== 'string' || !Array.isArray(deps)) continue;
    out.set(name, deps.filter((d): d is string => typeof d === 'string'));
  }
  return out;
}

function merge(map: Map<string, Usage>, key: string, r: ProcessRow): void {
  const u = map.get(key);
  if (u === undefined) map.set(key, { peakRssBytes: r.peak, cpuMs: r.cpu });
  else map.set(key, { peakRssBytes: Math.max(u.peakRssBytes, r.peak), cpuMs: u.cpuMs + r.cpu });
}

function baseKey(sessionId: string, source: string): string {
  return `${sessionId}\0${source.slice(source.lastIndexOf('/') + 1)}`;
}

function fileKey(sessionId: string, pkg: string | null, source: string): string {
  return `${sessionId}\0${pkg ?? ''}\0${source}`;
}

function packageKey(sessionId: string, pkg: string): string {
  return `${sessionId}\0${pkg}`;
}

function groupBy<T extends { session_id: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.session_id);
    if (list) list.push(r);
    else out.set(r.session_id, [r]);
  }
  return out;
}
