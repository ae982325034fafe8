import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import { plural } from '../core/format.js';
import { toolSchema } from './answer-bounds.js';
import type { McpContext } from './mcp-context.js';
import { isActive, renderStatus, SESSION_STATUS_SHAPE, sessionStatus, type SessionStatusView } from './session-view.js';
import { SESSION_ID_INPUT, statusAnswer } from './build-status.js';
import { guarded, toolAnswer } from './tool-result.js';

/** Longest wait of one call, in seconds: MCP clients give up on a request after 60 to 120 s. */
export const MAX_WAIT_S = 50;
/** How often the store is read while waiting. */
const POLL_MS = 250;
/** How often a progress notification is sent, when the request asked for them. */
const PROGRESS_EVERY_MS = 1000;

const INPUT = toolSchema({
  ...SESSION_ID_INPUT,
  timeout_s: z.number().min(0).max(MAX_WAIT_S).default(30).describe(`Max seconds (<= ${MAX_WAIT_S})`),
});

const OUTPUT = toolSchema({ ...SESSION_STATUS_SHAPE, ended: z.boolean(), waited_ms: z.number() });

interface WaitExtra {
  signal: AbortSignal;
  _meta?: { progressToken?: string | number };
  sendNotification: (n: ServerNotification) => Promise<void>;
}

/** build_wait: returns when the build ends or the timeout passes, with progress notifications meanwhile. */
export function registerBuildWait(server: McpServer, ctx: McpContext): void {
  server.registerTool('build_wait', {
    title: 'Wait for a build',
    description: 'Waits until a build ends or timeout_s passes (call again if still running), with progress notifications; answers as build_status.',
    inputSchema: INPUT,
    outputSchema: OUTPUT,
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, ({ session_id, timeout_s }, extra) => guarded(() => waitFor(ctx, session_id, timeout_s, extra)));
}

async function waitFor(ctx: McpContext, idOrPrefix: string, timeoutS: number, extra: WaitExtra): Promise<CallToolResult> {
  const id = ctx.session(idOrPrefix).id;
  const startMs = ctx.now();
  const deadline = startMs + timeoutS * 1000;
  const token = extra._meta?.progressToken;
  let lastProgressMs = 0;
  let lastProgress = -1;
  for (;;) {
    ctx.settle();
    const s = ctx.session(id);
    const now = ctx.now();
    const view = sessionStatus(ctx.store, s, now);
    const ended = !isActive(s);
    if (ended || now >= deadline || extra.signal.aborted) {
      const waited = { ...statusAnswer(view), ended, waited_ms: now - startMs };
      return toolAnswer(waited, `${renderStatus(view)}${ended ? '' : `\nstill ${view.status} after waiting ${Math.round((now - startMs) / 1000)}s: call build_wait again`}`);
    }
    if (token !== undefined && now - lastProgressMs >= PROGRESS_EVERY_MS) {
      lastProgressMs = now;
      const progress = Math.round(view.elapsed_ms / 100) / 10;
      if (progress > lastProgress) {
        lastProgress = progress;
        await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, ...totalOf(view), message: progressMessage(view) } });
      }
    }
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(0, deadline - now))));
  }
}

/** Progress counts elapsed seconds; the total is the predicted duration while the build is within it. */
function totalOf(v: SessionStatusView): { total?: number } {
  if (v.predicted_ms === null || v.predicted_ms <= v.elapsed_ms) return {};
  return { total: Math.round(v.predicted_ms / 100) / 10 };
}

function progressMessage(v: SessionStatusView): string {
  const parts = [`${v.status} ${v.elapsed}`];
  if (v.progress_pct !== null) parts.push(`${v.progress_pct}%`);
  if (v.eta !== null) parts.push(`eta ${v.eta}`);
  if (v.error_count > 0) parts.push(plural(v.error_count, 'error'));
  const active = v.active_packages.map((p) => p.name);
  if (active.length > 0) parts.push(`building ${active.slice(0, 3).join(', ')}`);
  return parts.join(' · ');
}
