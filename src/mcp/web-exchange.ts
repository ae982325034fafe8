import type http from 'node:http';

/** Largest request body read (the SDK transport's own default bound). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** A body over {@link MAX_BODY_BYTES}, or one that is not JSON: answered 413 or 400 before the MCP layer. */
export class BodyError extends Error {
  constructor(readonly status: 400 | 413, message: string) {
    super(message);
  }
}

/**
 * Reads a POST body (bounded) and parses it as JSON; other methods have none. The MCP transport
 * then takes it as `parsedBody` and never reads the stream itself.
 */
export async function readJsonBody(req: http.IncomingMessage): Promise<unknown> {
  if (req.method !== 'POST') return undefined;
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    throw new BodyError(413, `request body of ${declared} bytes is over the ${MAX_BODY_BYTES}-byte limit`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyError(413, `request body is over the ${MAX_BODY_BYTES}-byte limit`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new BodyError(400, 'request body is not JSON');
  }
}

/** The web-standard Request the MCP transport reads: method, URL and headers (the body is passed parsed). */
export function toWebRequest(req: http.IncomingMessage, port: number): Request {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  return new Request(`http://127.0.0.1:${port}${req.url ?? '/'}`, { method: req.method, headers });
}

/**
 * Writes a web-standard Response to Node's response, streaming its body (an SSE stream stays open
 * as long as the transport writes to it); a client that goes away cancels the stream.
 */
export async function sendWebResponse(response: Response, res: http.ServerResponse, extraHeaders: Record<string, string> = {}): Promise<void> {
  const headers: Record<string, string> = { ...extraHeaders };
  response.headers.forEach((value, key) => void (headers[key] = value));
  res.writeHead(response.status, headers);
  if (response.body === null) return void res.end();
  const reader = response.body.getReader();
  res.once('close', () => void reader.cancel().catch(() => undefined));
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
    }
  } catch {
    // The stream was cancelled (the client went away) or failed: end what was sent.
  }
  res.end();
}
