import fs from 'node:fs';
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SubscribeRequestSchema, UnsubscribeRequestSchema, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { BuildmonError } from '../store/errors.js';
import type { SessionRecord } from '../store/session-types.js';
import type { Store } from '../store/store.js';
import type { McpContext } from './mcp-context.js';
import type { SessionLogs } from './session-logs.js';
import { etaOf, isActive, sessionStatus } from './session-view.js';
import { actionableError } from './tool-result.js';

/** The log resource gives the output lines (no stamps, no header) that the last this-many bytes of the log hold. */
export const LOG_RESOURCE_BYTES = 32 * 1024;
/** Subscriptions and new sessions are checked this often by default: a client hears of a change at most once a second. */
const DEFAULT_POLL_MS = 1000;
/** A subscribed log is announced at most every this-many checks while it grows (its end always). */
const LOG_EVERY_POLLS = 5;
/** resources/list gives this many recent sessions. */
const LISTED_SESSIONS = 10;
/** JSON-RPC error code for a resource that does not exist (MCP specification). */
const RESOURCE_NOT_FOUND = -32002;
const INTERNAL_ERROR = -32603;
const SESSION_URI = /^build:\/\/sessions\/([^/]+)(\/log)?$/;

/** How often the resources look for changes; tests use a short interval. */
export interface SessionResourceOptions {
  pollMs?: number;
}

interface Watch {
  /** The full session id the subscribed URI (which may name a prefix) resolved to. */
  id: string;
  log: boolean;
  /** The signature last announced. */
  seen: string;
  sentMs: number;
}

/**
 * `build://sessions/{id}` (the status as JSON, as build_status) and `build://sessions/{id}/log` (the
 * end of the build's output), listed as the recent sessions, with subscriptions. A subscribed
 * session is announced (`notifications/resources/updated`) when what a reader sees changes: its
 * status, progress, error count or expected finish time, at most once per check; a log when it grows,
 * at most every fifth check. A new session anywhere (this server, another, the CLI) is announced with
 * `notifications/resources/list_changed`. Returns the function that stops the checks.
 */
export function registerSessionResources(server: McpServer, ctx: McpContext, options: SessionResourceOptions = {}): () => void {
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  server.registerResource('build_session', new ResourceTemplate('build://sessions/{id}', {
    list: () => forResources(() => ({
      resources: ctx.store.sessions.list({ limit: LISTED_SESSIONS }).map((s) => ({
        uri: `build://sessions/${s.id}`, name: `${s.id} ${s.historyKey} ${s.status}`, mimeType: 'application/json',
      })),
    })),
  }), { title: 'Build session status', description: 'A build session\'s status as JSON (as build_status)', mimeType: 'application/json' },
  (uri, vars) => forResources(() => readStatus(ctx, uri.href, String(vars.id))));

  server.registerResource('build_session_log', new ResourceTemplate('build://sessions/{id}/log', { list: undefined }),
    { title: 'Build session log', description: `The build's last output lines (at most ${LOG_RESOURCE_BYTES / 1024} KB, no timestamps); build_output pages the whole log`, mimeType: 'text/plain' },
    (uri, vars) => forResources(() => readLog(ctx, uri.href, String(vars.id))));

  const watched = new Map<string, Watch>();
  server.server.setRequestHandler(SubscribeRequestSchema, (req) => forResources(() => {
    const { uri } = req.params;
    const m = SESSION_URI.exec(uri);
    if (!m) throw resourceError(RESOURCE_NOT_FOUND, `no resource ${uri}: subscribe to build://sessions/{id} or build://sessions/{id}/log`);
    const s = ctx.session(m[1] as string);
    const log = m[2] !== undefined;
    watched.set(uri, { id: s.id, log, seen: signature(s, log, ctx.now()), sentMs: 0 });
    return {};
  }));
  server.server.setRequestHandler(UnsubscribeRequestSchema, (req) => {
    watched.delete(req.params.uri);
    return {};
  });

  let newest: string | null | undefined;
  const send = (work: () => Promise<void>): void => {
    if (server.isConnected()) work().catch(() => undefined);
  };
  const tick = (): void => {
    let store: Store;
    try {
      store = ctx.store;
      // Only the newest id is read: a new session changes it, whoever started it.
      const latest = store.sessions.list({ limit: 1 })[0]?.id ?? null;
      if (newest !== undefined && latest !== newest) send(() => server.server.sendResourceListChanged());
      newest = latest;
      if (watched.size === 0) return;
      ctx.settle();
    } catch {
      return; // The store cannot be used now: nothing to announce; reads say why.
    }
    const nowMs = ctx.now();
    for (const [uri, w] of watched) {
      let s: SessionRecord | null;
      try {
        s = store.sessions.get(w.id);
      } catch {
        return;
      }
      const final = s === null || !isActive(s);
      const sig = signature(s, w.log, nowMs);
      if (sig !== w.seen && (final || !w.log || nowMs - w.sentMs >= pollMs * LOG_EVERY_POLLS)) {
        send(() => server.server.sendResourceUpdated({ uri }));
        w.seen = sig;
        w.sentMs = nowMs;
      }
      // An ended or missing session changes no more: its final update is sent, and it is watched no longer.
      if (final) watched.delete(uri);
    }
  };
  tick();
  const timer = setInterval(tick, pollMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * What a reader of the resource would see change. For the status: the status, progress, error
 * count and the clock time of the expected end (not the counters the runner rewrites every second);
 * for the log: its line count.
 */
function signature(s: SessionRecord | null, log: boolean, nowMs: number): string {
  if (s === null) return 'missing';
  if (log) return `${s.status}|${s.lineCount}`;
  const finish = etaOf(s, nowMs)?.split('@')[1] ?? '';
  return `${s.status}|${s.progressPct}|${s.errorCount}|${finish}`;
}

function readStatus(ctx: McpContext, uri: string, id: string): ReadResourceResult {
  const view = sessionStatus(ctx.store, ctx.session(id), ctx.now());
  return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(view) }] };
}

async function readLog(ctx: McpContext, uri: string, id: string): Promise<ReadResourceResult> {
  const s = ctx.session(id);
  return { contents: [{ uri, mimeType: 'text/plain', text: await logTail(ctx.logs, s) }] };
}

/**
 * The build's last output lines that the last `budget` bytes of its log hold, stamps and header
 * removed, each ending in a newline. A `#` line at the top says what was left out and that
 * build_output pages the whole log.
 */
async function logTail(logs: SessionLogs, s: SessionRecord, budget = LOG_RESOURCE_BYTES): Promise<string> {
  if (!fs.existsSync(s.logPath)) {
    return `# no log yet${isActive(s) ? ' (the build may not have started yet)' : ` (${s.logPath} is missing)`}\n`;
  }
  const { index, ready } = await logs.read(s, !isActive(s));
  const total = index.lineCount;
  const notes: string[] = [];
  if (!ready) {
    const { doneBytes, fileBytes } = index.progress();
    notes.push(`# still reading the log (${doneBytes} of ${fileBytes} bytes so far): read again for its end, or page it with build_output`);
  }
  if (total === 0) return [...notes, isActive(s) ? '# no output yet' : '# the build printed nothing'].map((l) => l + '\n').join('');
  // The first line from which the rest fits the budget (total + 1: not even the last line does).
  let lo = 1;
  let hi = total + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (index.bytesOf(mid, total) <= budget) hi = mid;
    else lo = mid + 1;
  }
  if (lo > 1) {
    notes.push(`# the first ${lo - 1} of ${total} lines are left out (this shows at most the last ${Math.round(budget / 1024)} KB): page through the whole log with build_output`);
  }
  return [...notes, ...index.readLines(lo, total)].map((l) => l + '\n').join('');
}

/** A JSON-RPC error with this code and exactly this message. */
function resourceError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * Runs a resource handler; an error a user can act on (no such session, a database that cannot be
 * used) becomes a JSON-RPC error whose message says it the way the tools do.
 */
function forResources<T>(work: () => T): T {
  const mapped = (err: unknown): unknown => {
    const text = actionableError(err);
    if (text === null) return err;
    const missing = err instanceof BuildmonError && (err.code === 'no-such-session' || err.code === 'ambiguous-session');
    return resourceError(missing ? RESOURCE_NOT_FOUND : INTERNAL_ERROR, text);
  };
  try {
    const result = work();
    return (result instanceof Promise ? result.catch((err: unknown) => { throw mapped(err); }) : result) as T;
  } catch (err) {
    throw mapped(err);
  }
}
