import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, tempDir, tempHome, writeScript } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';

interface Row { id: string; status: string; history_key: string; exit_code: number | null; duration_ms: number; line_count: number }

function sessions(home: string): Row[] {
  const r = runCli(['sessions', '--json'], { home });
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout.toString()) as Row[]).sort((a, b) => a.id.localeCompare(b.id));
}

test('a corrupt database is refused with the fix, and the logs rebuild it exactly', () => {
  const home = tempHome();
  const dir = tempDir();
  writeScript(dir, 'ok.sh', ['echo one', 'echo two']);
  writeScript(dir, 'bad.sh', ['echo oops', 'exit 4']);
  assert.equal(runCli(['run', '--', './ok.sh'], { home, cwd: dir }).code, 0);
  assert.equal(runCli(['run', '--', './bad.sh'], { home, cwd: dir }).code, 4);
  const before = sessions(home);
  assert.equal(before.length, 2);

  const db = path.join(home, 'buildmon.db');
  for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true });
  fs.writeFileSync(db, 'garbage '.repeat(1000));
  const refused = runCli(['sessions'], { home });
  assert.equal(refused.code, 2);
  assert.equal(refused.stderr.split('\n')[1], `Move it aside (mv '${db}' '${db}.bad') and rebuild it from the logs in ${path.join(home, 'logs')} with: buildmon import`);

  fs.renameSync(db, `${db}.bad`);
  const imported = runCli(['import'], { home });
  assert.equal(imported.code, 0, imported.stderr);
  assert.equal(imported.stdout.toString(), 'imported 2 log(s), 0 already known, 0 unreadable\n');
  const after = sessions(home);
  assert.deepEqual(
    after.map((s) => [s.id, s.status, s.history_key, s.exit_code, s.duration_ms, s.line_count]),
    before.map((s) => [s.id, s.status, s.history_key, s.exit_code, s.duration_ms, s.line_count]),
  );
  assert.equal(runCli(['import'], { home }).stdout.toString(), 'imported 0 log(s), 2 already known, 0 unreadable\n', 'import is idempotent');
});

test('replay records each log before the next, so later logs are predicted from earlier ones', () => {
  const home = tempHome();
  const r = runCli(['replay', '--json', fixture('libuv-make-j2.log'), fixture('libuv-ninja-j2.log'), fixture('libuv-make-j1.log')], { home });
  assert.equal(r.code, 0, r.stderr);
  const out = r.stdout.toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(out.map((o) => [o.history_key, o.duration_ms, o.predicted_ms_at_start, o.recorded]), [
    ['all_j2', 30187, null, 'recorded'],
    ['all_j2', 26774, 30187, 'recorded'], // the make -j2 build, same directory and key
    // No -j1 history yet: the -j2 builds' file times, scheduled onto one job slot.
    ['all_j1', 60241, 60205, 'recorded'],
  ]);
  const again = runCli(['replay', '--json', fixture('libuv-make-j2.log')], { home });
  const j = JSON.parse(again.stdout.toString()) as Record<string, unknown>;
  assert.equal(j.recorded, 'already');
  assert.equal(j.predicted_ms_at_start, null, 'a log is never predicted from itself or later builds');
});
