import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { toolSchema } from './answer-bounds.js';
import type { McpContext } from './mcp-context.js';
import { renderStatus, SESSION_STATUS_SHAPE, sessionStatus, type SessionStatusView } from './session-view.js';
import { guarded, toolAnswer } from './tool-result.js';

/** The input every per-session tool takes. */
export const SESSION_ID_INPUT = {
  session_id: z.string().min(1).describe('Id (or a unique prefix) from build_start or build_list'),
};

const STATUS = toolSchema(SESSION_STATUS_SHAPE);

/** What build_status answers (and build_wait, with two fields more). */
export type StatusAnswer = z.infer<typeof STATUS>;

/** build_status: one cheap read of the store; never waits. */
export function registerBuildStatus(server: McpServer, ctx: McpContext): void {
  server.registerTool('build_status', {
    title: 'Build status',
    description: 'A build now: progress, eta (remaining@HH:MM), res, active packages, counts, advice.',
    inputSchema: toolSchema(SESSION_ID_INPUT),
    outputSchema: STATUS,
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, ({ session_id }) => guarded(() => {
    const view = sessionStatus(ctx.store, ctx.session(session_id), ctx.now());
    return toolAnswer(statusAnswer(view), renderStatus(view));
  }));
}

/** The status answer, field by field from its output schema: nothing else of the view reaches the client. */
export function statusAnswer(v: SessionStatusView): StatusAnswer {
  return {
    session_id: v.session_id, status: v.status, build_history_key: v.build_history_key, command: v.command, project_dir: v.project_dir,
    elapsed: v.elapsed, elapsed_ms: v.elapsed_ms, progress_pct: v.progress_pct, eta: v.eta, predicted_ms: v.predicted_ms,
    error_count: v.error_count, warning_count: v.warning_count,
    active_packages: v.active_packages.map((p) => ({
      name: p.name, status: p.status, files_done: p.files_done, files_total: p.files_total, current_files: [...p.current_files],
    })),
    exit_code: v.exit_code, message: v.message, res: v.res, peak_rss_bytes: v.peak_rss_bytes, avg_cpu_pct: v.avg_cpu_pct,
    recommendations: [...v.recommendations], last_line: v.last_line,
  };
}
