import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ListRootsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import Database from 'better-sqlite3';
import { BuildmonError } from '../store/errors.js';
import { homeLayout } from '../store/home.js';
import { openStore } from '../store/store.js';
import type { Store } from '../store/store.js';
import { runCli, tempDir, tempHome } from '../../test/helpers/cli.js';
import { sessionRecord } from '../../test/helpers/records.js';
import { createBuildmonServer, localRootDirs } from './server.js';
import { actionableError, guarded, toolRefusal } from './tool-result.js';

async function connect(store: Store | (() => Store), opts: { roots?: string[]; cwd?: string } = {}): Promise<{ client: Client; close: () => Promise<void> }> {
  const { server, cleanup } = createBuildmonServer({ store, env: {}, cwd: opts.cwd ?? '/', roots: [], allowTools: [], version: 't' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 't', version: '1' }, opts.roots ? { capabilities: { roots: {} } } : {});
  if (opts.roots) client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: (opts.roots as string[]).map((uri) => ({ uri })) }));
  await server.connect(serverSide);
  await client.connect(clientSide);
  return { client, close: async () => { await client.close(); cleanup(); } };
}

function text(r: unknown): [boolean | undefined, string] {
  const result = r as CallToolResult;
  return [result.isError, (result.content[0] as { text: string }).text];
}

function corruptMessage(home: string, detail: string): string {
  const { dbPath, logsDir } = homeLayout(home);
  return `cannot use the database ${dbPath}: ${detail}.\nMove it aside (mv '${dbPath}' '${dbPath}.bad') and rebuild it from the logs in ${logsDir} with: buildmon import`;
}

test('a database that is not one: the server still connects and every tool call and resource read says how to recover', async () => {
  const home = tempHome();
  const { dbPath } = homeLayout(home);
  fs.writeFileSync(dbPath, Buffer.alloc(8192, 'garbage!'));
  const s = await connect(() => openStore(home));
  const refusal = corruptMessage(home, 'file is not a database');
  assert.deepEqual(text(await s.client.callTool({ name: 'build_list', arguments: {} })), [true, refusal]);
  assert.deepEqual(text(await s.client.callTool({ name: 'build_status', arguments: { session_id: 'abc' } })), [true, refusal]);
  assert.deepEqual(text(await s.client.callTool({ name: 'build_history', arguments: {} })), [true, refusal]);
  await assert.rejects(s.client.readResource({ uri: 'build://sessions/abc' }), { code: -32603, message: `MCP error -32603: ${refusal}` });
  await assert.rejects(s.client.readResource({ uri: 'build://sessions/abc/log' }), { code: -32603, message: `MCP error -32603: ${refusal}` });
  await assert.rejects(s.client.listResources(), { code: -32603, message: `MCP error -32603: ${refusal}` });
  await assert.rejects(s.client.subscribeResource({ uri: 'build://sessions/abc' }), { code: -32603, message: `MCP error -32603: ${refusal}` });

  // Moved aside as the refusal says: the next call opens a new database, without a restart.
  fs.renameSync(dbPath, `${dbPath}.bad`);
  assert.deepEqual(text(await s.client.callTool({ name: 'build_list', arguments: {} })), [undefined, 'no builds recorded yet']);
  await s.close();
});

test('buildmon mcp over a corrupt database answers the client with the refusal instead of exiting', () => {
  const home = tempHome();
  fs.writeFileSync(homeLayout(home).dbPath, Buffer.alloc(8192, 'garbage!'));
  const messages = [
    { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } },
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'build_list', arguments: {} } },
  ];
  const r = runCli(['mcp'], { home, input: messages.map((m) => JSON.stringify(m)).join('\n') + '\n' });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.toString('utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { id: number; result: CallToolResult });
  assert.deepEqual(lines.map((l) => l.id), [1, 2]);
  assert.deepEqual(text(lines[1]?.result), [true, corruptMessage(home, 'file is not a database')]);
});

test('a damaged page found by a query is refused with the database named, not as a bare SQLite message', async () => {
  const home = tempHome();
  const setup = openStore(home);
  for (let i = 0; i < 200; i++) setup.sessions.insert(sessionRecord({ id: `s${String(i).padStart(7, '0')}`, startedMs: i, hostname: 'elsewhere', lastLine: 'x'.repeat(300) }));
  setup.close();
  // Overwrite the sessions table's root page; the header page (and so opening) stays intact.
  const { dbPath } = homeLayout(home);
  const raw = new Database(dbPath, { readonly: true });
  const root = (raw.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'sessions'").get() as { rootpage: number }).rootpage;
  const pageSize = raw.pragma('page_size', { simple: true }) as number;
  raw.close();
  const fd = fs.openSync(dbPath, 'r+');
  fs.writeSync(fd, Buffer.alloc(pageSize, 0xee), 0, pageSize, (root - 1) * pageSize);
  fs.closeSync(fd);

  const store = openStore(home);
  const s = await connect(store);
  assert.deepEqual(text(await s.client.callTool({ name: 'build_list', arguments: {} })), [true, corruptMessage(home, 'database disk image is malformed')]);
  await s.close();
  store.close();
});

test('guarded refuses BuildmonErrors and SQLite errors in words a tool user acts on, and passes bugs on', async () => {
  assert.deepEqual(await guarded(() => {
    throw new BuildmonError('no-such-session', "no session 'x'. Recent sessions: none (see: buildmon sessions)");
  }), toolRefusal("no session 'x'. Recent sessions: none (see build_list)"));
  const sqlite = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
  assert.deepEqual(await guarded(() => {
    throw sqlite;
  }), toolRefusal("cannot use the buildmon database (SQLITE_CORRUPT: database disk image is malformed). Move it aside (buildmon.db in buildmon's home folder) and rebuild it from the logs with: buildmon import"));
  assert.equal(actionableError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })), 'database error (SQLITE_BUSY: database is locked); try again.');
  await assert.rejects(guarded(() => {
    throw new TypeError('x is undefined');
  }), { name: 'TypeError', message: 'x is undefined' });
});

test('file roots of another host are left out; when no root is left, builds are refused with a sentence', async () => {
  const dir = fs.realpathSync(tempDir());
  assert.deepEqual(localRootDirs(['file://otherhost/src', `file://localhost${dir}`, 'https://example.com/', `file://${dir}/x`]), [dir, path.join(dir, 'x')]);
  assert.deepEqual(localRootDirs(['https://example.com/']), []);
  const refused = "refused: the client's MCP roots (file://otherhost/src, file://nas/builds) are not directories on this machine " +
    '(a root must be file:///PATH or file://localhost/PATH). To allow builds, add a local directory as a root in your MCP client.';
  assert.throws(() => localRootDirs(['file://otherhost/src', 'file://nas/builds']), { name: 'BuildmonError', message: refused });

  const store = openStore(tempHome());
  const remoteOnly = await connect(store, { roots: ['file://otherhost/src', 'file://nas/builds'], cwd: dir });
  assert.deepEqual(text(await remoteOnly.client.callTool({ name: 'build_packages', arguments: { cwd: dir } })), [true, refused]);
  await remoteOnly.close();
  const mixed = await connect(store, { roots: ['file://otherhost/src', `file://${dir}`], cwd: dir });
  const answer = await mixed.client.callTool({ name: 'build_packages', arguments: { cwd: dir } });
  assert.deepEqual([answer.isError, (answer.structuredContent as { detected_packages: unknown[] }).detected_packages], [undefined, []]);
  await mixed.close();
  store.close();
});
