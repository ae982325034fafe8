import fs from 'node:fs';
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SubscribeRequestSchema, UnsubscribeRequestSchema, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { McpContext } from './mcp-context.js';
import { isActive, sessionStatus } from './session-view.js';

/** The log resource gives at most this many bytes: the end of the log. */
export const LOG_RESOURCE_BYTES = 64 * 1024;
/** Subscribed resources are checked this often, so a client hears of a change at most about once a second. */
const SUBSCRIPTION_POLL_MS = 1000;
const SESSION_URI = /^build:\/\/sessions\/([^/]+)(\/log)?$/;

/**
 * `build://sessions/{id}` (the status as JSON) and `build://sessions/{id}/log` (the end of the
 * log), with subscriptions: while a subscribed session changes in the store (the runner writes its
 * counters about once a second), the client gets `notifications/resources/updated`. Returns the
 * function that stops the polling.
 */
export function registerSessionResources(server: McpServer, ctx: McpContext): () => void {
  server.registerResource('build_session', new ResourceTemplate('build://sessions/{id}', {
    list: () => ({
      resources: ctx.store.sessions.list({ limit: 10 }).map((s) => ({
        uri: `build://sessions/${s.id}`, name: `${s.id} ${s.historyKey} ${s.status}`, mimeType: 'application/json',
      })),
    }),
  }), { title: 'Build session status', description: 'A build session\'s status as JSON (as build_status)', mimeType: 'application/json' },
  (uri, vars) => readStatus(ctx, uri.href, String(vars.id)));

  server.registerResource('build_session_log', new ResourceTemplate('build://sessions/{id}/log', { list: undefined }),
    { title: 'Build session log', description: `The end of a build's timestamped log (last ${LOG_RESOURCE_BYTES / 1024} KB)`, mimeType: 'text/plain' },
    (uri, vars) => readLog(ctx, uri.href, String(vars.id)));

  const watched = new Map<string, string>();
  server.server.setRequestHandler(SubscribeRequestSchema, (req) => {
    watched.set(req.params.uri, signature(ctx, req.params.uri));
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, (req) => {
    watched.delete(req.params.uri);
    return {};
  });
  const timer = setInterval(() => {
    if (watched.size === 0) return;
    ctx.settle();
    for (const [uri, seen] of watched) {
      const now = signature(ctx, uri);
      if (now !== seen) server.server.sendResourceUpdated({ uri }).catch(() => undefined);
      // An ended or missing session changes no more: its final update is sent, and it is watched no longer.
      if (isFinal(ctx, uri)) watched.delete(uri);
      else watched.set(uri, now);
    }
  }, SUBSCRIPTION_POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

function isFinal(ctx: McpContext, uri: string): boolean {
  const m = SESSION_URI.exec(uri);
  const s = m ? ctx.store.sessions.get(m[1] as string) : null;
  return !s || !isActive(s);
}

/** What changes when a resource's content changes: the session row's update time and status, or the log's size. */
function signature(ctx: McpContext, uri: string): string {
  const m = SESSION_URI.exec(uri);
  if (!m) return '';
  const s = ctx.store.sessions.get(m[1] as string);
  if (!s) return 'missing';
  if (!m[2]) return `${s.status}:${s.updatedMs}`;
  try {
    return `${s.status}:${fs.statSync(s.logPath).size}`;
  } catch {
    return `${s.status}:none`;
  }
}

function readStatus(ctx: McpContext, uri: string, id: string): ReadResourceResult {
  const view = sessionStatus(ctx.store, ctx.session(id), ctx.now());
  return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(view) }] };
}

function readLog(ctx: McpContext, uri: string, id: string): ReadResourceResult {
  const s = ctx.session(id);
  let text: string;
  try {
    const fd = fs.openSync(s.logPath, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const start = Math.max(0, size - LOG_RESOURCE_BYTES);
      const buf = Buffer.alloc(size - start);
      fs.readSync(fd, buf, 0, buf.length, start);
      let body = buf.toString('utf8');
      // Start at a whole line when cut.
      if (start > 0) body = `# (first ${start} bytes of ${size} not shown: use build_output to page through the whole log)\n${body.slice(body.indexOf('\n') + 1)}`;
      text = body;
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    text = `# the log of ${s.id} cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}${isActive(s) ? ' (the build may not have started yet)' : ''}`;
  }
  return { contents: [{ uri, mimeType: 'text/plain', text }] };
}
