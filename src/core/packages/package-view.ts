import type { PackageState } from './package-state.js';
import type { PackageRecord } from './package-record.js';
import { lastPart } from './printed-path.js';

/** What a package's view needs beyond its record. */
export interface PackageViewContext {
  /** Every package, to tell which dependencies it still waits for. */
  readonly pkgs: ReadonlyMap<string, PackageRecord>;
  /** Files per package learned from earlier builds, for a total the model does not give. */
  readonly historyFileCounts: ReadonlyMap<string, number> | undefined;
  /** When the build ended (ms since the epoch); null while it runs. */
  readonly exitedAtMs: number | null;
}

/**
 * A package as the CLI, replay and MCP tools show it at `atMs`: progress against the model's or history's
 * total (never below what is done or running, never 100 before it completes) and why it is queued.
 */
export function packageView(p: PackageRecord, atMs: number, ctx: PackageViewContext): PackageState {
  const done = p.done.size;
  const total = p.total === null ? ctx.historyFileCounts?.get(p.name) ?? null : p.total;
  const shownTotal = total === null ? null : Math.max(total, done + p.current.filter((r) => !r.link).length);
  let pct: number | null = null;
  if (p.status === 'completed') pct = 100;
  else if (shownTotal !== null && shownTotal > 0) pct = Math.min(99, Math.floor((done / shownTotal) * 100));
  else if (shownTotal === 0) pct = p.status === 'queued' ? 0 : null;
  const until = p.endedMs ?? (ctx.exitedAtMs ?? atMs);
  return {
    name: p.name,
    status: p.status,
    reason: p.status === 'queued' ? queuedReason(p, ctx) : p.reason,
    current_files: p.current.filter((r) => !r.link).map((r) => lastPart(r.file)),
    files_done: done,
    files_total: shownTotal,
    progress_pct: pct,
    elapsed_ms: p.startedMs === null ? null : Math.max(0, until - p.startedMs),
    started_ms: p.startedMs,
    ended_ms: p.endedMs,
    depends_on: [...p.dependsOn],
    // The engine adds what the diagnostics say.
    errors: 0,
    warnings: 0,
  };
}

function queuedReason(p: PackageRecord, ctx: PackageViewContext): string | null {
  if (p.reason !== null) return p.reason;
  const waiting = p.dependsOn.filter((d) => ctx.pkgs.get(d)?.status !== 'completed');
  if (waiting.length > 0) return `waiting for ${waiting.join(', ')}`;
  return ctx.exitedAtMs !== null ? null : 'waiting for a free job slot';
}
