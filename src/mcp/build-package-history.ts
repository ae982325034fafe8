import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { formatDuration } from '../core/format.js';
import { packageHistory, type PackageHistorySummary } from '../core/history/package-history.js';
import type { McpContext } from './mcp-context.js';
import { guarded, toolAnswer } from './tool-result.js';

/** Builds per project a package's history is read from, newest first. */
const PACKAGE_BUILDS = 100;

const HISTORY = z.object({
  project_dir: z.string(),
  key: z.string(),
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

/** build_package_history: how long one package takes at a job count, and which of its files dominate. */
export function registerBuildPackageHistory(server: McpServer, ctx: McpContext): void {
  server.registerTool('build_package_history', {
    title: 'Package history',
    description: 'A package at a -j (<package>_j<jobs>) per project: busy time, confidence, samples, typical and bottleneck files, trend.',
    inputSchema: {
      package_name: z.string().min(1).describe('CMake target or directory, e.g. package_sockets'),
      job_count: z.number().int().min(1).optional().describe('Default: builds without a job count'),
    },
    outputSchema: { package: z.string(), job_count: z.number().nullable(), histories: z.array(HISTORY) },
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, ({ package_name, job_count }) => guarded(() => {
    const jobs = job_count ?? null;
    const histories = ctx.store.past.projectsWithPackage(package_name).flatMap((projectDir) => {
      const summary = packageHistory(ctx.store.past.load(projectDir, { includeFailed: true, limit: PACKAGE_BUILDS }), package_name, jobs);
      return summary === null ? [] : [historyRow(projectDir, summary)];
    });
    const answer = { package: package_name, job_count: jobs, histories };
    return toolAnswer(answer, render(answer));
  }));
}

function historyRow(projectDir: string, s: PackageHistorySummary): z.infer<typeof HISTORY> {
  return {
    project_dir: projectDir, key: s.key, based_on: s.based_on, avg_duration: formatDuration(s.avg_duration_ms, true), avg_duration_ms: s.avg_duration_ms,
    confidence: s.confidence, sample_count: s.samples, typical_files: s.typical_files, bottleneck_files: s.bottleneck_files, trend: s.trend,
    peak_rss_bytes: s.peak_rss_bytes, cpu_ms: s.cpu_ms,
  };
}

function render(a: { package: string; job_count: number | null; histories: z.infer<typeof HISTORY>[] }): string {
  const at = a.job_count === null ? 'without a job count' : `at -j${a.job_count}`;
  if (a.histories.length === 0) return `no completed, timed build of ${a.package} ${at} (build_history lists what was built)`;
  return a.histories.map((h) => {
    const basis = h.based_on === 'legacy' ? ` (no build ${at}: from builds without a job count)` : '';
    const slow = h.bottleneck_files.map((f) => `${f.source} ${f.share_pct}%`).join(', ');
    return `${h.key} · ${h.avg_duration} busy · ${h.sample_count} builds, confidence ${h.confidence} · ${h.typical_files} files · ${h.trend.direction}${slow ? ` · slowest: ${slow}` : ''}${basis} · ${h.project_dir}`;
  }).join('\n');
}
