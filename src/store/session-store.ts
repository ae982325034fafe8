import type { Db } from './database.js';
import type {
  HistoryEntry,
  HistoryKeySummary,
  SessionEnd,
  SessionProgress,
  SessionRecord,
  SessionStatus,
} from './session-types.js';

interface SessionRow {
  id: string; command: string; cwd: string; project_dir: string; tool: string; target: string;
  targets: string; jobs: number | null; history_key: string; hostname: string; cores: number;
  mem_bytes: number; started_ms: number; ended_ms: number | null; exit_code: number | null;
  signal: string | null; status: SessionStatus; source: 'live' | 'import'; log_path: string;
  runner_pid: number | null; runner_start: string | null; build_pid: number | null; build_start: string | null;
  predicted_ms: number | null; progress_pct: number | null; line_count: number;
  warning_count: number; error_count: number; last_line: string | null; message: string | null;
  build_cpu_ms: number | null; runner_cpu_ms: number | null; updated_ms: number;
  live_total_ms?: number | null; live_confidence?: number | null;
  live_rss_bytes?: number | null; live_cpu_pct?: number | null; live_compilers?: number | null; peak_rss_bytes?: number | null;
}

const LAST_LINE_MAX_CHARS = 500;

/**
 * A JSON list of strings from a column; a damaged value (not JSON, not a list of strings) reads as
 * empty and its column is named in `bad`, so one broken row never hides every other session.
 */
function stringList(text: string, column: string, bad: string[]): string[] {
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  } catch {
    // Reported through `bad` below.
  }
  bad.push(column);
  return [];
}

function fromRow(r: SessionRow): SessionRecord {
  const bad: string[] = [];
  const command = stringList(r.command, 'command', bad);
  const targets = stringList(r.targets, 'targets', bad);
  const note = bad.length === 0 ? null : `unreadable in the database: ${bad.join(', ')} (shown empty)`;
  return {
    id: r.id, command, cwd: r.cwd, projectDir: r.project_dir,
    tool: r.tool, target: r.target, targets, jobs: r.jobs,
    historyKey: r.history_key, hostname: r.hostname, cores: r.cores, memBytes: r.mem_bytes,
    startedMs: r.started_ms, endedMs: r.ended_ms, exitCode: r.exit_code, signal: r.signal,
    status: r.status, source: r.source, logPath: r.log_path, runnerPid: r.runner_pid,
    runnerStart: r.runner_start, buildPid: r.build_pid, buildStart: r.build_start, predictedMs: r.predicted_ms,
    progressPct: r.progress_pct, lineCount: r.line_count, warningCount: r.warning_count,
    errorCount: r.error_count, lastLine: r.last_line, message: note === null ? r.message : r.message ? `${r.message}; ${note}` : note, buildCpuMs: r.build_cpu_ms,
    runnerCpuMs: r.runner_cpu_ms, updatedMs: r.updated_ms,
    liveTotalMs: r.live_total_ms ?? null, liveConfidence: r.live_confidence ?? null,
    liveResources: r.live_rss_bytes == null ? null : {
      rssBytes: r.live_rss_bytes, cpuPct: r.live_cpu_pct ?? null, compilers: r.live_compilers ?? 0, peakRssBytes: r.peak_rss_bytes ?? r.live_rss_bytes,
    },
  };
}

/** Sessions and build history in SQLite. Every method is one short statement or transaction. */
export class SessionStore {
  constructor(private readonly db: Db) {}

  insert(s: SessionRecord): void {
    this.db.prepare(`INSERT INTO sessions (id, command, cwd, project_dir, tool, target, targets, jobs,
        history_key, hostname, cores, mem_bytes, started_ms, ended_ms, exit_code, signal, status, source,
        log_path, runner_pid, runner_start, build_pid, build_start, predicted_ms, progress_pct, line_count,
        warning_count, error_count, last_line, message, build_cpu_ms, runner_cpu_ms, updated_ms)
      VALUES (@id, @command, @cwd, @projectDir, @tool, @target, @targets, @jobs, @historyKey, @hostname,
        @cores, @memBytes, @startedMs, @endedMs, @exitCode, @signal, @status, @source, @logPath,
        @runnerPid, @runnerStart, @buildPid, @buildStart, @predictedMs, @progressPct, @lineCount, @warningCount,
        @errorCount, @lastLine, @message, @buildCpuMs, @runnerCpuMs, @updatedMs)`).run({
      ...s,
      command: JSON.stringify(s.command),
      targets: JSON.stringify(s.targets),
      lastLine: truncate(s.lastLine),
    });
  }

  get(id: string): SessionRecord | null {
    const row = this.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** Finds a session by a unique prefix of its id, as people type them. */
  findByPrefix(prefix: string): SessionRecord[] {
    const rows = this.db
      .prepare("SELECT * FROM sessions WHERE id LIKE ? ESCAPE '\\' ORDER BY started_ms DESC LIMIT 5")
      .all(prefix.replace(/[\\%_]/g, (c) => '\\' + c) + '%') as SessionRow[];
    return rows.map(fromRow);
  }

  list(options: { activeOnly?: boolean; limit?: number } = {}): SessionRecord[] {
    const where = options.activeOnly ? "WHERE status IN ('starting','running')" : '';
    const rows = this.db
      .prepare(`SELECT * FROM sessions ${where} ORDER BY started_ms DESC, id LIMIT ?`)
      .all(options.limit ?? 50) as SessionRow[];
    return rows.map(fromRow);
  }

  markRunning(id: string, runner: { runnerPid: number; runnerStart: string | null; buildPid: number; buildStart: string | null }, nowMs: number): void {
    this.db.prepare(`UPDATE sessions SET status = 'running', runner_pid = ?, runner_start = ?, build_pid = ?,
        build_start = ?, updated_ms = ? WHERE id = ? AND status IN ('starting','running')`)
      .run(runner.runnerPid, runner.runnerStart, runner.buildPid, runner.buildStart, nowMs, id);
  }

  setRunner(id: string, runnerPid: number, runnerStart: string | null, nowMs: number): void {
    this.db.prepare('UPDATE sessions SET runner_pid = ?, runner_start = ?, updated_ms = ? WHERE id = ?')
      .run(runnerPid, runnerStart, nowMs, id);
  }

  updateProgress(id: string, p: SessionProgress, nowMs: number): void {
    this.db.prepare(`UPDATE sessions SET progress_pct = ?, line_count = ?, warning_count = ?, error_count = ?,
        last_line = ?, live_total_ms = COALESCE(?, live_total_ms), live_confidence = COALESCE(?, live_confidence),
        live_rss_bytes = COALESCE(?, live_rss_bytes), live_cpu_pct = COALESCE(?, live_cpu_pct), live_compilers = COALESCE(?, live_compilers),
        peak_rss_bytes = COALESCE(?, peak_rss_bytes), updated_ms = ? WHERE id = ?`)
      .run(p.progressPct, p.lineCount, p.warningCount, p.errorCount, truncate(p.lastLine),
        p.liveTotalMs ?? null, p.liveConfidence ?? null,
        p.liveResources?.rssBytes ?? null, p.liveResources?.cpuPct ?? null, p.liveResources?.compilers ?? null, p.liveResources?.peakRssBytes ?? null, nowMs, id);
  }

  /** Records the end once; a session that already ended keeps its first ending. Returns whether it changed. */
  finish(id: string, end: SessionEnd, progress: SessionProgress | null, nowMs: number): boolean {
    const tx = this.db.transaction((): boolean => {
      const changed = this.db.prepare(`UPDATE sessions SET status = ?, ended_ms = ?, exit_code = ?, signal = ?,
          message = COALESCE(?, message), build_cpu_ms = ?, runner_cpu_ms = ?, updated_ms = ?
          WHERE id = ? AND status IN ('starting','running')`)
        .run(end.status, end.endedMs, end.exitCode, end.signal, end.message, end.buildCpuMs ?? null,
          end.runnerCpuMs ?? null, nowMs, id).changes > 0;
      if (changed && progress) this.updateProgress(id, progress, nowMs);
      return changed;
    });
    return tx.immediate();
  }

  /**
   * Records a cancel request and returns the session's status as it stands after it. A runner
   * reads the request right after it marks itself running, so a session still `starting` will see
   * it, and one already `running` is listening for signals.
   */
  requestCancel(id: string, nowMs: number): SessionStatus | null {
    const tx = this.db.transaction((): SessionStatus | null => {
      this.db.prepare(`UPDATE sessions SET cancel_requested = 1, message = 'cancel requested', updated_ms = ?
          WHERE id = ? AND status IN ('starting','running')`).run(nowMs, id);
      const row = this.db.prepare('SELECT status FROM sessions WHERE id = ?').get(id) as { status: SessionStatus } | undefined;
      return row?.status ?? null;
    });
    return tx.immediate();
  }

  isCancelRequested(id: string): boolean {
    const row = this.db.prepare('SELECT cancel_requested FROM sessions WHERE id = ?').get(id) as { cancel_requested: number } | undefined;
    return row?.cancel_requested === 1;
  }

  setMessage(id: string, message: string, nowMs: number): void {
    this.db.prepare('UPDATE sessions SET message = ?, updated_ms = ? WHERE id = ?').run(message, nowMs, id);
  }

  /** An imported session with the same identity (cwd, start, command), if any. */
  findImported(cwd: string, startedMs: number, command: string[]): SessionRecord | null {
    const row = this.db
      .prepare("SELECT * FROM sessions WHERE source = 'import' AND cwd = ? AND started_ms = ? AND command = ?")
      .get(cwd, startedMs, JSON.stringify(command)) as SessionRow | undefined;
    return row ? fromRow(row) : null;
  }

  /**
   * Finished builds of one project and key that ended at or before `beforeMs`, newest first.
   * Only builds that ran to completion (succeeded) describe how long the whole build takes.
   */
  history(projectDir: string, historyKey: string, beforeMs: number, limit = 20): HistoryEntry[] {
    const rows = this.db.prepare(`SELECT id, history_key, jobs, started_ms, ended_ms, status FROM sessions
        WHERE project_dir = ? AND history_key = ? AND status = 'succeeded' AND ended_ms IS NOT NULL AND ended_ms <= ?
        ORDER BY ended_ms DESC LIMIT ?`)
      .all(projectDir, historyKey, beforeMs, limit) as Array<{ id: string; history_key: string; jobs: number | null; started_ms: number; ended_ms: number; status: SessionStatus }>;
    return rows.map((r) => ({
      sessionId: r.id, historyKey: r.history_key, jobs: r.jobs, durationMs: r.ended_ms - r.started_ms,
      endedMs: r.ended_ms, status: r.status,
    }));
  }

  summarizeKeys(historyKey?: string): HistoryKeySummary[] {
    const where = historyKey === undefined ? '' : 'WHERE history_key = ?';
    const args = historyKey === undefined ? [] : [historyKey];
    const rows = this.db.prepare(`SELECT project_dir, history_key, MAX(target) AS target, MAX(jobs) AS jobs,
        COUNT(*) AS builds, SUM(status = 'succeeded') AS succeeded,
        AVG(CASE WHEN status = 'succeeded' THEN ended_ms - started_ms END) AS avg_ms,
        MAX(ended_ms) AS last_ended
        FROM sessions ${where} GROUP BY project_dir, history_key ORDER BY last_ended DESC`)
      .all(...args) as Array<{ project_dir: string; history_key: string; target: string; jobs: number | null; builds: number; succeeded: number; avg_ms: number | null; last_ended: number | null }>;
    const last = this.db.prepare(`SELECT ended_ms - started_ms AS d FROM sessions WHERE project_dir = ? AND history_key = ?
        AND ended_ms IS NOT NULL ORDER BY ended_ms DESC LIMIT 1`);
    return rows.map((r) => ({
      projectDir: r.project_dir, historyKey: r.history_key, target: r.target, jobs: r.jobs, builds: r.builds,
      succeeded: r.succeeded, avgDurationMs: r.avg_ms === null ? null : Math.round(r.avg_ms),
      lastDurationMs: (last.get(r.project_dir, r.history_key) as { d: number } | undefined)?.d ?? null,
      lastEndedMs: r.last_ended,
    }));
  }

  /** Builds of one key, newest first, for `buildmon history KEY`. */
  sessionsForKey(historyKey: string, limit = 50): SessionRecord[] {
    const rows = this.db.prepare('SELECT * FROM sessions WHERE history_key = ? ORDER BY started_ms DESC LIMIT ?')
      .all(historyKey, limit) as SessionRow[];
    return rows.map(fromRow);
  }
}

function truncate(text: string | null): string | null {
  if (text === null || text.length <= LAST_LINE_MAX_CHARS) return text;
  return text.slice(0, LAST_LINE_MAX_CHARS) + '…';
}
