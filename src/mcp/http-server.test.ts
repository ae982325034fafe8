import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { tempHome } from '../../test/helpers/cli.js';
import { openStore } from '../store/store.js';
import { startHttpServer } from './http-server.js';

const TOKEN = 't'.repeat(43);
const store = openStore(tempHome());
const running = await startHttpServer({
  store, env: {}, cwd: '/', roots: [], allowTools: [], version: '0.0.0', port: 0, token: TOKEN, allowOrigins: [], maxSessions: 2,
});
const clients: Client[] = [];
after(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  await running.close();
  store.close();
});

async function connect(): Promise<{ client: Client; sessionId: string }> {
  const transport = new StreamableHTTPClientTransport(new URL(running.url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } });
  const client = new Client({ name: 'cap', version: '1' });
  await client.connect(transport);
  clients.push(client);
  return { client, sessionId: transport.sessionId as string };
}

async function listStatus(sessionId: string): Promise<number> {
  const res = await fetch(running.url, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream',
      'Mcp-Session-Id': sessionId, 'Mcp-Protocol-Version': '2025-06-18',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
  });
  await res.arrayBuffer();
  return res.status;
}

test('at the session cap a new session pushes out the least recently used; a stray request without a session pushes out nobody', async () => {
  const a = await connect();
  const b = await connect();
  assert.equal(running.sessions(), 2);
  // A request that is no initialize, without a session id: refused, and both sessions stay.
  const stray = await fetch(running.url, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
  await stray.arrayBuffer();
  assert.equal(stray.status, 400);
  assert.deepEqual([running.sessions(), await listStatus(a.sessionId), await listStatus(b.sessionId)], [2, 200, 200]);
  // b was used last; a third session pushes out a.
  assert.equal(await listStatus(b.sessionId), 200);
  const c = await connect();
  assert.deepEqual([running.sessions(), await listStatus(a.sessionId), await listStatus(b.sessionId), await listStatus(c.sessionId)], [2, 404, 200, 200]);
  assert.deepEqual((await c.client.listTools()).tools.length, 13);
});

test('a body that is not JSON is a 400 and one over 4 MiB a 413, both before the MCP layer', async () => {
  const post = async (body: string): Promise<[number, string]> => {
    const res = await fetch(running.url, {
      method: 'POST', body,
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
    });
    return [res.status, ((await res.json()) as { error: { message: string } }).error.message];
  };
  assert.deepEqual(await post('{"jsonrpc":'), [400, 'request body is not JSON']);
  assert.deepEqual(await post(`"${'x'.repeat(4 * 1024 * 1024)}"`), [413, `request body of ${4 * 1024 * 1024 + 2} bytes is over the 4194304-byte limit`]);
  assert.equal(running.sessions(), 2, 'no session was made or lost');
});
