import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createBuildmonServer } from '../mcp/server.js';
import { openStore } from './store.js';
import { sessionRecord } from '../../test/helpers/records.js';
import { tempHome } from '../../test/helpers/cli.js';

test('a row whose JSON columns are damaged reads with them empty and a note; the other rows read as before', () => {
  const store = openStore(tempHome());
  const s = store.sessions;
  s.insert(sessionRecord({ id: 'good0001', startedMs: 1000 }));
  s.insert(sessionRecord({ id: 'bad00001', startedMs: 2000, message: 'cancel requested' }));
  s.insert(sessionRecord({ id: 'bad00002', startedMs: 3000 }));
  store.db.prepare("UPDATE sessions SET command = '[\"make\", -j2' WHERE id = 'bad00001'").run();
  store.db.prepare("UPDATE sessions SET targets = '{\"all\": 1}', command = '[\"make\", 2]' WHERE id = 'bad00002'").run();

  assert.deepEqual(s.list().map((r) => [r.id, r.command, r.targets, r.message]), [
    ['bad00002', [], [], 'unreadable in the database: command, targets (shown empty)'],
    ['bad00001', [], ['all'], 'cancel requested; unreadable in the database: command (shown empty)'],
    ['good0001', ['make', '-j2'], ['all'], null],
  ]);
  assert.deepEqual(s.get('bad00001')?.command, []);
  assert.deepEqual(s.findByPrefix('bad').map((r) => r.id), ['bad00002', 'bad00001']);
  assert.deepEqual(s.sessionsForKey('all_j2').map((r) => r.targets), [[], ['all'], ['all']]);
  store.close();
});

test('build_list over MCP lists every session when one row is damaged', async () => {
  const store = openStore(tempHome());
  store.sessions.insert(sessionRecord({ id: 'good0001', startedMs: 1000, hostname: 'elsewhere' }));
  store.sessions.insert(sessionRecord({ id: 'bad00001', startedMs: 2000, hostname: 'elsewhere' }));
  store.db.prepare("UPDATE sessions SET command = 'not json' WHERE id = 'bad00001'").run();
  const { server, cleanup } = createBuildmonServer({ store, env: {}, cwd: '/', roots: [], allowTools: [], version: 't' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 't', version: '1' });
  await server.connect(serverSide);
  await client.connect(clientSide);
  await client.listTools();
  const r = await client.callTool({ name: 'build_list', arguments: {} });
  const rows = (r.structuredContent as { sessions: Array<{ session_id: string; command: string; status: string }> }).sessions;
  assert.equal(r.isError, undefined);
  assert.deepEqual(rows.map((x) => [x.session_id, x.command, x.status]), [['bad00001', '', 'running'], ['good0001', 'make -j2', 'running']]);
  await client.close();
  cleanup();
  store.close();
});
