import { z } from 'zod';
import { formatDuration, formatEta, plural } from '../core/format.js';
import type { PackageState } from '../core/packages/package-state.js';
import { estimateTotalMs } from '../core/predict/prior.js';
import { joinShellWords } from '../core/shell-words.js';
import { cutText } from './answer-bounds.js';
import type { SessionRecord } from '../store/session-types.js';
import type { Store } from '../store/store.js';
import { adviseJobs } from '../core/predict/job-advice.js';
import { predictionContext, sessionPredictionContext } from '../run/prediction-context.js';

/** A package building now, as status answers show it. */
export interface ActivePackage {
  name: string;
  status: string;
  files_done: number;
  files_total: number | null;
  current_files: string[];
}

/** A session's state as build_status, build_wait and the status resource give it. Times in ms. */
export interface SessionStatusView {
  session_id: string;
  status: SessionRecord['status'];
  build_history_key: string;
  command: string;
  project_dir: string;
  /** Wall time so far (or in all, once ended), e.g. `1m 05s`. */
  elapsed: string;
  elapsed_ms: number;
  /** 0-100 as the tool reports it; null when unknown. */
  progress_pct: number | null;
  /** `remaining@HH:MM` (local clock) while running and an estimate exists; null otherwise. */
  eta: string | null;
  /** The prior from this key's history, when there is one. */
  predicted_ms: number | null;
  error_count: number;
  warning_count: number;
  active_packages: ActivePackage[];
  exit_code: number | null;
  message: string | null;
  last_line: string | null;
  /** Resource use now, `cpu%/rss` as `85%/1.5g` (CPU as a share of the whole machine); null when not sampled or ended. */
  res: string | null;
  /** Largest total RSS of the build's process tree so far; its mean CPU (percent of the whole machine) once it ended. Null when not sampled. */
  peak_rss_bytes: number | null;
  avg_cpu_pct: number | null;
  /** Job-count advice for this target from the builds before this one, warnings first. */
  recommendations: string[];
}

/** The zod shape of {@link SessionStatusView}, for output schemas. */
export const SESSION_STATUS_SHAPE = {
  session_id: z.string(),
  status: z.enum(['starting', 'running', 'succeeded', 'failed', 'cancelled', 'lost']),
  build_history_key: z.string(),
  command: z.string(),
  project_dir: z.string(),
  elapsed: z.string(),
  elapsed_ms: z.number(),
  progress_pct: z.number().nullable(),
  eta: z.string().nullable(),
  predicted_ms: z.number().nullable(),
  error_count: z.number(),
  warning_count: z.number(),
  active_packages: z.array(z.object({
    name: z.string(), status: z.string(), files_done: z.number(), files_total: z.number().nullable(), current_files: z.array(z.string()),
  })),
  exit_code: z.number().nullable(),
  message: z.string().nullable(),
  res: z.string().nullable().describe('Now: CPU share of the machine/RSS'),
  peak_rss_bytes: z.number().nullable(),
  avg_cpu_pct: z.number().nullable().describe('Mean CPU once ended, % of the machine'),
  recommendations: z.array(z.string()),
  last_line: z.string().nullable(),
};

const LAST_LINE_CHARS = 200;
/** A command or message longer than this (thousands of targets) is cut in answers. */
export const COMMAND_CHARS = 500;

/** True while a session's build may still change. */
export function isActive(s: SessionRecord): boolean {
  return s.status === 'starting' || s.status === 'running';
}

/**
 * Remaining time as `45s@14:28`: the runner's live estimate (what is left, scheduled onto the job
 * slots), written with the live counters; before its first one, the blend of elapsed time, the
 * tool's progress and the prior (see `estimateTotalMs`). Null once ended or with neither.
 */
export function etaOf(s: SessionRecord, nowMs: number): string | null {
  if (!isActive(s)) return null;
  const elapsedMs = Math.max(0, nowMs - s.startedMs);
  const total = s.liveTotalMs ?? estimateTotalMs(elapsedMs, s.progressPct === null ? null : s.progressPct / 100, s.predictedMs);
  return total === null ? null : formatEta(Math.max(0, total - elapsedMs), nowMs);
}

/** The packages compiling or linking now, from the live package state the runner writes. */
export function activePackages(packages: readonly PackageState[]): ActivePackage[] {
  return packages.filter((p) => p.status === 'compiling' || p.status === 'linking').map((p) => ({
    name: p.name, status: p.status, files_done: p.files_done, files_total: p.files_total, current_files: p.current_files,
  }));
}

/** Everything build_status says about a session, read from the store. */
export function sessionStatus(store: Store, s: SessionRecord, nowMs: number): SessionStatusView {
  const elapsedMs = Math.max(0, (s.endedMs ?? nowMs) - s.startedMs);
  const last = s.lastLine === null ? null : s.lastLine.length > LAST_LINE_CHARS ? s.lastLine.slice(0, LAST_LINE_CHARS) + '…' : s.lastLine;
  return {
    session_id: s.id, status: s.status, build_history_key: s.historyKey, command: cutText(joinShellWords(s.command), COMMAND_CHARS), project_dir: s.projectDir,
    elapsed: formatDuration(elapsedMs, true), elapsed_ms: elapsedMs, progress_pct: s.progressPct, eta: etaOf(s, nowMs),
    predicted_ms: s.predictedMs, error_count: s.errorCount, warning_count: s.warningCount,
    active_packages: isActive(s) ? activePackages(store.details.packages(s.id)) : [],
    exit_code: s.exitCode, message: s.message === null ? null : cutText(s.message, COMMAND_CHARS), last_line: last,
    res: isActive(s) ? resOf(s) : null, ...peaksOf(store, s), recommendations: recommendationsFor(store, s),
  };
}

/** `85%/1.5g`: the sampler's latest CPU reading as a share of the whole machine, and the tree's total RSS. */
export function resOf(s: SessionRecord): string | null {
  const r = s.liveResources;
  if (!r) return null;
  const cpu = r.cpuPct === null ? '?' : `${Math.round(r.cpuPct / Math.max(1, s.cores))}%`;
  return `${cpu}/${shortBytes(r.rssBytes)}`;
}

function shortBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)}g`;
  return `${Math.round(bytes / 1024 ** 2)}m`;
}

function peaksOf(store: Store, s: SessionRecord): { peak_rss_bytes: number | null; avg_cpu_pct: number | null } {
  // While it runs, the peak so far (the runner writes it with each reading); the mean once ended.
  if (isActive(s)) return { peak_rss_bytes: s.liveResources?.peakRssBytes ?? null, avg_cpu_pct: null };
  const p = store.resources.totals(s.id);
  // A share of the whole machine, as res and build_optimal_jobs give CPU.
  const machinePct = p?.avgCpuPct == null ? null : Math.round((p.avgCpuPct / Math.max(1, s.cores)) * 10) / 10;
  return { peak_rss_bytes: p?.peakRssBytes ?? null, avg_cpu_pct: machinePct };
}

/**
 * Advice per session: while it runs, from the builds before it; once it ended, from those up to and
 * including it (so a first build's end no longer says there is no finished build). Either never
 * changes, so it is kept for the recent sessions.
 */
const adviceCache = new Map<string, string[]>();
const ADVICE_CACHE_SIZE = 64;

function recommendationsFor(store: Store, s: SessionRecord): string[] {
  const ended = s.endedMs !== null;
  const key = `${s.id}:${ended ? 'ended' : 'active'}`;
  let list = adviceCache.get(key);
  if (list === undefined) {
    const ctx = ended
      ? predictionContext(store, { projectDir: s.projectDir, target: s.target, jobs: s.jobs, beforeMs: s.endedMs! + 1, expectations: false })
      : sessionPredictionContext(store, s, undefined, false);
    list = adviseJobs(ctx.history, { target: s.target, requestedJobs: s.jobs, machine: ctx.machine }).recommendations;
    if (adviceCache.size >= ADVICE_CACHE_SIZE) adviceCache.delete(adviceCache.keys().next().value as string);
    adviceCache.set(key, list);
  }
  return [...list];
}

/** One line per fact, errors first: `3 errors (see build_errors)`, then state, then what is building. */
export function renderStatus(v: SessionStatusView): string {
  const out: string[] = [];
  if (v.error_count > 0) out.push(`${plural(v.error_count, 'error')} (see build_errors)`);
  const pct = v.progress_pct === null ? '' : ` ${v.progress_pct}%`;
  const eta = v.eta === null ? '' : ` eta ${v.eta}`;
  const res = v.res === null ? '' : ` res ${v.res}`;
  const exit = v.exit_code === null ? '' : ` exit ${v.exit_code}`;
  out.push(`${v.session_id} ${v.status}${exit} ${v.elapsed}${pct}${eta}${res} · ${v.build_history_key} · ${plural(v.warning_count, 'warning')}`);
  for (const p of v.active_packages.slice(0, 8)) {
    const files = p.files_total === null ? `${p.files_done} files` : `${p.files_done}/${p.files_total}`;
    out.push(`  ${p.status} ${p.name} ${files}${p.current_files.length > 0 ? ` (${p.current_files.join(', ')})` : ''}`);
  }
  if (v.message && v.status !== 'running') out.push(`note: ${v.message}`);
  for (const r of v.recommendations.filter((x) => x.startsWith('Warning: '))) out.push(r);
  return out.join('\n');
}
