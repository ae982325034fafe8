import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { requestCancel } from '../run/session-manager.js';
import type { McpContext } from './mcp-context.js';
import { SESSION_ID_INPUT } from './build-status.js';
import { guarded, toolAnswer } from './tool-result.js';
import { toolSchema } from './answer-bounds.js';

const OUTPUT = {
  session_id: z.string(),
  outcome: z.enum(['requested', 'already-ended', 'lost']).describe('requested: TERM sent, KILL after a grace period'),
  status: z.string(),
};

/** build_cancel: the same cancel as `buildmon cancel` (TERM to the build's process tree, KILL after a grace period). */
export function registerBuildCancel(server: McpServer, ctx: McpContext): void {
  server.registerTool('build_cancel', {
    title: 'Cancel a build',
    description: 'Stop a build and its whole process tree (recorded as cancelled).',
    inputSchema: toolSchema(SESSION_ID_INPUT),
    outputSchema: toolSchema(OUTPUT),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  }, ({ session_id }) => guarded(() => {
    const s = ctx.session(session_id);
    const outcome = requestCancel(ctx.store, s);
    const now = ctx.store.sessions.get(s.id) ?? s;
    const text = outcome === 'requested' ? `cancelling ${s.id} (build_wait to see it stop)`
      : outcome === 'lost' ? `${s.id}'s runner was gone: recorded as lost and its processes stopped`
        : `${s.id} already ended (${now.status}); nothing to cancel`;
    return toolAnswer({ session_id: s.id, outcome, status: now.status }, text);
  }));
}
