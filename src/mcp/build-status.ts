import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpContext } from './mcp-context.js';
import { renderStatus, SESSION_STATUS_SHAPE, sessionStatus } from './session-view.js';
import { guarded, toolAnswer } from './tool-result.js';

/** The input every per-session tool takes. */
export const SESSION_ID_INPUT = {
  session_id: z.string().min(1).describe('Session id from build_start or build_list (a unique prefix is enough)'),
};

/** build_status: one cheap read of the store; never waits. */
export function registerBuildStatus(server: McpServer, ctx: McpContext): void {
  server.registerTool('build_status', {
    title: 'Build status',
    description: 'A build now: elapsed, progress, eta (remaining@HH:MM), res, active packages, counts, advice. At once.',
    inputSchema: SESSION_ID_INPUT,
    outputSchema: SESSION_STATUS_SHAPE,
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, ({ session_id }) => guarded(() => {
    const view = sessionStatus(ctx.store, ctx.session(session_id), ctx.now());
    return toolAnswer({ ...view }, renderStatus(view));
  }));
}
