import { formatDuration } from '../../core/format.js';
import { formatBytes } from '../../core/predict/format-bytes.js';
import { fileHistory, packageHistory, type FileHistorySummary, type PackageHistorySummary } from '../../core/history/package-history.js';
import { packageHistoryKey, splitHistoryKey } from '../../core/predict/past-build.js';
import type { PastBuildStore } from '../../store/past-build-store.js';
import type { CliCommand, CliContext } from '../command.js';
import { parseOptions } from '../options.js';
import { sessionJson } from './sessions.js';

const USAGE = `Usage: buildmon history [KEY] [--json]

Without KEY: one line per project and history key (<target>_j<jobs>): builds, successes, average
and last duration, peak memory and average CPU where sampled. With KEY: that key's builds. When KEY
names a package with a job count (package_sockets_j4), or a package alone (its builds without a
job count), also that package's history: average busy time, confidence, typical files, the files
that dominate it, trend and resources. Keys without a job count (e.g. 'all') are older records whose
job count is unknown.`;

/** Builds per project read for a package's history, newest first. */
const PACKAGE_BUILDS = 100;

/** A package's history in one project. */
interface ProjectPackageHistory { projectDir: string; summary: PackageHistorySummary | null; files: FileHistorySummary[] }

export const historyCommand: CliCommand = {
  name: 'history',
  usage: USAGE,
  async run(args: string[], ctx: CliContext): Promise<number> {
    const { values, positionals } = parseOptions('history', args, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) return void ctx.stdout.write(USAGE + '\n'), 0;
    const store = ctx.store();
    const past = store.past;
    const key = positionals[0];
    if (key !== undefined) {
      const list = store.sessions.sessionsForKey(key);
      const pkg = packageOfKey(past, key);
      const histories = pkg === null ? [] : past.projectsWithPackage(pkg.name).map((projectDir): ProjectPackageHistory => {
        const builds = past.load(projectDir, { includeFailed: true, limit: PACKAGE_BUILDS });
        return {
          projectDir, summary: packageHistory(builds, pkg.name, pkg.jobs),
          files: fileHistory(builds, pkg.jobs).filter((f) => f.package === pkg.name),
        };
      });
      if (values.json) {
        const out: Record<string, unknown> = { history_key: key, builds: list.map(sessionJson) };
        if (pkg !== null) {
          out.package = pkg.name;
          out.package_history = histories.filter((h) => h.summary !== null).map((h) => ({ project_dir: h.projectDir, ...h.summary, files: h.files }));
        }
        return void ctx.stdout.write(JSON.stringify(out) + '\n'), 0;
      }
      if (list.length === 0 && pkg === null) return void ctx.stdout.write(`no builds recorded for key '${key}' (see: buildmon history)\n`), 1;
      for (const s of list) {
        const d = s.endedMs === null ? 'running' : formatDuration(s.endedMs - s.startedMs, true);
        ctx.stdout.write(`${s.id.padEnd(9)} ${s.status.padEnd(10)} ${d.padStart(8)}  ${new Date(s.startedMs).toISOString().slice(0, 19)}  ${s.projectDir}\n`);
      }
      if (pkg === null) return 0;
      if (list.length > 0) ctx.stdout.write('\n');
      for (const h of histories) ctx.stdout.write(renderPackageHistory(h, pkg.name, pkg.jobs));
      return histories.some((h) => h.summary !== null) || list.length > 0 ? 0 : 1;
    }
    const rows = store.sessions.summarizeKeys();
    const resourceOf = (r: { projectDir: string; historyKey: string }): ReturnType<typeof store.resources.keySummary> => store.resources.keySummary(r.projectDir, r.historyKey);
    if (values.json) {
      ctx.stdout.write(JSON.stringify(rows.map((r) => ({
        project_dir: r.projectDir, history_key: r.historyKey, target: r.target, jobs: r.jobs, job_count_known: r.historyKey !== r.target,
        builds: r.builds, succeeded: r.succeeded, avg_duration_ms: r.avgDurationMs, last_duration_ms: r.lastDurationMs, last_ended_ms: r.lastEndedMs,
        ...resourceJson(resourceOf(r)),
      }))) + '\n');
      return 0;
    }
    if (rows.length === 0) return void ctx.stdout.write('no history yet: try buildmon run -- make, or buildmon import LOG\n'), 0;
    ctx.stdout.write(`${'KEY'.padEnd(24)} ${'BUILDS'.padStart(6)} ${'OK'.padStart(4)} ${'AVG'.padStart(8)} ${'LAST'.padStart(8)} ${'PEAK MEM'.padStart(8)} ${'CPU'.padStart(6)}  PROJECT\n`);
    for (const r of rows) {
      const key = r.historyKey === r.target ? `${r.historyKey} (jobs ?)` : r.historyKey;
      const res = resourceOf(r);
      const peak = res.peakRssBytes === null ? '-' : formatBytes(res.peakRssBytes);
      const cpu = res.avgCpuPct === null ? '-' : `${Math.round(res.avgCpuPct)}%`;
      ctx.stdout.write(`${key.padEnd(24)} ${String(r.builds).padStart(6)} ${String(r.succeeded).padStart(4)} ${(r.avgDurationMs === null ? '-' : formatDuration(r.avgDurationMs, true)).padStart(8)} ${(r.lastDurationMs === null ? '-' : formatDuration(r.lastDurationMs, true)).padStart(8)} ${peak.padStart(8)} ${cpu.padStart(6)}  ${r.projectDir}\n`);
    }
    return 0;
  },
};

/**
 * The package a key names, if a package of that name has run: `package_sockets_j4` is
 * package_sockets at -j4, `package_sockets` (or `_junlimited`) the package with no job count.
 */
function packageOfKey(past: PastBuildStore, key: string): { name: string; jobs: number | null } | null {
  const split = splitHistoryKey(key);
  if (split !== null && past.projectsWithPackage(split.target).length > 0) return { name: split.target, jobs: split.jobs };
  return past.projectsWithPackage(key).length > 0 ? { name: key, jobs: null } : null;
}

/** A key's sampled resource use as scripts see it: the worst peak, the mean CPU (percent of one core), and how many samples. */
function resourceJson(r: { peakRssBytes: number | null; avgCpuPct: number | null; samples: number }): Record<string, unknown> {
  return { peak_memory_bytes: r.peakRssBytes, avg_cpu_pct: r.avgCpuPct === null ? null : Math.round(r.avgCpuPct * 10) / 10, resource_samples: r.samples };
}

function renderPackageHistory(h: ProjectPackageHistory, pkg: string, jobs: number | null): string {
  const at = jobs === null ? 'without a job count' : `at -j${jobs}`;
  const s = h.summary;
  if (s === null) return `${packageHistoryKey(pkg, jobs)} in ${h.projectDir}: no completed, timed run of ${pkg} ${at}${jobs === null ? '' : ' and none without a job count'}\n`;
  const basis = s.based_on === 'same-jobs' ? `${s.samples} build${s.samples === 1 ? '' : 's'} ${at}` : `${s.samples} build${s.samples === 1 ? '' : 's'} without a job count (none ${at})`;
  const trend = s.trend.direction === 'steady' ? 'steady' : `${s.trend.direction} (${s.trend.change_pct > 0 ? '+' : ''}${s.trend.change_pct.toFixed(1)}%)`;
  const lines = [
    `${s.key} in ${h.projectDir}: ${basis}, confidence ${s.confidence.toFixed(2)}`,
    `  average ${formatDuration(s.avg_duration_ms, true)} busy · ${s.typical_files} file${s.typical_files === 1 ? '' : 's'} typical · ${trend}`,
  ];
  if (s.peak_rss_bytes !== null || s.cpu_ms !== null) {
    const parts = [];
    if (s.peak_rss_bytes !== null) parts.push(`peak ${formatBytes(s.peak_rss_bytes)} per process`);
    if (s.cpu_ms !== null) parts.push(`CPU ${formatDuration(s.cpu_ms, true)}`);
    lines.push(`  resources ${parts.join(' · ')}`);
  }
  if (s.bottleneck_files.length > 0) {
    lines.push('  slowest files:');
    const width = Math.max(...s.bottleneck_files.map((f) => f.source.length));
    for (const f of s.bottleneck_files) lines.push(`    ${f.source.padEnd(width)} ${formatDuration(f.avg_ms, true).padStart(7)} ${f.share_pct.toFixed(1).padStart(5)}%`);
  }
  return lines.join('\n') + '\n';
}
