import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { formatDuration, plural } from '../core/format.js';
import type { HistoryKeySummary } from '../store/session-types.js';
import { toolSchema } from './answer-bounds.js';
import type { McpContext } from './mcp-context.js';
import { guarded, toolAnswer } from './tool-result.js';

const INPUT = toolSchema({
  target: z.string().optional().describe('Only this target (e.g. all)'),
  job_count: z.number().int().min(1).max(4096).optional().describe('Only builds at this -j'),
  limit: z.number().int().min(1).max(100).default(10).describe('Max keys, and recent builds'),
});

const KEY = z.object({
  project_dir: z.string(), build_history_key: z.string(), target: z.string(), jobs: z.number().nullable(), builds: z.number(),
  succeeded: z.number(), avg_duration_ms: z.number().nullable(), last_duration_ms: z.number().nullable(),
});
const BUILD = z.object({
  session_id: z.string(), build_history_key: z.string(), project_dir: z.string(), status: z.string(), started_ms: z.number(), duration_ms: z.number().nullable(),
});

/** build_history: durations per history key (`<target>_j<jobs>`) and the recent builds behind them. */
export function registerBuildHistory(server: McpServer, ctx: McpContext): void {
  server.registerTool('build_history', {
    title: 'Build history',
    description: 'Builds per history key (<target>_j<jobs>) and project: count, successes, mean and last duration; recent builds.',
    inputSchema: INPUT,
    outputSchema: toolSchema({ keys: z.array(KEY), keys_omitted: z.number().describe('Cut by limit'), builds: z.array(BUILD) }),
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, ({ target, job_count, limit }) => guarded(() => {
    const keys = ctx.store.sessions.summarizeKeys().filter((k) => (target === undefined || k.target === target) && (job_count === undefined || k.jobs === job_count));
    const builds = keys.flatMap((k) => ctx.store.sessions.sessionsForKey(k.historyKey, limit).filter((s) => s.projectDir === k.projectDir))
      .sort((a, b) => b.startedMs - a.startedMs).slice(0, limit)
      .map((s) => ({
        session_id: s.id, build_history_key: s.historyKey, project_dir: s.projectDir, status: s.status, started_ms: s.startedMs,
        duration_ms: s.endedMs === null ? null : s.endedMs - s.startedMs,
      }));
    const answer = { keys: keys.slice(0, limit).map(keyRow), keys_omitted: Math.max(0, keys.length - limit), builds };
    return toolAnswer(answer, render(answer.keys, builds, answer.keys_omitted));
  }));
}

function keyRow(k: HistoryKeySummary): z.infer<typeof KEY> {
  return {
    project_dir: k.projectDir, build_history_key: k.historyKey, target: k.target, jobs: k.jobs, builds: k.builds, succeeded: k.succeeded,
    avg_duration_ms: k.avgDurationMs, last_duration_ms: k.lastDurationMs,
  };
}

function render(keys: z.infer<typeof KEY>[], builds: z.infer<typeof BUILD>[], keysOmitted: number): string {
  if (keys.length === 0) return 'no history matches (build_list shows every build)';
  const ms = (v: number | null): string => (v === null ? '-' : formatDuration(v, true));
  return [
    ...keys.map((k) => `${k.build_history_key}${k.jobs === null ? ' (jobs ?)' : ''} · ${plural(k.builds, 'build')}, ${k.succeeded} ok · avg ${ms(k.avg_duration_ms)}, last ${ms(k.last_duration_ms)} · ${k.project_dir}`),
    ...(keysOmitted > 0 ? [`(${keysOmitted} more keys: narrow with target or job_count, or raise limit)`] : []),
    ...builds.map((b) => `  ${b.session_id} ${b.status} ${ms(b.duration_ms)} ${new Date(b.started_ms).toISOString().slice(0, 16)}`),
  ].join('\n');
}
