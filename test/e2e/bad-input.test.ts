import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, cliEnv, logBody, logStreams, runCli, showJson, tempDir, tempHome, waitFor, writeScript } from '../helpers/cli.js';

function lastSession(home: string): Record<string, unknown> {
  const list = JSON.parse(runCli(['sessions', '--json'], { home }).stdout.toString()) as Array<{ id: string }>;
  return showJson(home, list[0]?.id as string);
}

function sessionCount(home: string): number {
  return (JSON.parse(runCli(['sessions', '--json'], { home }).stdout.toString()) as unknown[]).length;
}


test('refusals: each says what is wrong, exits non-zero, and records nothing', () => {
  const home = tempHome();
  const rows: Array<[string[], number, RegExp]> = [
    [['run', '--', 'mkae', '-j2'], 127, /command not found: 'mkae' \(searched PATH\)/],
    [['run', '--', './no-such-script.sh'], 127, /cannot run '\.\/no-such-script\.sh': no such file/],
    [['run', '--'], 2, /no build command given\. Usage: buildmon run -- make -j4/],
    [['run'], 2, /no build command given/],
    [['run', '--cwd', '/definitely/not/here', '--', 'make'], 2, /working directory does not exist: \/definitely\/not\/here/],
    [['run', '--', 'make', '-j', '0'], 2, /job count must be a positive integer, got '0'/],
    [['run', '--', 'make', '--jobs=0'], 2, /job count must be a positive integer, got '0'/],
    [['run', '--bogus', 'make'], 2, /run: unknown option '--bogus'/],
    [['frobnicate'], 2, /unknown command 'frobnicate'\. Commands: run, sessions/],
    [['show', 'zzzzzzzz'], 2, /no session 'zzzzzzzz'\. Recent sessions: none/],
    [['replay'], 2, /replay: give at least one log FILE/],
    [['replay', '--jobs', '0', 'x.log'], 2, /--jobs must be a positive integer, got '0'/],
    [['history', '--nope'], 2, /history: Unknown option '--nope'/],
  ];
  for (const [args, code, message] of rows) {
    const r = runCli(args, { home });
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
  }
  assert.equal(sessionCount(home), 0);
});

test('a build that prints binary garbage, carriage returns and a 10 MB line is recorded byte for byte', () => {
  const home = tempHome();
  const dir = tempDir();
  const script = writeScript(dir, 'build.sh', [
    "printf 'start\\n'",
    "printf 'bin \\377\\376\\000\\001 end\\n'",
    "printf 'progress 10%%\\r50%%\\r100%%\\r\\n'",
    "head -c 10485760 /dev/zero | tr '\\0' 'x'",
    "printf '\\n'",
    "printf 'build.c:1:1: error: something broke\\n' >&2",
    "printf 'no newline at the end'",
    'exit 3',
  ]);
  const r = runCli(['run', '--', script], { home, cwd: dir });
  assert.equal(r.code, 3);
  const s = lastSession(home);
  assert.equal(s.status, 'failed');
  assert.equal(s.exit_code, 3);
  assert.equal(s.history_key, 'all', 'an unknown tool has no job count');
  const body = logBody(s.log_path as string);
  const streams = logStreams(s.log_path as string);
  // Compared with equals(): a failing deepEqual would render a 10 MB diff.
  assert.ok(streams.out.equals(r.stdout), `what was printed on stdout is what was recorded, byte for byte (${streams.out.length} vs ${r.stdout.length} bytes)`);
  assert.equal(r.stderr.split('\n')[0], 'build.c:1:1: error: something broke', 'stderr stays stderr');
  assert.equal(streams.err.toString(), 'build.c:1:1: error: something broke\n');
  const lines = body.text.toString('latin1').split('\n');
  assert.equal(lines[1], 'bin \xff\xfe\x00\x01 end');
  assert.equal(lines[2], 'progress 10%\r50%\r100%\r');
  assert.equal(lines[3]?.length, 10 * 1024 * 1024);
  assert.equal(lines[5], 'no newline at the end');
  assert.ok(r.stdout.toString('latin1').endsWith('\nno newline at the end'), 'no newline is added where the build printed none');
  assert.equal(s.line_count, 6);
  assert.equal(s.error_count, 1);
  // The log replays without complaint.
  const replay = runCli(['replay', '--json', '--no-record', s.log_path as string], { home });
  const j = JSON.parse(replay.stdout.toString()) as Record<string, unknown>;
  assert.deepEqual([j.line_count, j.error_count, j.problems, j.exit_code], [6, 1, 0, 3]);
});

test('a build killed by a signal, and one silent for seconds, are recorded faithfully', () => {
  const home = tempHome();
  const dir = tempDir();
  const killed = writeScript(dir, 'killed.sh', ['echo before', 'kill -9 $$']);
  const r = runCli(['run', '--', killed], { home, cwd: dir });
  assert.equal(r.code, 137);
  const s = lastSession(home);
  assert.deepEqual([s.status, s.exit_code, s.signal, s.message], ['failed', null, 'SIGKILL', 'killed by SIGKILL']);
  assert.match(r.stderr, /failed in/);

  const silent = writeScript(dir, 'silent.sh', ['echo a', 'sleep 3', 'echo b']);
  const q = runCli(['run', '--', silent], { home, cwd: dir });
  assert.equal(q.code, 0);
  const t = lastSession(home);
  const stamps = logBody(t.log_path as string).stamps;
  assert.equal(stamps.length, 2);
  assert.ok((stamps[1] as number) - (stamps[0] as number) >= 2900, 'each line is stamped when it arrived');
  assert.ok((t.duration_ms as number) >= 3000);
});

test('replay reads garbage, invalid UTF-8, moreutils and ISO stamps, and says what it could not read', () => {
  const home = tempHome();
  const dir = tempDir();
  const file = path.join(dir, 'ci.log');
  fs.writeFileSync(file, Buffer.concat([
    Buffer.from('1795995639.974123 [ 10%] Building C object CMakeFiles/a.dir/a.c.o\n'),
    Buffer.from('2026-11-29T14:30:00.5Z [ 50%] Building C object CMakeFiles/a.dir/b.c.o\n'),
    Buffer.from('garbage line without a stamp \xff\xfe\n', 'latin1'),
    Buffer.from('1795995640.100000 [100%] Built target a\n'),
  ]));
  const r = runCli(['replay', '--json', '--no-record', '--jobs', '2', '--command', 'make -j2', file], { home });
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout.toString()) as Record<string, unknown>;
  assert.equal(j.history_key, 'all_j2');
  assert.equal(j.line_count, 4);
  assert.equal(j.problems, 2, 'the unstamped line and time going backwards after the ISO stamp');
  const missing = runCli(['replay', path.join(dir, 'nope.log')], { home });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read log .*nope\.log: ENOENT/);
  fs.writeFileSync(path.join(dir, 'empty.log'), '');
  const empty = runCli(['replay', path.join(dir, 'empty.log')], { home });
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /no '# started:' header and no stamped line/);
});

test('a reader that goes away mid-build does not stop or lose the build', { timeout: 60_000 }, async () => {
  const home = tempHome();
  const dir = tempDir();
  const script = writeScript(dir, 'build.sh', ['i=0', 'while [ $i -lt 20 ]; do echo "line $i"; i=$((i+1)); sleep 0.05; done']);
  const r = spawnSync('sh', ['-c', `'${process.execPath}' '${BIN}' run -- '${script}' | head -n 1`], { cwd: dir, env: cliEnv(home), encoding: 'utf8' });
  assert.equal(r.stdout, 'line 0\n');
  const s = await waitFor('the build to finish', () => {
    const x = lastSession(home);
    return x.status !== 'running' && x.status !== 'starting' ? x : null;
  });
  assert.equal(s.status, 'succeeded');
  assert.equal(s.line_count, 20);
});

test('an unusable data folder is a clear error, not a hang', () => {
  const file = path.join(tempDir(), 'a-file');
  fs.writeFileSync(file, '');
  const rows: Array<[string, RegExp]> = [
    ['/proc/buildmon-nope', /cannot use \/proc\/buildmon-nope\/logs for buildmon's data: cannot create \/proc\/buildmon-nope \(ENOENT\)\. Set BUILDMON_HOME to a writable folder\./],
    [path.join(file, 'home'), /is not a directory\. Set BUILDMON_HOME to a writable folder\./],
  ];
  for (const [home, message] of rows) {
    const r = runCli(['sessions'], { home });
    assert.equal(r.code, 2);
    assert.match(r.stderr, message);
  }
});

test('without a terminal, output, streams and exit code are exactly those of the bare build', () => {
  const home = tempHome();
  const dir = tempDir();
  const script = writeScript(dir, 'build.sh', [
    'echo "compiling a"',
    'echo "a.c:1:2: warning: careful" >&2',
    "printf 'bytes \\377\\r\\n'",
    'echo "compiling b"',
    "printf 'ld: error: no newline' >&2",
    'exit 7',
  ]);
  const bare = spawnSync(script, [], { cwd: dir });
  const r = runCli(['run', '--quiet', '--', script], { home, cwd: dir });
  assert.equal(bare.status, 7);
  assert.equal(r.code, 7);
  assert.deepEqual(r.stdout, bare.stdout);
  assert.equal(r.stderr, bare.stderr.toString());
  assert.equal(r.stderr, 'a.c:1:2: warning: careful\nld: error: no newline');
});
