import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { formatDuration } from '../core/format.js';
import { formatBytes } from '../core/predict/format-bytes.js';
import { jobAdviceFor, type JobAdviceReport } from '../run/job-advice-report.js';
import { toolSchema } from './answer-bounds.js';
import type { McpContext } from './mcp-context.js';
import { isDirectory, resolvePhysical } from '../run/resolve-command.js';
import { checkInsideRoots } from './safety.js';
import { guarded, toolAnswer, toolRefusal } from './tool-result.js';

const CANDIDATE = z.object({
  jobs: z.number().nullable(), predicted_ms: z.number().nullable(), peak_memory_bytes: z.number().nullable(), fits_memory: z.boolean().nullable(),
  parallel_efficiency: z.number().nullable(), avg_cpu_pct: z.number().nullable(), basis: z.string(), confidence: z.number(), optimal: z.boolean(),
});

const OUTPUT = toolSchema({
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
});

/** What build_optimal_jobs answers. */
type OptimalJobsAnswer = z.infer<typeof OUTPUT>;

/** build_optimal_jobs: which -j to use for a target here, from its recorded builds and this machine's memory. */
export function registerBuildOptimalJobs(server: McpServer, ctx: McpContext): void {
  server.registerTool('build_optimal_jobs', {
    title: 'Best job count',
    description: 'Which -j to use for a target in cwd: time, peak memory, efficiency per -j, the best, advice.',
    inputSchema: toolSchema({
      cwd: z.string().describe('Source or build dir, inside the roots'),
      target: z.string().optional().describe('Default: the latest build\'s'),
      jobs: z.number().int().min(1).max(1024).optional().describe('-j to compare (default: the latest build\'s)'),
    }),
    outputSchema: OUTPUT,
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, ({ cwd, target, jobs }, extra) => guarded(async () => {
    const dir = resolvePhysical(cwd, ctx.cwd);
    const outside = checkInsideRoots(dir, await ctx.roots(extra.requestId), 'directory');
    if (outside) return toolRefusal(outside);
    if (!isDirectory(dir)) return toolRefusal(`${dir} is not a directory`);
    const { report } = jobAdviceFor(ctx.store, dir, { target, jobs }, ctx.now());
    return toolAnswer(optimalJobsAnswer(report), render(report));
  }));
}

/** The answer, field by field from the output schema: nothing else of the report reaches the client. */
function optimalJobsAnswer(r: JobAdviceReport): OptimalJobsAnswer {
  const resource: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(r.resource_prediction)) {
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') resource[k] = v;
  }
  return {
    project_dir: r.project_dir, target: r.target, build_history_key: r.build_history_key, eta: r.eta, eta_ms: r.eta_ms, confidence: r.confidence,
    parallel_efficiency: r.parallel_efficiency, optimal_job_count: r.optimal_job_count, resource_prediction: resource,
    recommendations: [...r.recommendations], predicted_total_ms: r.predicted_total_ms, basis: r.basis,
    candidates: r.candidates.map((c) => ({
      jobs: c.jobs, predicted_ms: c.predicted_ms, peak_memory_bytes: c.peak_memory_bytes, fits_memory: c.fits_memory,
      parallel_efficiency: c.parallel_efficiency, avg_cpu_pct: c.avg_cpu_pct, basis: c.basis, confidence: c.confidence, optimal: c.optimal,
    })),
    builds: r.builds, scaling: r.scaling,
  };
}

function render(r: JobAdviceReport): string {
  const rows = r.candidates.filter((c) => c.predicted_ms !== null).map((c) =>
    `${c.optimal ? '*' : ' '}-j${c.jobs}: ${formatDuration(c.predicted_ms as number, true)}${c.peak_memory_bytes === null ? '' : `, ${formatBytes(c.peak_memory_bytes)}${c.fits_memory === false ? ' (too much)' : ''}`}${c.parallel_efficiency === null ? '' : `, ${Math.round(c.parallel_efficiency)}% efficient`} (${c.basis})`);
  return [`${r.target} in ${r.project_dir}: best -j${r.optimal_job_count ?? '?'}`, ...rows, ...r.recommendations].join('\n');
}

