import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { formatDuration } from '../core/format.js';
import { formatBytes } from '../core/predict/format-bytes.js';
import { jobAdviceFor, type JobAdviceReport } from '../run/job-advice-report.js';
import type { McpContext } from './mcp-context.js';
import { checkInsideRoots } from './safety.js';
import { guarded, toolAnswer, toolRefusal } from './tool-result.js';

const CANDIDATE = z.object({
  jobs: z.number().nullable(), predicted_ms: z.number().nullable(), peak_memory_bytes: z.number().nullable(), fits_memory: z.boolean().nullable(),
  parallel_efficiency: z.number().nullable(), avg_cpu_pct: z.number().nullable(), basis: z.string(), confidence: z.number(), optimal: z.boolean(),
});

const OUTPUT = {
  project_dir: z.string(),
  target: z.string(),
  build_history_key: z.string(),
  eta: z.string().nullable(),
  eta_ms: z.number().nullable(),
  confidence: z.number(),
  parallel_efficiency: z.number().nullable(),
  optimal_job_count: z.number().nullable(),
  resource_prediction: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  recommendations: z.array(z.string()),
  predicted_total_ms: z.number().nullable(),
  basis: z.string(),
  candidates: z.array(CANDIDATE),
  builds: z.number(),
  scaling: z.string().nullable(),
};

/** build_optimal_jobs: which -j to use for a target here, from its recorded builds and this machine's memory. */
export function registerBuildOptimalJobs(server: McpServer, ctx: McpContext): void {
  server.registerTool('build_optimal_jobs', {
    title: 'Best job count',
    description: 'Which -j to use for a target in cwd: time, peak memory, efficiency per -j; the best; advice.',
    inputSchema: {
      cwd: z.string().describe('Project build or source directory, inside the roots'),
      target: z.string().optional().describe('Default: the latest build\'s'),
      jobs: z.number().int().min(1).max(1024).optional().describe('The -j to compare (default: the latest build\'s)'),
    },
    outputSchema: OUTPUT,
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, ({ cwd, target, jobs }) => guarded(async () => {
    const dir = path.resolve(ctx.cwd, cwd);
    const outside = checkInsideRoots(dir, await ctx.roots(), 'directory');
    if (outside) return toolRefusal(outside);
    if (!isDirectory(dir)) return toolRefusal(`${dir} is not a directory`);
    const { report } = jobAdviceFor(ctx.store, dir, { target, jobs }, ctx.now());
    return toolAnswer({ ...report }, render(report));
  }));
}

function render(r: JobAdviceReport): string {
  const rows = r.candidates.filter((c) => c.predicted_ms !== null).map((c) =>
    `${c.optimal ? '*' : ' '}-j${c.jobs}: ${formatDuration(c.predicted_ms as number, true)}${c.peak_memory_bytes === null ? '' : `, ${formatBytes(c.peak_memory_bytes)}${c.fits_memory === false ? ' (too much)' : ''}`}${c.parallel_efficiency === null ? '' : `, ${Math.round(c.parallel_efficiency)}% efficient`} (${c.basis})`);
  return [`${r.target} in ${r.project_dir}: best -j${r.optimal_job_count ?? '?'}`, ...rows, ...r.recommendations].join('\n');
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
