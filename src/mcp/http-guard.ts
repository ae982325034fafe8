import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The one path the HTTP transport answers on. */
export const MCP_PATH = '/mcp';

/** What every request to `buildmon mcp --http` is checked against before the MCP layer sees it. */
export interface HttpGuardOptions {
  /** The port the server listens on (127.0.0.1 only). */
  port: number;
  /** The bearer token every request must carry. */
  token: string;
  /** Origins allowed besides the server's own (`--allow-origin`), e.g. a web client's. */
  allowOrigins: readonly string[];
}

/** Why a request was turned away: the HTTP status and a message saying what to do instead. */
export interface HttpRefusal {
  status: 401 | 403 | 404 | 405;
  message: string;
  /** Extra response headers (`WWW-Authenticate` on a 401). */
  headers?: Record<string, string>;
}

/** The request fields the guard reads; Node's header names are lower-case. */
export interface GuardedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

function header(req: GuardedRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The Host values a local client sends to this server: anything else is a rebinding attempt. */
function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** The server's own origins plus the explicitly allowed ones. */
function allowedOrigins(opts: HttpGuardOptions): string[] {
  return [...allowedHosts(opts.port).map((h) => `http://${h}`), ...opts.allowOrigins];
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** Compares tokens in constant time (over their digests, so lengths leak nothing either). */
export function tokenMatches(given: string, token: string): boolean {
  return timingSafeEqual(digest(given), digest(token));
}

/** A fresh bearer token: 32 random bytes, base64url. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Checks a request in the order an attacker meets the defences: the Host header (a DNS-rebinding
 * page reaches 127.0.0.1 under its own name), the Origin header (a browser page on another site),
 * the path, then the bearer token. Returns null when the request may go on to the MCP transport.
 */
export function checkRequest(req: GuardedRequest, opts: HttpGuardOptions): HttpRefusal | null {
  const host = header(req, 'host');
  if (host === undefined || !allowedHosts(opts.port).includes(host.toLowerCase())) {
    return {
      status: 403,
      message: `refused: Host ${host === undefined ? '(none)' : `'${host}'`} is not this server: buildmon mcp --http answers only ` +
        `${allowedHosts(opts.port).join(' and ')} (DNS-rebinding protection). Connect to http://127.0.0.1:${opts.port}${MCP_PATH}.`,
    };
  }
  const origin = header(req, 'origin');
  if (origin !== undefined && !allowedOrigins(opts).includes(origin)) {
    return {
      status: 403,
      message: `refused: Origin '${origin}' is not allowed (allowed: ${allowedOrigins(opts).join(', ')}). ` +
        `To allow it, start the server with --allow-origin ${origin}.`,
    };
  }
  const pathname = req.url.split('?')[0];
  if (pathname !== MCP_PATH) {
    return { status: 404, message: `not found: buildmon's MCP endpoint is ${MCP_PATH}` };
  }
  if (req.method === 'OPTIONS') return null;
  const auth = header(req, 'authorization');
  const challenge = { 'WWW-Authenticate': 'Bearer realm="buildmon"' };
  if (auth === undefined || auth.trim() === '') {
    return {
      status: 401, headers: challenge,
      message: 'refused: no bearer token. Send the header "Authorization: Bearer TOKEN" with the token buildmon mcp --http printed at start (or the BUILDMON_MCP_TOKEN it was given).',
    };
  }
  const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  if (m === null || !tokenMatches(m[1] as string, opts.token)) {
    return {
      status: 401, headers: { ...challenge, 'WWW-Authenticate': 'Bearer realm="buildmon", error="invalid_token"' },
      message: 'refused: wrong bearer token. Use the token buildmon mcp --http printed at start (or the BUILDMON_MCP_TOKEN it was given); a restarted server without BUILDMON_MCP_TOKEN prints a new one.',
    };
  }
  if (!['GET', 'POST', 'DELETE'].includes(req.method)) {
    return { status: 405, message: `method ${req.method} not allowed: use POST, GET or DELETE on ${MCP_PATH}` };
  }
  return null;
}
