import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ResourceListChangedNotificationSchema, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { formatHeader, formatStampedLine } from '../core/log-format.js';
import type { SessionProgress, SessionRecord } from '../store/session-types.js';
import { openStore, type Store } from '../store/store.js';
import { tempDir, tempHome } from '../../test/helpers/cli.js';
import { sessionRecord } from '../../test/helpers/records.js';
import { createBuildmonServer } from './server.js';
import { LOG_RESOURCE_BYTES } from './session-resources.js';

const POLL_MS = 20;
const T0 = 1_700_000_000_000;

interface Connected {
  client: Client;
  updated: string[];
  listChanged: number[];
  close: () => Promise<void>;
}

async function connect(store: Store): Promise<Connected> {
  const { server, cleanup } = createBuildmonServer({ store, env: {}, cwd: '/', roots: [], allowTools: [], version: 't', resourcePollMs: POLL_MS });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 't', version: '1' });
  const updated: string[] = [];
  const listChanged: number[] = [];
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updated.push(n.params.uri));
  client.setNotificationHandler(ResourceListChangedNotificationSchema, () => void listChanged.push(1));
  await server.connect(serverSide);
  await client.connect(clientSide);
  return { client, updated, listChanged, close: async () => { await client.close(); cleanup(); } };
}

/** A log with its header and these output lines, stamped one millisecond apart. */
function writeLog(dir: string, name: string, lines: readonly string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, Buffer.concat([Buffer.from(formatHeader({ command: 'make', startedMs: T0, cwd: '/p' })),
    ...lines.map((l, i) => formatStampedLine(T0 + i, Buffer.from(l)))]));
  return file;
}

function ended(over: Partial<SessionRecord>): SessionRecord {
  return sessionRecord({ status: 'succeeded', endedMs: T0 + 5000, exitCode: 0, hostname: 'elsewhere', startedMs: T0, ...over });
}

async function logText(c: Connected, uri: string): Promise<string> {
  return ((await c.client.readResource({ uri })).contents[0] as { text: string }).text;
}

test('the log resource gives the output lines without stamps or header, and only its end when long', async () => {
  const dir = tempDir();
  const store = openStore(tempHome());
  store.sessions.insert(ended({ id: 'short001', logPath: writeLog(dir, 'short.log', ['compiling a.c\r', 'linking', 'done']) }));
  // 1000 lines of exactly 100 bytes in the log: 13-digit stamp, space, 85 characters, newline.
  const long = Array.from({ length: 1000 }, (_, i) => `line ${String(i + 1).padStart(4, '0')} `.padEnd(85, 'x'));
  const longPath = writeLog(dir, 'long.log', long);
  assert.equal(fs.statSync(longPath).size - formatHeader({ command: 'make', startedMs: T0, cwd: '/p' }).length, 100_000);
  store.sessions.insert(ended({ id: 'long0001', startedMs: T0 + 1, logPath: longPath }));
  store.sessions.insert(ended({ id: 'gone0001', startedMs: T0 + 2, logPath: path.join(dir, 'gone.log') }));
  store.sessions.insert(ended({ id: 'none0001', startedMs: T0 + 3, logPath: writeLog(dir, 'none.log', []) }));
  const c = await connect(store);

  assert.equal(await logText(c, 'build://sessions/short001/log'), 'compiling a.c\nlinking\ndone\n');
  assert.equal(await logText(c, 'build://sessions/sho/log'), 'compiling a.c\nlinking\ndone\n', 'a prefix names the session too');
  const shown = Math.floor(LOG_RESOURCE_BYTES / 100);
  assert.equal(shown, 327);
  assert.equal(await logText(c, 'build://sessions/long0001/log'),
    '# the first 673 of 1000 lines are left out (this shows at most the last 32 KB): page through the whole log with build_output\n' +
    long.slice(-shown).map((l) => l + '\n').join(''));
  assert.equal(await logText(c, 'build://sessions/gone0001/log'), `# no log yet (${path.join(dir, 'gone.log')} is missing)\n`);
  assert.equal(await logText(c, 'build://sessions/none0001/log'), '# the build printed nothing\n');
  await assert.rejects(c.client.readResource({ uri: 'build://sessions/zzzz/log' }),
    { code: -32002, message: "MCP error -32002: no session 'zzzz'. Recent sessions: none0001, gone0001, long0001, short001 (see build_list)" });
  await c.close();
  store.close();
});

test('resources/list gives the ten most recent sessions, and a new session is announced once', async () => {
  const store = openStore(tempHome());
  for (let i = 1; i <= 12; i++) store.sessions.insert(ended({ id: `s${String(i).padStart(7, '0')}`, startedMs: T0 + i }));
  const c = await connect(store);
  const listed = await c.client.listResources();
  assert.deepEqual(listed.resources.map((r) => [r.uri, r.name]), Array.from({ length: 10 }, (_, k) => {
    const id = `s${String(12 - k).padStart(7, '0')}`;
    return [`build://sessions/${id}`, `${id} all_j2 succeeded`];
  }));
  await sleep(POLL_MS * 5);
  assert.deepEqual(c.listChanged, [], 'nothing new, nothing announced');
  store.sessions.insert(ended({ id: 'newest01', startedMs: T0 + 100 }));
  await sleep(POLL_MS * 5);
  assert.deepEqual(c.listChanged, [1]);
  await c.close();
  store.close();
});

test('a subscription by prefix is announced when what a reader sees changes, not on every write, and ends with the build', async () => {
  const store = openStore(tempHome());
  const start = Date.now();
  store.sessions.insert(sessionRecord({ id: 'abcd1234', hostname: 'elsewhere', startedMs: start, updatedMs: start, logPath: '/nonexistent.log' }));
  const c = await connect(store);
  await c.client.subscribeResource({ uri: 'build://sessions/abcd' });
  // The runner's estimate fixes the expected end (start + 10 min), so the eta's clock part holds still.
  const progress = (over: Partial<SessionProgress>): SessionProgress =>
    ({ progressPct: 10, lineCount: 5, warningCount: 0, errorCount: 0, lastLine: 'x', liveTotalMs: 600_000, ...over });
  store.sessions.updateProgress('abcd1234', progress({}), start + 1);
  await sleep(POLL_MS * 5);
  assert.deepEqual(c.updated, ['build://sessions/abcd'], 'progress set');
  // Written again with other lines, warnings and memory but the same progress, errors and end: nothing to announce.
  for (let i = 2; i < 6; i++) {
    store.sessions.updateProgress('abcd1234', progress({ lineCount: 5 * i, warningCount: i, lastLine: `line ${i}`, liveResources: { rssBytes: i * 1e6, cpuPct: 50, compilers: 1 } }), start + i);
    await sleep(POLL_MS * 2);
  }
  assert.deepEqual(c.updated, ['build://sessions/abcd']);
  store.sessions.updateProgress('abcd1234', progress({ errorCount: 1 }), start + 10);
  await sleep(POLL_MS * 5);
  assert.equal(c.updated.length, 2, 'an error');
  store.sessions.finish('abcd1234', { status: 'failed', endedMs: start + 20, exitCode: 2, signal: null, message: null }, null, start + 20);
  await sleep(POLL_MS * 5);
  assert.equal(c.updated.length, 3, 'the end');
  store.sessions.setMessage('abcd1234', 'later', start + 30);
  await sleep(POLL_MS * 5);
  assert.deepEqual(c.updated, ['build://sessions/abcd', 'build://sessions/abcd', 'build://sessions/abcd'], 'no longer watched once ended');
  await assert.rejects(c.client.subscribeResource({ uri: 'build://sessions/zz' }),
    { code: -32002, message: "MCP error -32002: no session 'zz'. Recent sessions: abcd1234 (see build_list)" });
  await assert.rejects(c.client.subscribeResource({ uri: 'build://other' }),
    { code: -32002, message: 'MCP error -32002: no resource build://other: subscribe to build://sessions/{id} or build://sessions/{id}/log' });
  await c.close();
  store.close();
});

test('a subscribed log is announced as it grows, at most every fifth check, and at its end', async () => {
  const store = openStore(tempHome());
  const start = Date.now();
  store.sessions.insert(sessionRecord({ id: 'log00001', hostname: 'elsewhere', startedMs: start, updatedMs: start, logPath: '/nonexistent.log' }));
  const c = await connect(store);
  await c.client.subscribeResource({ uri: 'build://sessions/log00001/log' });
  const t = Date.now();
  for (let i = 1; i <= 10; i++) {
    store.sessions.updateProgress('log00001', { progressPct: null, lineCount: i, warningCount: 0, errorCount: 0, lastLine: null }, start + i);
    await sleep(POLL_MS);
  }
  const announced = c.updated.length;
  const spanChecks = (Date.now() - t) / POLL_MS;
  assert.ok(announced >= 1 && announced <= Math.ceil(spanChecks / 5) + 1, `${announced} updates over ${spanChecks} checks`);
  store.sessions.finish('log00001', { status: 'succeeded', endedMs: start + 20, exitCode: 0, signal: null, message: null }, null, start + 20);
  await sleep(POLL_MS * 3);
  assert.equal(c.updated.length, announced + 1);
  assert.ok(c.updated.every((u) => u === 'build://sessions/log00001/log'));
  await c.close();
  store.close();
});
