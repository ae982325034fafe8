import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { formatDuration, plural } from '../core/format.js';
import { packageHistory, type PackageHistorySummary } from '../core/history/package-history.js';
import type { PastBuild } from '../core/predict/past-build.js';
import { toolSchema } from './answer-bounds.js';
import type { McpContext } from './mcp-context.js';
import { guarded, toolAnswer } from './tool-result.js';

/** Builds per project a package's history is read from, newest first. */
const PACKAGE_BUILDS = 100;

const HISTORY = z.object({
  project_dir: z.string(),
  key: z.string(),
  jobs: z.number().nullable(),
  based_on: z.enum(['same-jobs', 'legacy']),
  avg_duration: z.string(),
  avg_duration_ms: z.number(),
  confidence: z.number(),
  sample_count: z.number(),
  typical_files: z.number(),
  bottleneck_files: z.array(z.object({ source: z.string(), avg_ms: z.number(), share_pct: z.number() })),
  trend: z.object({ direction: z.enum(['faster', 'slower', 'steady']), change_pct: z.number() }),
  peak_rss_bytes: z.number().nullable(),
  cpu_ms: z.number().nullable(),
});

const OUTPUT = toolSchema({
  package: z.string(),
  job_count: z.number().nullable(),
  histories: z.array(HISTORY),
  job_counts: z.array(z.number().nullable()).describe('-j it ran at (null: unlimited)'),
  projects_omitted: z.number().optional().describe('Projects left out (older)'),
});

/** Projects read at most, the most recently built first. */
const MAX_PROJECTS = 10;

/** What build_package_history answers. */
type PackageHistoryAnswer = z.infer<typeof OUTPUT>;

/** build_package_history: how long one package takes at a job count, and which of its files dominate. */
export function registerBuildPackageHistory(server: McpServer, ctx: McpContext): void {
  server.registerTool('build_package_history', {
    title: 'Package history',
    description: 'A package at a -j (<package>_j<jobs>) per project: busy time, confidence, samples, typical and slowest files, trend.',
    inputSchema: toolSchema({
      package_name: z.string().min(1).describe('CMake target or make directory'),
      job_count: z.number().int().min(1).max(4096).optional().describe('Default: each project\'s latest'),
    }),
    outputSchema: OUTPUT,
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, ({ package_name, job_count }) => guarded(() => {
    const dirs = ctx.store.past.projectsWithPackage(package_name);
    const projects = dirs.slice(0, MAX_PROJECTS).map((projectDir) => ({
      projectDir, builds: ctx.store.past.load(projectDir, { includeFailed: true, limit: PACKAGE_BUILDS }),
    }));
    const answer: PackageHistoryAnswer = {
      ...packageHistoryAnswer(package_name, job_count ?? null, projects),
      ...(dirs.length > MAX_PROJECTS ? { projects_omitted: dirs.length - MAX_PROJECTS } : {}),
    };
    return toolAnswer(answer, renderPackageHistory(answer));
  }));
}

/**
 * One row per project with a timed run of the package: at `jobCount`, or when null at the job count
 * of the project's newest build that completed it (`jobs` says which). `job_counts` lists the job
 * counts the package completed at anywhere, so an empty answer says what to ask for instead.
 */
function packageHistoryAnswer(pkg: string, jobCount: number | null, projects: readonly { projectDir: string; builds: readonly PastBuild[] }[]): PackageHistoryAnswer {
  const seen = new Set<number | null>();
  const histories: z.infer<typeof HISTORY>[] = [];
  for (const { projectDir, builds } of projects) {
    const ran = builds.filter((b) => !b.legacy && b.packages.some((p) => p.name === pkg && p.status === 'completed'));
    for (const b of ran) seen.add(b.jobs);
    const jobs = jobCount ?? newest(ran)?.jobs ?? null;
    const summary = packageHistory(builds, pkg, jobs);
    if (summary !== null) histories.push(historyRow(projectDir, summary));
  }
  const jobCounts = [...seen].sort((a, b) => (a ?? Infinity) - (b ?? Infinity));
  return { package: pkg, job_count: jobCount, histories, job_counts: jobCounts };
}

function newest(builds: readonly PastBuild[]): PastBuild | undefined {
  return builds.reduce<PastBuild | undefined>((best, b) => (best === undefined || b.startedMs > best.startedMs ? b : best), undefined);
}

function historyRow(projectDir: string, s: PackageHistorySummary): z.infer<typeof HISTORY> {
  return {
    project_dir: projectDir, key: s.key, jobs: s.jobs, based_on: s.based_on, avg_duration: formatDuration(s.avg_duration_ms, true),
    avg_duration_ms: s.avg_duration_ms, confidence: s.confidence, sample_count: s.samples, typical_files: s.typical_files,
    bottleneck_files: s.bottleneck_files.map((f) => ({ source: f.source, avg_ms: f.avg_ms, share_pct: f.share_pct })),
    trend: { direction: s.trend.direction, change_pct: s.trend.change_pct }, peak_rss_bytes: s.peak_rss_bytes, cpu_ms: s.cpu_ms,
  };
}

function jobsText(jobs: number | null): string {
  return jobs === null ? 'unlimited -j' : `-j${jobs}`;
}

/** One line per project; an empty answer names the job counts there are. */
function renderPackageHistory(a: PackageHistoryAnswer): string {
  const at = a.job_count === null ? 'at the -j of the latest build that completed it' : `at -j${a.job_count}`;
  if (a.histories.length === 0) {
    const known = a.job_counts.length === 0 ? 'no recorded build completed it (build_history lists what was built)'
      : `it completed at ${a.job_counts.map(jobsText).join(', ')}: pass job_count`;
    return `no completed, timed build of ${a.package} ${at}; ${known}`;
  }
  return a.histories.map((h) => {
    const which = a.job_count === null && h.based_on === 'same-jobs' ? ` (${jobsText(h.jobs)}, the latest build that completed it)` : '';
    const basis = h.based_on === 'legacy' ? ' (from builds without a job count)' : '';
    const slow = h.bottleneck_files.map((f) => `${f.source} ${f.share_pct}%`).join(', ');
    return `${h.key}${which} · ${h.avg_duration} busy · ${plural(h.sample_count, 'build')}, confidence ${h.confidence} · ${h.typical_files} files · ${h.trend.direction}${slow ? ` · slowest: ${slow}` : ''}${basis} · ${h.project_dir}`;
  }).join('\n');
}
