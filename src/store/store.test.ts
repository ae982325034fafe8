import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from './store.js';
import { BuildmonError } from './errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { sessionRecord } from '../../test/helpers/records.js';
import { tempHome } from '../../test/helpers/cli.js';

test('a new store is created with WAL and the current schema', () => {
  const home = tempHome();
  const store = openStore(home);
  assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(store.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  assert.ok(fs.statSync(path.join(home, 'logs')).isDirectory());
  store.close();
});

test('sessions round-trip, finish once, and history is per project and key', () => {
  const store = openStore(tempHome());
  const s = store.sessions;
  s.insert(sessionRecord({ id: 'a', startedMs: 1000 }));
  s.insert(sessionRecord({ id: 'b', startedMs: 5000 }));
  s.insert(sessionRecord({ id: 'c', startedMs: 9000, projectDir: '/other' }));
  s.insert(sessionRecord({ id: 'd', startedMs: 9500, historyKey: 'all_j1', jobs: 1 }));
  assert.equal(s.finish('a', { status: 'succeeded', endedMs: 4000, exitCode: 0, signal: null, message: null }, null, 4000), true);
  assert.equal(s.finish('a', { status: 'failed', endedMs: 4500, exitCode: 2, signal: null, message: null }, null, 4500), false);
  s.finish('b', { status: 'succeeded', endedMs: 7000, exitCode: 0, signal: null, message: null }, null, 7000);
  s.finish('c', { status: 'succeeded', endedMs: 10000, exitCode: 0, signal: null, message: null }, null, 10000);
  s.finish('d', { status: 'succeeded', endedMs: 12000, exitCode: 0, signal: null, message: null }, null, 12000);
  assert.deepEqual(s.get('a')?.command, ['make', '-j2']);
  assert.equal(s.get('a')?.status, 'succeeded');
  assert.deepEqual(s.history('/p/build', 'all_j2', 1e12).map((h) => [h.sessionId, h.durationMs]), [['b', 2000], ['a', 3000]]);
  assert.deepEqual(s.history('/p/build', 'all_j2', 6000).map((h) => h.sessionId), ['a'], 'only builds that ended before');
  assert.deepEqual(s.findByPrefix('b').map((x) => x.id), ['b']);
  assert.deepEqual(s.list({ activeOnly: true }), []);
  store.close();
});

test('the live reading keeps the peak RSS so far; a flush without a reading keeps the last one', () => {
  const store = openStore(tempHome());
  const s = store.sessions;
  s.insert(sessionRecord({ id: 'a', startedMs: 1000, status: 'running', endedMs: null, exitCode: null }));
  const progress = { progressPct: 10, lineCount: 3, warningCount: 0, errorCount: 0, lastLine: 'x' };
  s.updateProgress('a', { ...progress, liveResources: { rssBytes: 300e6, cpuPct: 150, compilers: 2, peakRssBytes: 450e6 } }, 2000);
  assert.deepEqual(s.get('a')?.liveResources, { rssBytes: 300e6, cpuPct: 150, compilers: 2, peakRssBytes: 450e6 });
  s.updateProgress('a', { ...progress, liveResources: null }, 3000);
  assert.deepEqual(s.get('a')?.liveResources, { rssBytes: 300e6, cpuPct: 150, compilers: 2, peakRssBytes: 450e6 });
  store.close();
});

test('two connections, as two processes hold, read and write the same store at once (WAL, busy timeout)', () => {
  const home = tempHome();
  const one = openStore(home);
  const two = openStore(home);
  one.sessions.insert(sessionRecord({ id: 'x' }));
  assert.equal(two.sessions.get('x')?.id, 'x');
  one.close();
  two.close();
});

test('a corrupt database gives a clear error naming the file and the fix', () => {
  const home = tempHome();
  fs.writeFileSync(path.join(home, 'buildmon.db'), Buffer.from('this is not a database at all, just bytes'.repeat(200)));
  assert.throws(() => openStore(home), (err: unknown) => {
    assert.ok(err instanceof BuildmonError);
    assert.equal(err.code, 'db-corrupt');
    assert.match(err.message, new RegExp(`cannot use the database ${path.join(home, 'buildmon.db').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    assert.match(err.message, /buildmon import/);
    return true;
  });
});

test('a database from a newer buildmon is refused, not modified', () => {
  const home = tempHome();
  const dbPath = path.join(home, 'buildmon.db');
  const raw = new Database(dbPath);
  raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
  raw.close();
  assert.throws(() => openStore(home), (err: unknown) => err instanceof BuildmonError && err.code === 'db-too-new' && err.message.includes(`schema v${SCHEMA_VERSION + 5}`));
  const again = new Database(dbPath);
  assert.equal(again.pragma('user_version', { simple: true }), SCHEMA_VERSION + 5);
  again.close();
});

test('a database whose tables do not match its schema version is refused with the way out, and left as it was', () => {
  const home = tempHome();
  const dbPath = path.join(home, 'buildmon.db');
  const raw = new Database(dbPath);
  // Version 1 by its number, but already holding a column of version 2.
  raw.exec(MIGRATIONS[0] as string);
  raw.exec('ALTER TABLE sessions ADD COLUMN build_start TEXT');
  raw.pragma('user_version = 1');
  raw.close();
  assert.throws(() => openStore(home), (err: unknown) => {
    assert.ok(err instanceof BuildmonError);
    assert.equal(err.code, 'db-migration');
    assert.equal(err.message, `cannot bring the database ${dbPath} from schema v1 to v2: duplicate column name: build_start ` +
      `(its tables do not match schema v1; it was left unchanged).\n` +
      `Move it aside (mv '${dbPath}' '${dbPath}.bad') and rebuild it from the logs in ${path.join(home, 'logs')} with: buildmon import`);
    return true;
  });
  const again = new Database(dbPath);
  assert.equal(again.pragma('user_version', { simple: true }), 1);
  again.close();
});

test('a database of schema v1 is migrated in place, keeping its sessions', () => {
  const home = tempHome();
  const raw = new Database(path.join(home, 'buildmon.db'));
  raw.exec(MIGRATIONS[0] as string);
  raw.pragma('user_version = 1');
  raw.prepare(`INSERT INTO sessions (id, command, cwd, project_dir, tool, target, targets, jobs, history_key, hostname, cores,
      mem_bytes, started_ms, status, log_path, updated_ms) VALUES ('old1', '["make"]', '/p', '/p', 'make', 'all', '["all"]', 1,
      'all_j1', 'h', 2, 1, 1000, 'succeeded', '/l', 1000)`).run();
  raw.close();
  const store = openStore(home);
  assert.equal(store.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  const s = store.sessions.get('old1');
  assert.deepEqual([s?.historyKey, s?.buildStart, store.sessions.isCancelRequested('old1')], ['all_j1', null, false]);
  store.close();
});
