import type { Diagnostic } from '../core/diagnostics/diagnostic.js';
import type { PackageState } from '../core/packages/package-state.js';
import type { FileRun } from '../core/packages/package-tracker.js';
import type { PackageKind, PackageModel } from '../core/project-model.js';
import type { Db } from './database.js';

/** A diagnostic as stored: exactly the core's. */
export type DiagnosticRecord = Diagnostic;

/** What a finished build leaves besides its session row. */
export interface BuildOutcome {
  packages: readonly PackageState[];
  files: readonly FileRun[];
  diagnostics: readonly DiagnosticRecord[];
}

/** A package as a project's builds taught it. */
export interface LearnedPackage {
  name: string;
  kind: PackageKind;
  filesTotal: number | null;
  dependsOn: string[];
}

/** A package's past, for totals and the critical path's weights. */
export interface PackageHistory {
  package: string;
  /** Files it compiled: the most of its last few completed builds (an incremental build compiles fewer). */
  lastFiles: number;
  /** Mean wall time of its completed builds (first activity to end), ms. */
  avgMs: number;
  runs: number;
}

/** How many recent builds of a package say how many files it has. */
const RECENT_FILE_COUNTS = 5;

interface DiagnosticRow {
  severity: string; tool: string; file: string | null; line: number | null; col: number | null; message: string;
  package: string | null; category: string; text: string; at_ms: number;
}

/** Per-build detail: packages (live and final), compiled files, diagnostics, and each project's known packages. */
export class BuildDetailStore {
  constructor(private readonly db: Db) {}

  /** The packages' live state, written alongside the live counters. */
  setLivePackages(sessionId: string, packages: readonly PackageState[]): void {
    this.db.prepare('UPDATE sessions SET packages_json = ? WHERE id = ?').run(JSON.stringify(packages), sessionId);
  }

  /** The packages' state as last written (live, or final once the build ended); [] when none. */
  packages(sessionId: string): PackageState[] {
    const row = this.db.prepare('SELECT packages_json FROM sessions WHERE id = ?').get(sessionId) as { packages_json: string | null } | undefined;
    if (!row?.packages_json) return [];
    try {
      const parsed: unknown = JSON.parse(row.packages_json);
      return Array.isArray(parsed) ? (parsed as PackageState[]) : [];
    } catch {
      return [];
    }
  }

  /** Replaces everything recorded for the session's outcome, in one transaction. */
  saveOutcome(sessionId: string, outcome: BuildOutcome): void {
    const tx = this.db.transaction(() => {
      this.db.prepare('UPDATE sessions SET packages_json = ? WHERE id = ?').run(JSON.stringify(outcome.packages), sessionId);
      for (const table of ['package_runs', 'file_runs', 'diagnostics']) this.db.prepare(`DELETE FROM ${table} WHERE session_id = ?`).run(sessionId);
      const pkg = this.db.prepare(`INSERT INTO package_runs (session_id, package, status, started_ms, ended_ms, files_done, files_total, errors, warnings)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      for (const p of outcome.packages) {
        pkg.run(sessionId, p.name, p.status, p.started_ms, p.ended_ms, p.files_done, p.files_total, p.errors, p.warnings);
      }
      const file = this.db.prepare('INSERT INTO file_runs (session_id, package, source, started_ms, ended_ms, exact) VALUES (?, ?, ?, ?, ?, 0)');
      for (const f of outcome.files) file.run(sessionId, f.package, f.source, f.startedMs, f.endedMs);
      const diag = this.db.prepare(`INSERT INTO diagnostics (session_id, seq, at_ms, severity, tool, file, line, col, message, package, category, text)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      outcome.diagnostics.forEach((d, i) => {
        diag.run(sessionId, i, d.atMs, d.severity, d.tool, d.file, d.line, d.column, d.message, d.package, d.category, d.text);
      });
    });
    tx.immediate();
  }

  /** Replaces a session's file times with exact ones (from `.ninja_log`). */
  replaceFileRunsExact(sessionId: string, files: readonly { package: string | null; source: string; startedMs: number; endedMs: number }[]): void {
    const tx = this.db.transaction(() => {
      this.db.prepare('DELETE FROM file_runs WHERE session_id = ?').run(sessionId);
      const ins = this.db.prepare('INSERT INTO file_runs (session_id, package, source, started_ms, ended_ms, exact) VALUES (?, ?, ?, ?, ?, 1)');
      for (const f of files) ins.run(sessionId, f.package, f.source, f.startedMs, f.endedMs);
    });
    tx.immediate();
  }

  /** A session's compiled files in the order recorded; `package` is null where the tool did not say. */
  fileRuns(sessionId: string): (Omit<FileRun, 'package'> & { package: string | null; exact: boolean })[] {
    const rows = this.db.prepare('SELECT package, source, started_ms, ended_ms, exact FROM file_runs WHERE session_id = ? ORDER BY rowid')
      .all(sessionId) as { package: string | null; source: string; started_ms: number | null; ended_ms: number | null; exact: number }[];
    return rows.map((r) => ({ package: r.package, source: r.source, startedMs: r.started_ms, endedMs: r.ended_ms, exact: r.exact === 1 }));
  }

  diagnostics(sessionId: string, limit = 1000): DiagnosticRecord[] {
    const rows = this.db.prepare('SELECT * FROM diagnostics WHERE session_id = ? ORDER BY seq LIMIT ?').all(sessionId, limit) as DiagnosticRow[];
    return rows.map((r) => ({
      severity: r.severity as Diagnostic['severity'], tool: r.tool as Diagnostic['tool'], file: r.file, line: r.line, column: r.col, message: r.message,
      package: r.package, category: r.category, text: r.text, atMs: r.at_ms,
    }));
  }

  /** Remembers a project's packages (learned from output, or read from the project), replacing what was known. */
  rememberProjectPackages(projectDir: string, packages: readonly LearnedPackage[], source: string, nowMs: number): void {
    const tx = this.db.transaction(() => {
      this.db.prepare('DELETE FROM project_packages WHERE project_dir = ?').run(projectDir);
      const ins = this.db.prepare(`INSERT INTO project_packages (project_dir, name, kind, files_total, depends_on, source, updated_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?)`);
      for (const p of packages) ins.run(projectDir, p.name, p.kind, p.filesTotal, JSON.stringify(p.dependsOn), source, nowMs);
    });
    tx.immediate();
  }

  /** The packages last remembered for a project (sources are not kept: only their number, as `filesTotal`). */
  projectPackages(projectDir: string): (Omit<PackageModel, 'sources'> & { filesTotal: number | null })[] {
    const rows = this.db.prepare('SELECT name, kind, files_total, depends_on FROM project_packages WHERE project_dir = ? ORDER BY name')
      .all(projectDir) as { name: string; kind: PackageKind; files_total: number | null; depends_on: string }[];
    return rows.map((r) => ({ name: r.name, kind: r.kind, dir: null, artifacts: [], dependsOn: safeArray(r.depends_on), filesTotal: r.files_total }));
  }

  /** Per package of a project: files in its last completed build and its mean duration, from finished builds. */
  packageHistory(projectDir: string): Map<string, PackageHistory> {
    const rows = this.db.prepare(`SELECT p.package, p.files_done, p.started_ms, p.ended_ms FROM package_runs p
        JOIN sessions s ON s.id = p.session_id
        WHERE s.project_dir = ? AND p.status = 'completed' AND p.started_ms IS NOT NULL AND p.ended_ms IS NOT NULL
        ORDER BY s.started_ms`).all(projectDir) as { package: string; files_done: number; started_ms: number; ended_ms: number }[];
    const out = new Map<string, PackageHistory>();
    const recentFiles = new Map<string, number[]>();
    for (const r of rows) {
      const h = out.get(r.package) ?? { package: r.package, lastFiles: 0, avgMs: 0, runs: 0 };
      h.avgMs = (h.avgMs * h.runs + (r.ended_ms - r.started_ms)) / (h.runs + 1);
      h.runs++;
      out.set(r.package, h);
      if (r.files_done > 0) {
        const recent = recentFiles.get(r.package) ?? [];
        recent.push(r.files_done);
        if (recent.length > RECENT_FILE_COUNTS) recent.shift();
        recentFiles.set(r.package, recent);
        // An incremental build compiles only what changed: the package's size is the most of its recent builds.
        h.lastFiles = Math.max(...recent);
      }
    }
    return out;
  }
}

function safeArray(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
