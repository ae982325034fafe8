import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { formatDuration, plural } from '../core/format.js';
import { joinShellWords } from '../core/shell-words.js';
import type { SessionRecord } from '../store/session-types.js';
import { cutText, toolSchema } from './answer-bounds.js';
import type { McpContext } from './mcp-context.js';
import { COMMAND_CHARS, etaOf } from './session-view.js';
import { guarded, toolAnswer } from './tool-result.js';

const INPUT = toolSchema({
  active_only: z.boolean().default(false).describe('Only running builds'),
  limit: z.number().int().min(1).max(100).default(10).describe('Max rows'),
});

const ROW = z.object({
  session_id: z.string(), status: z.string(), build_history_key: z.string(), command: z.string(), project_dir: z.string(),
  started_ms: z.number(), elapsed: z.string(), progress_pct: z.number().nullable(), eta: z.string().nullable(),
  error_count: z.number(), warning_count: z.number(), exit_code: z.number().nullable(),
});

/** build_list: recorded builds, newest first, whoever started them (this server, another, or the CLI). */
export function registerBuildList(server: McpServer, ctx: McpContext): void {
  server.registerTool('build_list', {
    title: 'List builds',
    description: 'Builds, newest first (MCP or CLI): id, status, key, elapsed, progress, errors.',
    inputSchema: INPUT,
    outputSchema: toolSchema({ sessions: z.array(ROW) }),
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, ({ active_only, limit }) => guarded(() => {
    ctx.settle();
    const now = ctx.now();
    const rows = ctx.store.sessions.list({ activeOnly: active_only, limit }).map((s) => row(s, now));
    const text = rows.length === 0 ? (active_only ? 'no build running' : 'no builds recorded yet')
      : rows.map((r) => `${r.session_id} ${r.status}${r.progress_pct !== null && r.status === 'running' ? ` ${r.progress_pct}%` : ''} ${r.elapsed}` +
        `${r.error_count > 0 ? ` ${plural(r.error_count, 'error')}` : ''} · ${r.build_history_key} · ${r.command} · ${r.project_dir}`).join('\n');
    return toolAnswer({ sessions: rows }, text);
  }));
}

function row(s: SessionRecord, nowMs: number): z.infer<typeof ROW> {
  return {
    session_id: s.id, status: s.status, build_history_key: s.historyKey, command: cutText(joinShellWords(s.command), COMMAND_CHARS), project_dir: s.projectDir,
    started_ms: s.startedMs, elapsed: formatDuration((s.endedMs ?? nowMs) - s.startedMs, true), progress_pct: s.progressPct,
    eta: etaOf(s, nowMs), error_count: s.errorCount, warning_count: s.warningCount, exit_code: s.exitCode,
  };
}
