import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { checkRequest, MCP_PATH, type HttpGuardOptions } from './http-guard.js';
import { createBuildmonServer, type BuildmonServerOptions } from './server.js';
import { BodyError, readJsonBody, sendWebResponse, toWebRequest } from './web-exchange.js';

/** How `buildmon mcp --http` is set up. */
export interface HttpServerOptions extends BuildmonServerOptions {
  /** 0 picks a free port. */
  port: number;
  token: string;
  allowOrigins: readonly string[];
  /** At most this many MCP sessions are kept; the least recently used goes first. */
  maxSessions?: number;
  /** Called for what the operator should see (errors inside the transport). */
  log?: (line: string) => void;
}

/** A listening server: its address, and `close` to end every session and stop listening. */
export interface RunningHttpServer {
  port: number;
  url: string;
  sessions(): number;
  close(): Promise<void>;
}

interface McpSession {
  transport: WebStandardStreamableHTTPServerTransport;
  close(): Promise<void>;
  lastUsedMs: number;
}

const DEFAULT_MAX_SESSIONS = 64;

function sendJson(res: http.ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** CORS headers for an explicitly allowed foreign origin (the server's own origins need none). */
function corsHeaders(origin: string | undefined, opts: HttpServerOptions): Record<string, string> {
  if (origin === undefined || !opts.allowOrigins.includes(origin)) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': 'GET, POST, DELETE',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID',
    'Access-Control-Expose-Headers': 'Mcp-Session-Id',
    Vary: 'Origin',
  };
}

/**
 * Serves MCP over Streamable HTTP on 127.0.0.1 only. Every request passes the guard (Host, Origin,
 * bearer token) before the SDK's transport sees it. Each MCP session gets its own server over the
 * shared store, exactly like a second stdio server would: builds, history and logs are the same.
 */
export async function startHttpServer(opts: HttpServerOptions): Promise<RunningHttpServer> {
  const sessions = new Map<string, McpSession>();
  const maxSessions = opts.maxSessions ?? DEFAULT_MAX_SESSIONS;
  const log = opts.log ?? (() => undefined);
  let guard: HttpGuardOptions = { port: opts.port, token: opts.token, allowOrigins: opts.allowOrigins };

  // Only a session that really began (its initialize was accepted) may push out the least recently
  // used one: a stray request without a session id must not cost anyone theirs.
  const evictOver = (kept: string): void => {
    while (sessions.size > maxSessions) {
      const [id, oldest] = [...sessions.entries()].filter(([k]) => k !== kept).reduce((a, b) => (b[1].lastUsedMs < a[1].lastUsedMs ? b : a));
      sessions.delete(id);
      void oldest.close();
    }
  };

  const openSession = async (): Promise<McpSession> => {
    const { server, cleanup } = createBuildmonServer(opts);
    let closed = false;
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, session);
        evictOver(id);
      },
    });
    const session: McpSession = {
      transport,
      lastUsedMs: Date.now(),
      close: async () => {
        if (closed) return;
        closed = true;
        cleanup();
        await server.close().catch(() => undefined);
      },
    };
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
      void session.close();
    };
    transport.onerror = (err) => log(`buildmon mcp: ${err.message}`);
    await server.connect(transport);
    return session;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const refusal = checkRequest({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers }, guard);
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    const cors = corsHeaders(origin, opts);
    if (refusal !== null) {
      req.resume();
      return sendJson(res, refusal.status, refusal.message, { ...cors, ...refusal.headers });
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors);
      return void res.end();
    }
    let parsedBody: unknown;
    try {
      parsedBody = await readJsonBody(req);
    } catch (err) {
      if (err instanceof BodyError) return sendJson(res, err.status, err.message, cors);
      throw err;
    }
    // The SDK's transport speaks web-standard Request and Response; the exchange is done here,
    // lean, with the body read once above.
    const exchange = async (transport: WebStandardStreamableHTTPServerTransport): Promise<void> =>
      sendWebResponse(await transport.handleRequest(toWebRequest(req, guard.port), { parsedBody }), res, cors);
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      if (session === undefined) {
        req.resume();
        return sendJson(res, 404, `MCP session ${sessionId} not found (the server restarted or dropped it): initialize a new session`);
      }
      session.lastUsedMs = Date.now();
      return exchange(session.transport);
    }
    if (req.method !== 'POST') {
      req.resume();
      return sendJson(res, 400, `no Mcp-Session-Id header: start with an initialize request (POST ${MCP_PATH})`);
    }
    // No session yet: this must be an initialize request, which the transport checks; anything
    // else is refused there, and the server made for it is dropped.
    const session = await openSession();
    await exchange(session.transport);
    if (session.transport.sessionId === undefined) await session.close();
  };

  const httpServer = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`buildmon mcp: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) sendJson(res, 500, 'internal error: see the server log');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port, '127.0.0.1', () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  guard = { ...guard, port };
  return {
    port,
    url: `http://127.0.0.1:${port}${MCP_PATH}`,
    sessions: () => sessions.size,
    close: async () => {
      const all = [...sessions.values()];
      sessions.clear();
      for (const s of all) await s.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
