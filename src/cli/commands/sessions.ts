import fs from 'node:fs';
import { formatDuration } from '../../core/format.js';
import { formatBytes } from '../../core/predict/format-bytes.js';
import { BuildmonError } from '../../store/errors.js';
import type { SessionRecord } from '../../store/session-types.js';
import type { DiagnosticRecord } from '../../store/build-detail-store.js';
import type { PackageState } from '../../core/packages/package-state.js';
import { requestCancel, resolveSession, waitForEnd } from '../../run/session-manager.js';
import { sessionForecast, sessionPredictionContext } from '../../run/prediction-context.js';
import { joinShellWords } from '../../core/shell-words.js';
import type { CliCommand, CliContext } from '../command.js';
import { parseOptions, positiveInt } from '../options.js';

/** A session as scripts see it (`--json`): snake_case, times in epoch ms. */
export function sessionJson(s: SessionRecord): Record<string, unknown> {
  return {
    id: s.id, status: s.status, history_key: s.historyKey, target: s.target, targets: s.targets, jobs: s.jobs,
    tool: s.tool, command: s.command, cwd: s.cwd, project_dir: s.projectDir, started_ms: s.startedMs,
    ended_ms: s.endedMs, duration_ms: s.endedMs === null ? null : s.endedMs - s.startedMs, exit_code: s.exitCode,
    signal: s.signal, predicted_ms: s.predictedMs, progress_pct: s.progressPct, line_count: s.lineCount,
    warning_count: s.warningCount, error_count: s.errorCount, last_line: s.lastLine, message: s.message,
    build_cpu_ms: s.buildCpuMs, runner_cpu_ms: s.runnerCpuMs, live_total_ms: s.liveTotalMs ?? null, source: s.source, log_path: s.logPath,
    hostname: s.hostname, cores: s.cores, mem_bytes: s.memBytes,
  };
}

/** What the sampler saw of a session's process tree, per build and per package; null when it was not sampled. */
function resourcesJson(store: ReturnType<CliContext['store']>, id: string): Record<string, unknown> | null {
  const r = store.resources.totals(id);
  if (r === null) return null;
  return {
    peak_rss_bytes: r.peakRssBytes, avg_cpu_pct: r.avgCpuPct, peak_procs: r.peakProcs, peak_compilers: r.peakCompilers,
    sample_count: r.sampleCount, sampler_cpu_ms: r.samplerCpuMs,
    packages: store.resources.packageSummary(id).map((p) => ({ package: p.package, peak_rss_bytes: p.peakRssBytes, cpu_ms: p.cpuMs, processes: p.runs })),
  };
}

function resourceLine(store: ReturnType<CliContext['store']>, id: string): string[] {
  const r = store.resources.totals(id);
  if (r === null) return [];
  const cpu = r.avgCpuPct === null ? '' : ` · cpu ${Math.round(r.avgCpuPct)}% of a core on average`;
  return [`resources peak ${formatBytes(r.peakRssBytes)}${cpu} · up to ${r.peakCompilers} compiling at once · ${r.sampleCount} samples`];
}

/** A stored diagnostic as scripts see it. */
export function diagnosticJson(d: DiagnosticRecord): Record<string, unknown> {
  return {
    severity: d.severity, tool: d.tool, file: d.file, line: d.line, column: d.column, message: d.message,
    package: d.package, category: d.category, text: d.text, at_ms: d.atMs,
  };
}

function packageLines(packages: readonly PackageState[]): string[] {
  if (packages.length === 0) return [];
  const counts = new Map<string, number>();
  for (const p of packages) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
  const summary = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
  const active = packages.filter((p) => p.status === 'compiling' || p.status === 'linking' || p.status === 'failed');
  return [
    `packages  ${packages.length}: ${summary}`,
    ...active.slice(0, 12).map((p) => `          ${p.name} ${p.status}${p.files_total !== null ? ` ${p.files_done}/${p.files_total}` : ` ${p.files_done} files`}${p.current_files.length > 0 ? ` (${p.current_files.join(', ')})` : ''}`),
  ];
}

function when(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

function row(s: SessionRecord, nowMs: number): string {
  const d = (s.endedMs ?? nowMs) - s.startedMs;
  const pct = s.status === 'running' && s.progressPct !== null ? ` ${s.progressPct.toFixed(0)}%` : '';
  return `${s.id.padEnd(9)} ${(s.status + pct).padEnd(11)} ${formatDuration(d).padStart(7)}  ${when(s.startedMs)}  ${s.historyKey.padEnd(22)} ${joinShellWords(s.command)}`;
}

const SESSIONS_USAGE = `Usage: buildmon sessions [--active] [--limit N] [--json]

Lists recorded builds, newest first.`;

export const sessionsCommand: CliCommand = {
  name: 'sessions',
  usage: SESSIONS_USAGE,
  async run(args: string[], ctx: CliContext): Promise<number> {
    const { values } = parseOptions('sessions', args, { active: { type: 'boolean' }, limit: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) return void ctx.stdout.write(SESSIONS_USAGE + '\n'), 0;
    const list = ctx.store().sessions.list({ activeOnly: values.active === true, limit: positiveInt('sessions', 'limit', values.limit as string | undefined) ?? 20 });
    if (values.json) ctx.stdout.write(JSON.stringify(list.map(sessionJson)) + '\n');
    else if (list.length === 0) ctx.stdout.write('no sessions yet: try buildmon run -- make\n');
    else ctx.stdout.write(`${'ID'.padEnd(9)} ${'STATUS'.padEnd(11)} ${'TIME'.padStart(7)}  ${'STARTED (UTC)'.padEnd(19)}  ${'KEY'.padEnd(22)} COMMAND\n${list.map((s) => row(s, Date.now())).join('\n')}\n`);
    return 0;
  },
};

const SHOW_USAGE = `Usage: buildmon show ID [--log] [--json]

Shows one session (ID or a unique prefix of it). --log prints its whole timestamped log.`;

export const showCommand: CliCommand = {
  name: 'show',
  usage: SHOW_USAGE,
  async run(args: string[], ctx: CliContext): Promise<number> {
    const { values, positionals } = parseOptions('show', args, { log: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) return void ctx.stdout.write(SHOW_USAGE + '\n'), 0;
    if (positionals.length !== 1) throw new BuildmonError('bad-usage', 'show: give exactly one session ID\nSee: buildmon show --help');
    const s = resolveSession(ctx.store(), positionals[0] as string);
    if (values.log) {
      try {
        ctx.stdout.write(fs.readFileSync(s.logPath));
      } catch (err) {
        throw new BuildmonError('no-log', `the log of ${s.id} is missing: ${s.logPath} (${(err as NodeJS.ErrnoException).code})`);
      }
      return 0;
    }
    const store = ctx.store();
    const packages = store.details.packages(s.id);
    const diagnostics = store.details.diagnostics(s.id);
    const forecast = sessionForecast(sessionPredictionContext(store, s, undefined, false), s, Date.now(), s.liveTotalMs ?? null);
    if (values.json) {
      const detail = { packages, diagnostics: diagnostics.map(diagnosticJson), forecast, resources: resourcesJson(store, s.id) };
      return void ctx.stdout.write(JSON.stringify({ ...sessionJson(s), ...detail }) + '\n'), 0;
    }
    const d = (s.endedMs ?? Date.now()) - s.startedMs;
    const lines = [
      `session   ${s.id} (${s.source})`,
      `status    ${s.status}${s.exitCode !== null ? ` (exit ${s.exitCode})` : ''}${s.signal ? ` signal ${s.signal}` : ''}`,
      `command   ${joinShellWords(s.command)}`,
      `cwd       ${s.cwd}`,
      `key       ${s.historyKey} (target ${s.target}, jobs ${s.jobs ?? 'unknown'}, ${s.tool})`,
      `started   ${when(s.startedMs)} UTC`,
      `duration  ${formatDuration(d, true)}${s.endedMs === null ? ' so far' : ''}${s.predictedMs !== null ? ` (predicted ${formatDuration(s.predictedMs, true)})` : ''}`,
      `output    ${s.lineCount} lines, ${s.warningCount} warnings, ${s.errorCount} errors${s.progressPct !== null ? `, progress ${s.progressPct}%` : ''}`,
      ...resourceLine(store, s.id),
      ...(s.endedMs === null && forecast.eta !== null ? [`eta       ${forecast.eta} (confidence ${forecast.confidence.toFixed(2)})`] : []),
      ...forecast.recommendations.map((r) => `advice    ${r}`),
      ...(s.message ? [`note      ${s.message}`] : []),
      `log       ${s.logPath}`,
      ...packageLines(packages),
      ...diagnostics.filter((d) => d.severity !== 'warning').slice(0, 10).map((d) => `error     ${d.file ?? d.tool}${d.line !== null ? `:${d.line}` : ''}${d.column !== null ? `:${d.column}` : ''}: ${d.message}${d.package ? ` [${d.package}]` : ''}`),
    ];
    ctx.stdout.write(lines.join('\n') + '\n');
    return 0;
  },
};

const CANCEL_USAGE = `Usage: buildmon cancel ID [--wait]

Stops a running build: TERM to its whole process tree, KILL after a grace period. The session is
recorded as cancelled. --wait returns only when it has stopped.`;

export const cancelCommand: CliCommand = {
  name: 'cancel',
  usage: CANCEL_USAGE,
  async run(args: string[], ctx: CliContext): Promise<number> {
    const { values, positionals } = parseOptions('cancel', args, { wait: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) return void ctx.stdout.write(CANCEL_USAGE + '\n'), 0;
    if (positionals.length !== 1) throw new BuildmonError('bad-usage', 'cancel: give exactly one session ID\nSee: buildmon cancel --help');
    const store = ctx.store();
    const s = resolveSession(store, positionals[0] as string);
    const outcome = requestCancel(store, s);
    if (outcome === 'already-ended') {
      ctx.stderr.write(`buildmon: ${s.id} already ended (${s.status}); nothing to cancel\n`);
      return 1;
    }
    if (outcome === 'lost') {
      ctx.stderr.write(`buildmon: ${s.id}'s runner was gone; recorded as lost and its processes stopped\n`);
      return 0;
    }
    ctx.stdout.write(`cancelling ${s.id}\n`);
    if (values.wait) {
      const end = await waitForEnd(store, s.id);
      ctx.stdout.write(`${s.id}: ${end?.status ?? 'gone'}\n`);
    }
    return 0;
  },
};
