import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cliEnv, exited, logBody, logHeader, runCli, showJson, startCli, tempDir, tempHome, waitFor } from '../helpers/cli.js';
import { openStore } from '../../src/store/store.js';
import { requestCancel, startSession } from '../../src/run/session-manager.js';
import { processGroupMembers } from '../../src/run/proc.js';
import Database from 'better-sqlite3';

/**
 * A make project whose two jobs print a line every 200 ms for `seconds`, then finish. The jobs
 * survive a closed output pipe, and with `ignoreTerm` they ignore TERM too, so only buildmon's
 * own stopping can end them early.
 */
function slowProject(seconds: number, ignoreTerm = false): string {
  const dir = tempDir('buildmon-slow-');
  const ticks = Math.round(seconds * 5);
  const traps = `trap '' PIPE;${ignoreTerm ? " trap '' TERM;" : ''}`;
  const job = (name: string): string =>
    `${name}:\n\t@: ${dir}; ${traps} i=0; while [ $$i -lt ${ticks} ]; do echo "${name} tick $$i" || true; i=$$((i+1)); sleep 0.2; done\n`;
  fs.writeFileSync(path.join(dir, 'Makefile'), `all: a b\n\t@echo done\n${job('a')}${job('b')}.PHONY: all a b\n`);
  return dir;
}

function session(home: string, id: string): Record<string, unknown> {
  return showJson(home, id);
}

async function startDetached(home: string, cwd: string, argv: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const r = runCli(['run', '--detach', '--', ...argv], { home, cwd, env });
  assert.equal(r.code, 0, r.stderr);
  const id = r.stdout.toString('utf8').trim();
  assert.match(id, /^[0-9a-z]{8}$/);
  await waitFor('the build to start', () => session(home, id).status === 'running');
  return id;
}

/** Pids of processes whose command line mentions `marker` (the build's own processes). */
function processesMentioning(marker: string): number[] {
  const out: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmd.includes(marker) && Number(name) !== process.pid) out.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return out;
}

test('killing the asking process does not stop the build; it completes and is recorded', { timeout: 60_000 }, async () => {
  const home = tempHome();
  const dir = slowProject(2);
  const cli = startCli(['run', '--', 'make', '-C', dir, '-j2'], { home, cwd: dir });
  let firstOutput = '';
  await waitFor('the first output line', () => {
    firstOutput += cli.stdout?.read()?.toString() ?? '';
    return firstOutput.includes('tick');
  });
  cli.kill('SIGKILL');
  await exited(cli);
  const id = (JSON.parse(runCli(['sessions', '--json'], { home }).stdout.toString()) as Array<{ id: string }>)[0]?.id as string;
  const s = await waitFor('the build to finish', () => {
    const x = session(home, id);
    return x.status !== 'running' ? x : null;
  });
  assert.equal(s.status, 'succeeded');
  assert.equal(s.exit_code, 0);
  const lines = logBody(s.log_path as string).text.toString().split('\n').filter(Boolean);
  assert.equal(lines.filter((l) => l.startsWith('a tick')).length, 10);
  assert.equal(lines.filter((l) => l.startsWith('b tick')).length, 10);
  assert.deepEqual(lines.slice(-2), ['done', `make: Leaving directory '${dir}'`]);
});

test('killing the runner marks the session lost, keeps its output and stops its build', { timeout: 60_000 }, async () => {
  const home = tempHome();
  const dir = slowProject(30);
  const id = await startDetached(home, dir, ['make', '-C', dir, '-j2']);
  await waitFor('some output', () => (session(home, id).line_count as number) >= 4 || logBody(session(home, id).log_path as string).stamps.length >= 4);
  const runnerPid = rawRow(home, id).runner_pid;
  process.kill(runnerPid, 'SIGKILL');
  await waitFor('the runner to die', () => !fs.existsSync(`/proc/${runnerPid}`) || fs.readFileSync(`/proc/${runnerPid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z'));
  const s = session(home, id); // any command reconciles
  assert.equal(s.status, 'lost');
  assert.match(s.message as string, /runner process \(pid \d+\) died/);
  const body = logBody(s.log_path as string);
  assert.ok(body.stamps.length >= 4);
  assert.equal(s.ended_ms, body.stamps.at(-1), 'ended at the last recorded line');
  assert.equal(logHeader(s.log_path as string).status, 'lost');
  await waitFor('no build process left', () => processesMentioning(dir).length === 0, 10_000);
});

test('cancel stops the whole process tree and records cancelled', { timeout: 60_000 }, async () => {
  const home = tempHome();
  const dir = slowProject(30);
  const id = await startDetached(home, dir, ['make', '-C', dir, '-j2']);
  const pgid = rawRow(home, id).build_pid;
  await waitFor('make and its two job shells', () => processGroupMembers(pgid).length >= 3, 10_000);
  const r = runCli(['cancel', id, '--wait'], { home });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString(), `cancelling ${id}\n${id}: cancelled\n`);
  const s = session(home, id);
  assert.equal(s.status, 'cancelled');
  assert.deepEqual(processGroupMembers(pgid), []);
  assert.deepEqual(processesMentioning(dir), []);
  assert.equal(logHeader(s.log_path as string).status, 'cancelled');
  const again = runCli(['cancel', id], { home });
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already ended \(cancelled\)/);
});

test('a build that ignores TERM is killed after the grace period', { timeout: 60_000 }, async () => {
  const home = tempHome();
  const dir = slowProject(30, true);
  const id = await startDetached(home, dir, ['make', '-C', dir, '-j2'], { BUILDMON_KILL_GRACE_MS: '1500' });
  const pgid = rawRow(home, id).build_pid;
  await waitFor('make and its two job shells', () => processGroupMembers(pgid).length >= 3, 10_000);
  const before = Date.now();
  const r = runCli(['cancel', id, '--wait'], { home });
  const tookMs = Date.now() - before;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(session(home, id).status, 'cancelled');
  assert.ok(tookMs >= 1500, `the jobs outlived TERM until KILL (${tookMs} ms)`);
  assert.deepEqual(processesMentioning(dir), []);
});

test('Ctrl-C in run cancels the build and exits 130', { timeout: 60_000 }, async () => {
  const home = tempHome();
  const dir = slowProject(30);
  const cli = startCli(['run', '--', 'make', '-C', dir, '-j2'], { home, cwd: dir });
  let out = '';
  await waitFor('output', () => {
    out += cli.stdout?.read()?.toString() ?? '';
    return out.includes('tick');
  });
  cli.kill('SIGINT');
  const { code } = await exited(cli);
  assert.equal(code, 130);
  const id = (JSON.parse(runCli(['sessions', '--json'], { home }).stdout.toString()) as Array<{ id: string; status: string }>)[0];
  assert.equal(id?.status, 'cancelled');
  assert.deepEqual(processesMentioning(dir), []);
});

function rawRow(home: string, id: string): { runner_pid: number; build_pid: number } {
  // The CLI does not print pids; read them from the store directly.
  const db = new Database(path.join(home, 'buildmon.db'), { readonly: true });
  try {
    return db.prepare('SELECT runner_pid, build_pid FROM sessions WHERE id = ?').get(id) as { runner_pid: number; build_pid: number };
  } finally {
    db.close();
  }
}

test('a cancel that arrives while the runner is still starting is recorded as cancelled', { timeout: 60_000 }, async () => {
  const home = tempHome();
  const dir = slowProject(30);
  const store = openStore(home);
  try {
    // In-process, as an MCP server would: the cancel comes a few milliseconds after the start.
    const { session } = await startSession(store, { argv: ['make', '-C', dir, '-j2'], cwd: dir, env: cliEnv(home) });
    assert.equal(requestCancel(store, session), 'requested');
    const end = await waitFor('the end', () => {
      const s = store.sessions.get(session.id);
      return s && s.status !== 'starting' && s.status !== 'running' ? s : null;
    }, 30_000);
    assert.equal(end.status, 'cancelled');
    assert.deepEqual(processesMentioning(dir), []);
  } finally {
    store.close();
  }
});

test('cancel also stops processes that left the build\'s process group', { timeout: 60_000 }, async () => {
  const home = tempHome();
  const dir = tempDir('buildmon-escape-');
  // The job starts a process in a session of its own (as daemons and some test runners do), then waits.
  fs.writeFileSync(path.join(dir, 'Makefile'), `all:\n\t@setsid sh -c ': ${dir}; sleep 300' & echo started; sleep 300\n`);
  const id = await startDetached(home, dir, ['make', '-C', dir]);
  await waitFor('the escaped process', () => processesMentioning(`: ${dir}; sleep 300`).length >= 1, 10_000);
  const r = runCli(['cancel', id, '--wait'], { home });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(session(home, id).status, 'cancelled');
  await waitFor('nothing of the build left', () => processesMentioning(dir).length === 0, 5_000);
});

test('a build directory reached through a symlink is recorded under its real path, one history for both', () => {
  const home = tempHome();
  const real = fs.realpathSync(tempDir());
  fs.writeFileSync(path.join(real, 'Makefile'), 'all:\n\t@echo built\n');
  const link = path.join(fs.realpathSync(tempDir()), 'link');
  fs.symlinkSync(real, link);
  const viaLink = runCli(['run', '--', 'make', '-C', link], { home });
  const direct = runCli(['run', '--', 'make'], { home, cwd: real });
  assert.deepEqual([viaLink.code, direct.code], [0, 0], viaLink.stderr + direct.stderr);
  const history = JSON.parse(runCli(['history', '--json'], { home }).stdout.toString('utf8')) as { project_dir: string; history_key: string; builds: number }[];
  assert.deepEqual(history.map((h) => [h.project_dir, h.history_key, h.builds]), [[real, 'all_j1', 2]]);
});
