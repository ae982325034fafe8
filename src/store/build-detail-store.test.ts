import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { PackageState } from '../core/packages/package-state.js';
import { openStore, type Store } from './store.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import type { DiagnosticRecord } from './build-detail-store.js';
import { sessionRecord } from '../../test/helpers/records.js';
import { tempHome } from '../../test/helpers/cli.js';

function pkg(name: string, over: Partial<PackageState> = {}): PackageState {
  return {
    name, status: 'completed', reason: null, current_files: [], files_done: 2, files_total: 2, progress_pct: 100,
    elapsed_ms: 1000, started_ms: 1000, ended_ms: 2000, depends_on: [], errors: 0, warnings: 0, ...over,
  };
}

function withStore(fn: (store: Store) => void): void {
  const store = openStore(tempHome());
  try {
    fn(store);
  } finally {
    store.close();
  }
}

const SYNTAX: DiagnosticRecord = {
  severity: 'error', tool: 'compiler', file: '/src/p/src/packages/db/db.cc', line: 42, column: 17,
  message: "expected ';' before '}' token", package: 'package_db', category: 'syntax',
  text: "/src/p/src/packages/db/db.cc:42:17: error: expected ';' before '}' token\n   42 | int f() { return 1 }\n      |                 ^", atMs: 1500,
};
const UNDEFINED: DiagnosticRecord = {
  severity: 'error', tool: 'linker', file: 'zstdcli.c', line: null, column: null,
  message: "undefined reference to `ZSTD_injectedMissingSymbol'", package: 'zstd', category: 'undefined-reference',
  text: "zstdcli.c:(.text.startup+0x8a): undefined reference to `ZSTD_injectedMissingSymbol'", atMs: 1900,
};
const UNUSED: DiagnosticRecord = {
  severity: 'warning', tool: 'compiler', file: 'a.c', line: 3, column: 7, message: "unused variable 'x' [-Wunused-variable]",
  package: null, category: 'warning', text: "a.c:3:7: warning: unused variable 'x' [-Wunused-variable]", atMs: 1200,
};

test('saveOutcome round trip: packages JSON, package runs, file runs and every diagnostic field', () => withStore((store) => {
  store.sessions.insert(sessionRecord({ id: 'a' }));
  const packages = [
    pkg('package_core', { depends_on: ['autogen'], warnings: 1 }),
    pkg('package_db', { status: 'failed', reason: null, files_done: 1, files_total: 3, progress_pct: 33, ended_ms: 1600, elapsed_ms: 600, errors: 1 }),
  ];
  const files = [
    { package: 'package_core', source: 'src/packages/core/core.cc', startedMs: 1000, endedMs: 1400 },
    { package: 'package_core', source: 'src/packages/core/core_efuns.cc', startedMs: 1100, endedMs: null },
  ];
  store.details.saveOutcome('a', { packages, files, diagnostics: [UNUSED, SYNTAX, UNDEFINED] });
  assert.deepEqual(store.details.packages('a'), packages);
  assert.deepEqual(store.details.fileRuns('a'), files.map((f) => ({ ...f, exact: false })));
  assert.deepEqual(store.details.diagnostics('a'), [UNUSED, SYNTAX, UNDEFINED]);
  assert.deepEqual(store.details.diagnostics('a', 2), [UNUSED, SYNTAX], 'the limit keeps the first in order');
  const runs = store.db.prepare('SELECT * FROM package_runs WHERE session_id = ? ORDER BY package').all('a');
  assert.deepEqual(runs, [
    { session_id: 'a', package: 'package_core', status: 'completed', started_ms: 1000, ended_ms: 2000, files_done: 2, files_total: 2, errors: 0, warnings: 1 },
    { session_id: 'a', package: 'package_db', status: 'failed', started_ms: 1000, ended_ms: 1600, files_done: 1, files_total: 3, errors: 1, warnings: 0 },
  ]);
  const seqs = store.db.prepare('SELECT seq, at_ms, col FROM diagnostics WHERE session_id = ? ORDER BY seq').all('a');
  assert.deepEqual(seqs, [{ seq: 0, at_ms: 1200, col: 7 }, { seq: 1, at_ms: 1500, col: 17 }, { seq: 2, at_ms: 1900, col: null }]);
}));

test('saving an outcome twice replaces the first, and leaves other sessions alone', () => withStore((store) => {
  store.sessions.insert(sessionRecord({ id: 'a' }));
  store.sessions.insert(sessionRecord({ id: 'b', startedMs: 3000 }));
  const other = { packages: [pkg('x')], files: [{ package: 'x', source: 'x.c', startedMs: 3000, endedMs: 3100 }], diagnostics: [UNUSED] };
  store.details.saveOutcome('b', other);
  store.details.saveOutcome('a', {
    packages: [pkg('package_core'), pkg('package_db')],
    files: [{ package: 'package_core', source: 'core.cc', startedMs: 1000, endedMs: 1200 }],
    diagnostics: [SYNTAX, UNDEFINED],
  });
  const second = { packages: [pkg('package_db', { files_done: 5 })], files: [], diagnostics: [UNDEFINED] };
  store.details.saveOutcome('a', second);
  assert.deepEqual(store.details.packages('a'), second.packages);
  assert.deepEqual(store.details.fileRuns('a'), []);
  assert.deepEqual(store.details.diagnostics('a'), [UNDEFINED]);
  assert.deepEqual(store.db.prepare('SELECT package, files_done FROM package_runs WHERE session_id = ?').all('a'), [{ package: 'package_db', files_done: 5 }]);
  assert.deepEqual(store.details.packages('b'), other.packages);
  assert.deepEqual(store.details.fileRuns('b'), [{ package: 'x', source: 'x.c', startedMs: 3000, endedMs: 3100, exact: false }]);
  assert.deepEqual(store.details.diagnostics('b'), [UNUSED]);
}));

test('replaceFileRunsExact replaces the inferred file times with exact ones', () => withStore((store) => {
  store.sessions.insert(sessionRecord({ id: 'a' }));
  store.sessions.insert(sessionRecord({ id: 'b' }));
  store.details.saveOutcome('a', { packages: [], files: [{ package: 'fmt', source: 'src/os.cc', startedMs: null, endedMs: 1450 }], diagnostics: [] });
  store.details.saveOutcome('b', { packages: [], files: [{ package: 'y', source: 'y.c', startedMs: 1, endedMs: 2 }], diagnostics: [] });
  store.details.replaceFileRunsExact('a', [
    { package: 'fmt', source: 'src/format.cc', startedMs: 1002, endedMs: 4294 },
    { package: 'fmt', source: 'src/os.cc', startedMs: 1003, endedMs: 1452 },
    { package: null, source: 'orphan.cc', startedMs: 1500, endedMs: 1600 },
  ]);
  assert.deepEqual(store.details.fileRuns('a'), [
    { package: 'fmt', source: 'src/format.cc', startedMs: 1002, endedMs: 4294, exact: true },
    { package: 'fmt', source: 'src/os.cc', startedMs: 1003, endedMs: 1452, exact: true },
    { package: null, source: 'orphan.cc', startedMs: 1500, endedMs: 1600, exact: true },
  ]);
  assert.deepEqual(store.details.fileRuns('b'), [{ package: 'y', source: 'y.c', startedMs: 1, endedMs: 2, exact: false }]);
}));

test('packageHistory: mean duration and file count per package, from completed runs of this project only', () => withStore((store) => {
  const project = '/p/build';
  // Inserted out of start order: "last" follows the build's start time, not the insertion order.
  store.sessions.insert(sessionRecord({ id: 'late', startedMs: 50_000 }));
  store.sessions.insert(sessionRecord({ id: 'early', startedMs: 10_000 }));
  store.sessions.insert(sessionRecord({ id: 'middle', startedMs: 30_000 }));
  store.sessions.insert(sessionRecord({ id: 'elsewhere', startedMs: 60_000, projectDir: '/other/build' }));
  store.details.saveOutcome('early', { packages: [
    pkg('core', { started_ms: 10_000, ended_ms: 14_000, files_done: 4 }),
    pkg('net', { started_ms: 10_500, ended_ms: 11_500, files_done: 2 }),
  ], files: [], diagnostics: [] });
  store.details.saveOutcome('middle', { packages: [
    pkg('core', { started_ms: 30_000, ended_ms: 36_000, files_done: 5 }),
    pkg('net', { status: 'failed', started_ms: 30_000, ended_ms: 90_000, files_done: 9 }),
    pkg('gen', { status: 'queued', started_ms: null, ended_ms: null, files_done: 0 }),
  ], files: [], diagnostics: [] });
  store.details.saveOutcome('late', { packages: [
    // Up to date: no file compiled, so the last count stays that of the build before.
    pkg('core', { started_ms: 50_000, ended_ms: 52_000, files_done: 0 }),
    pkg('net', { started_ms: 50_000, ended_ms: 52_000, files_done: 3 }),
    pkg('gen', { started_ms: null, ended_ms: null, files_done: 0, reason: 'up to date' }),
  ], files: [], diagnostics: [] });
  store.details.saveOutcome('elsewhere', { packages: [
    pkg('core', { started_ms: 60_000, ended_ms: 160_000, files_done: 99 }),
    pkg('other', { started_ms: 60_000, ended_ms: 61_000, files_done: 1 }),
  ], files: [], diagnostics: [] });
  const history = store.details.packageHistory(project);
  assert.deepEqual([...history.entries()].sort(), [
    ['core', { package: 'core', lastFiles: 5, avgMs: 4000, runs: 3 }],
    ['net', { package: 'net', lastFiles: 3, avgMs: 1500, runs: 2 }],
  ]);
  assert.deepEqual([...store.details.packageHistory('/other/build').entries()].sort(), [
    ['core', { package: 'core', lastFiles: 99, avgMs: 100_000, runs: 1 }],
    ['other', { package: 'other', lastFiles: 1, avgMs: 1000, runs: 1 }],
  ]);
  assert.equal(store.details.packageHistory('/nowhere').size, 0);
}));

test('rememberProjectPackages replaces what a project knew; projectPackages reads it back sorted', () => withStore((store) => {
  store.details.rememberProjectPackages('/mk', [
    { name: 'zlib', kind: 'directory', filesTotal: 3, dependsOn: ['core'] },
    { name: 'core', kind: 'directory', filesTotal: 2, dependsOn: [] },
    { name: 'old', kind: 'directory', filesTotal: null, dependsOn: [] },
  ], 'learned', 1000);
  store.details.rememberProjectPackages('/other', [{ name: 'app', kind: 'executable', filesTotal: 1, dependsOn: [] }], 'learned', 1000);
  store.details.rememberProjectPackages('/mk', [
    { name: 'zlib', kind: 'directory', filesTotal: 4, dependsOn: ['core', 'util'] },
    { name: 'core', kind: 'directory', filesTotal: 2, dependsOn: [] },
    { name: 'util', kind: 'static', filesTotal: null, dependsOn: [] },
  ], 'learned', 2000);
  assert.deepEqual(store.details.projectPackages('/mk'), [
    { name: 'core', kind: 'directory', dir: null, artifacts: [], dependsOn: [], filesTotal: 2 },
    { name: 'util', kind: 'static', dir: null, artifacts: [], dependsOn: [], filesTotal: null },
    { name: 'zlib', kind: 'directory', dir: null, artifacts: [], dependsOn: ['core', 'util'], filesTotal: 4 },
  ]);
  assert.deepEqual(store.details.projectPackages('/other'), [
    { name: 'app', kind: 'executable', dir: null, artifacts: [], dependsOn: [], filesTotal: 1 },
  ]);
  assert.deepEqual(store.db.prepare("SELECT DISTINCT source, updated_ms FROM project_packages WHERE project_dir = '/mk'").all(), [{ source: 'learned', updated_ms: 2000 }]);
  assert.deepEqual(store.details.projectPackages('/unknown'), []);
  // A damaged depends_on reads as no dependencies, not as an error.
  store.db.prepare("UPDATE project_packages SET depends_on = '{not json' WHERE name = 'zlib'").run();
  store.db.prepare("UPDATE project_packages SET depends_on = '[\"core\", 7, null]' WHERE name = 'util'").run();
  assert.deepEqual(store.details.projectPackages('/mk').map((p) => [p.name, p.dependsOn]), [['core', []], ['util', ['core']], ['zlib', []]]);
}));

test('setLivePackages / packages: the live state, [] when none, unknown or corrupt', () => withStore((store) => {
  store.sessions.insert(sessionRecord({ id: 'a' }));
  assert.deepEqual(store.details.packages('a'), [], 'nothing written yet');
  assert.deepEqual(store.details.packages('no-such-session'), []);
  const live = [pkg('core', { status: 'compiling', current_files: ['core.cc'], progress_pct: 50, files_done: 1, ended_ms: null })];
  store.details.setLivePackages('a', live);
  assert.deepEqual(store.details.packages('a'), live);
  const later = [pkg('core'), pkg('net', { status: 'queued', reason: 'waiting for core', started_ms: null, ended_ms: null, elapsed_ms: null })];
  store.details.setLivePackages('a', later);
  assert.deepEqual(store.details.packages('a'), later);
  assert.deepEqual(store.details.fileRuns('a'), [], 'live state touches only the session row');
  for (const corrupt of ['{"name":', '{"name":"core"}', '42', '']) {
    store.db.prepare('UPDATE sessions SET packages_json = ? WHERE id = ?').run(corrupt, 'a');
    assert.deepEqual(store.details.packages('a'), [], `packages_json ${JSON.stringify(corrupt)}`);
  }
}));

test('a v2 database migrates to v3 keeping its sessions; the new tables work on the old row', () => {
  const home = tempHome();
  const raw = new Database(path.join(home, 'buildmon.db'));
  raw.exec(MIGRATIONS[0] as string);
  raw.exec(MIGRATIONS[1] as string);
  raw.pragma('user_version = 2');
  raw.prepare(`INSERT INTO sessions (id, command, cwd, project_dir, tool, target, targets, jobs, history_key, hostname, cores,
      mem_bytes, started_ms, ended_ms, exit_code, status, log_path, build_start, cancel_requested, updated_ms)
      VALUES ('v2old', '["make","-j2"]', '/p/build', '/p/build', 'make', 'all', '["all"]', 2, 'all_j2', 'h', 2, 1, 1000, 5000, 0,
      'succeeded', '/l/v2old.log', '123', 0, 5000)`).run();
  raw.close();
  const store = openStore(home);
  try {
    assert.ok(SCHEMA_VERSION >= 3);
    assert.equal(store.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    const s = store.sessions.get('v2old');
    assert.deepEqual([s?.command, s?.historyKey, s?.status, s?.startedMs, s?.endedMs, s?.buildStart], [['make', '-j2'], 'all_j2', 'succeeded', 1000, 5000, '123']);
    assert.deepEqual(store.db.prepare('SELECT packages_json FROM sessions WHERE id = ?').get('v2old'), { packages_json: null });
    assert.deepEqual(store.details.packages('v2old'), []);
    assert.deepEqual(store.details.fileRuns('v2old'), []);
    assert.deepEqual(store.details.diagnostics('v2old'), []);
    store.details.saveOutcome('v2old', { packages: [pkg('core', { started_ms: 1000, ended_ms: 3000 })], files: [], diagnostics: [SYNTAX] });
    assert.deepEqual([...store.details.packageHistory('/p/build').values()], [{ package: 'core', lastFiles: 2, avgMs: 2000, runs: 1 }]);
    assert.deepEqual(store.details.diagnostics('v2old'), [SYNTAX]);
  } finally {
    store.close();
  }
});

test('packageHistory: an incremental build does not shrink a package to the files it recompiled', () => withStore((store) => {
  const counts = [4, 1, 1, 2, 1, 1, 1];
  counts.forEach((files, i) => {
    const id = `b${i}`;
    store.sessions.insert(sessionRecord({ id, startedMs: 10_000 * (i + 1) }));
    store.details.saveOutcome(id, { packages: [pkg('core', { started_ms: 10_000 * (i + 1), ended_ms: 10_000 * (i + 1) + 500, files_done: files })], files: [], diagnostics: [] });
  });
  // The most of the last five builds: the full build of four files has aged out, the build of two has not.
  assert.equal(store.details.packageHistory('/p/build').get('core')?.lastFiles, 2);
}));
