import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ResourceUpdatedNotificationSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { generateExample } from '../../examples/generate.js';
import { logBody, runCli, showJson, tempDir, tempHome } from '../helpers/cli.js';
import {
  answer, call, configure, refusal, startStdioServer as startServer, untilStatus,
  type Line, type PackageRow, type Page, type Server, type Started, type Status,
} from '../helpers/mcp-client.js';

const TOOLS = ['build_cancel', 'build_conflicts', 'build_errors', 'build_history', 'build_list', 'build_optimal_jobs', 'build_output',
  'build_package_history', 'build_package_status', 'build_packages', 'build_start', 'build_status', 'build_wait'];

test('tools/list stays under 24 KB, and every tool has described inputs, an output schema and annotations', async () => {
  const s = await startServer(tempHome(), []);
  const listed = await s.client.listTools();
  assert.ok(JSON.stringify(listed).length < 24 * 1024, `tools/list is ${JSON.stringify(listed).length} bytes`);
  assert.deepEqual(listed.tools.map((t) => t.name).sort(), TOOLS);
  for (const t of listed.tools) {
    for (const [field, schema] of Object.entries(t.inputSchema.properties ?? {})) {
      assert.ok(typeof (schema as { description?: unknown }).description === 'string', `${t.name}.${field} has no description`);
    }
    assert.equal(t.outputSchema?.type, 'object', t.name);
    assert.equal(typeof t.annotations?.readOnlyHint, 'boolean', t.name);
    assert.equal(t.annotations?.readOnlyHint, !['build_start', 'build_cancel'].includes(t.name), t.name);
  }
});

test('stdout carries nothing but JSON-RPC, and the server ends when its stdin closes', () => {
  const messages = [
    { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } },
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'build_list', arguments: {} } },
  ];
  const r = runCli(['mcp'], { home: tempHome(), input: messages.map((m) => JSON.stringify(m)).join('\n') + '\n' });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.toString('utf8').split('\n').filter((l) => l !== '');
  assert.deepEqual(lines.map((l) => (JSON.parse(l) as { id: number }).id), [1, 2, 3]);
  const listed = JSON.parse(lines[2] as string) as { result: { structuredContent: unknown; content: { text: string }[] } };
  assert.deepEqual([listed.result.structuredContent, listed.result.content[0]?.text], [{ sessions: [] }, 'no builds recorded yet']);
});

test('refusals say what was refused and how to allow it', async () => {
  const root = fs.realpathSync(tempDir());
  const other = fs.realpathSync(tempDir());
  const s = await startServer(tempHome(), ['--root', root]);
  assert.equal(refusal(await call(s, 'build_start', { command: 'rm -rf build', cwd: root })),
    "refused: 'rm' is not an allowed build tool (allowed: make, gmake, cmake, ninja). To allow it, start the server with --allow-tool rm.");
  assert.equal(refusal(await call(s, 'build_start', { command: ['cmake', '-E', 'remove_directory', 'x'], cwd: root })),
    "refused: cmake may only run as 'cmake --build DIR ...' (got cmake -E). For the configure step pass configure:true; to allow every cmake mode, start the server with --allow-tool cmake-any.");
  assert.equal(refusal(await call(s, 'build_start', { command: 'make', cwd: other })),
    `refused: the working directory ${other} is outside the allowed roots (${root}; from --root). To allow it, start the server with --root ${other} (next to the other --root options).`);
  assert.equal(refusal(await call(s, 'build_start', { command: `make -C ${other}`, cwd: root })),
    `refused: the build directory ${other} is outside the allowed roots (${root}; from --root). To allow it, start the server with --root ${other} (next to the other --root options).`);
  assert.equal(refusal(await call(s, 'build_start', { command: "make 'all", cwd: root })), "refused: unterminated ' quote in command");
  assert.match(refusal(await call(s, 'build_status', { session_id: 'zzzzzzzz' })), /^no session 'zzzzzzzz'\. Recent sessions: none \(see build_list\)$/);

  // A client that declares roots decides, whatever --root says.
  const c = await startServer(tempHome(), ['--root', root], { roots: [other] });
  assert.equal(refusal(await call(c, 'build_packages', { cwd: root })),
    `refused: the directory ${root} is outside the allowed roots (${other}; from the client's MCP roots). To allow it, add it as a root in your MCP client.`);
  assert.deepEqual(answer(await call(c, 'build_packages', { cwd: other })).detected_packages, []);
  assert.equal(refusal(await call(c, 'build_optimal_jobs', { cwd: root })),
    `refused: the directory ${root} is outside the allowed roots (${other}; from the client's MCP roots). To allow it, add it as a root in your MCP client.`);
  assert.deepEqual(answer(await call(c, 'build_optimal_jobs', { cwd: other })).recommendations, ['No finished build of all yet: build it once to get job-count advice']);
  // Without --root and client roots, the server's own working directory is the root.
  const d = await startServer(tempHome(), [], { cwd: other });
  assert.match(refusal(await call(d, 'build_start', { command: 'make', cwd: root })), new RegExp(`\\(${other}; from the server's working directory\\)\\. To allow it, start the server with --root ${root}\\.$`));
});

test('a real build over MCP starts at once, survives a restart of the server, and reports packages, output and history', async () => {
  const root = fs.realpathSync(tempDir());
  const ex = await generateExample(path.join(root, 'proj'), { shape: 'fluffos', packages: 3, filesPerPackage: 2, cost: 0.3, seed: 5 });
  configure(ex.dir);
  const build = path.join(ex.dir, 'build');
  const home = tempHome();
  const a = await startServer(home, ['--root', root]);
  const t0 = Date.now();
  const started = answer<Started>(await call(a, 'build_start', { command: ['cmake', '--build', 'build'], jobs: 2, cwd: ex.dir }));
  assert.ok(Date.now() - t0 < 1000, `build_start took ${Date.now() - t0} ms`);
  const id = started.session_id;
  assert.match(id, /^[0-9a-z]{8}$/);
  assert.deepEqual(started, {
    session_id: id, build_history_key: 'all_j2', command: 'cmake --build build --parallel 2', cwd: ex.dir, project_dir: build, jobs: 2,
    configure: null, predicted_ms: null, prediction_samples: 0, confidence: 0, prediction_basis: 'none', eta: null,
    optimal_job_count: null, recommendations: ['No finished build of all yet: build it once to get job-count advice'], notes: [],
  });
  assert.match(refusal(await call(a, 'build_start', { command: 'cmake --build build', cwd: ex.dir })),
    new RegExp(`^refused: session ${id} is already building ${build} \\(cmake --build build --parallel 2, (starting|running) for \\d+s\\)\\. .*pass force:true`));

  // The server dies mid-build; the build goes on, and a new server finds it running, then done.
  a.client.onclose = undefined;
  process.kill(a.pid, 'SIGKILL');
  const b = await startServer(home, ['--root', root]);
  const running = await untilStatus(b, id, (st) => st !== 'starting');
  assert.deepEqual([running.status, running.build_history_key, running.project_dir, running.exit_code], ['running', 'all_j2', build, null]);
  const updated: string[] = [];
  b.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updated.push(n.params.uri));
  await b.client.subscribeResource({ uri: `build://sessions/${id}` });
  const progress: Progress[] = [];
  const done = answer<Status>(await call(b, 'build_wait', { session_id: id, timeout_s: 50 }, { onprogress: (p) => void progress.push(p) }));
  assert.deepEqual([done.status, done.ended, done.exit_code, done.error_count, done.warning_count, done.progress_pct, done.eta, done.active_packages],
    ['succeeded', true, 0, 0, 0, 100, null, []]);
  assert.ok(progress.length >= 1, 'no progress notification while waiting');
  assert.ok(progress.every((p, i) => i === 0 || p.progress > (progress[i - 1] as Progress).progress), JSON.stringify(progress));
  assert.match(progress[0]?.message ?? '', /^running \d/);
  assert.ok(updated.length >= 1 && updated.every((u) => u === `build://sessions/${id}`), JSON.stringify(updated));
  const resource = await b.client.readResource({ uri: `build://sessions/${id}` });
  const contents = resource.contents[0] as { text: string; mimeType?: string };
  assert.deepEqual([contents.mimeType, (JSON.parse(contents.text) as Status).status], ['application/json', 'succeeded']);
  const logText = ((await b.client.readResource({ uri: `build://sessions/${id}/log` })).contents[0] as { text: string }).text;
  const logPath = showJson(home, id).log_path as string;
  assert.equal(logText, logBody(logPath).text.toString('utf8'));

  // Packages with their dependencies, as the generator wrote them (edges implied by longer paths left out).
  const pkgs = answer<{ status: string; active_packages: unknown[]; packages: PackageRow[] }>(await call(b, 'build_package_status', { session_id: id }));
  const byName = new Map(pkgs.packages.map((p) => [p.name, p]));
  assert.deepEqual([...byName.keys()].sort(), ['autogen', 'driver', 'make_defs', ...ex.packages.map((p) => p.target)].sort());
  assert.deepEqual(pkgs.active_packages, []);
  for (const p of ex.packages) {
    const row = byName.get(p.target) as PackageRow;
    assert.deepEqual([row.status, row.files_done, row.files_total], ['completed', p.sources.length, p.sources.length], p.target);
    const direct = p.dependsOn.filter((d) => !p.dependsOn.some((o) => o !== d && ex.packages.find((q) => q.target === o)?.dependsOn.includes(d)));
    assert.deepEqual(row.depends_on.sort(), (direct.length > 0 ? direct : ['autogen']).sort(), p.target);
  }

  // Output pages: no diagnostics, so the first page is the tail; cursors then walk the whole log once.
  const body = logBody(logPath).text.toString('utf8').split('\n').slice(0, -1);
  const first = answer<Page>(await call(b, 'build_output', { session_id: id }));
  assert.deepEqual([first.total_lines, first.notable_lines, first.next_cursor], [body.length, 0, body.length > 50 ? '1' : null]);
  assert.deepEqual(first.lines.map((l) => l.text), body.slice(-50));
  const walked: string[] = [];
  for (let cursor: string | null = '1'; cursor !== null;) {
    const page: Page = answer<Page>(await call(b, 'build_output', { session_id: id, cursor, limit: 7 }));
    assert.ok(page.lines.length <= 7);
    walked.push(...page.lines.map((l) => l.text));
    cursor = page.next_cursor;
  }
  assert.deepEqual(walked, body);
  const links = answer<Page>(await call(b, 'build_output', { session_id: id, grep: 'linking cxx static' }));
  assert.deepEqual(links.lines.map((l) => l.text), body.filter((l) => /Linking CXX static/.test(l)));
  assert.equal(links.lines.length, 3);
  assert.deepEqual(answer(await call(b, 'build_errors', { session_id: id })),
    { session_id: id, status: 'succeeded', error_count: 0, warning_count: 0, diagnostics: [], omitted: 0, indexing: false });

  // Shared truth: the list, the history and the CLI all see the same build.
  const durationMs = (showJson(home, id).duration_ms as number);
  const list = answer<{ sessions: Status[] }>(await call(b, 'build_list', {}));
  assert.deepEqual(list.sessions.map((s) => [s.session_id, s.status]), [[id, 'succeeded']]);
  assert.deepEqual(answer<{ sessions: Status[] }>(await call(b, 'build_list', { active_only: true })).sessions, []);
  const history = answer<{ keys: Record<string, unknown>[]; builds: Record<string, unknown>[] }>(await call(b, 'build_history', { target: 'all', job_count: 2 }));
  assert.deepEqual(history.keys, [{
    project_dir: build, build_history_key: 'all_j2', target: 'all', jobs: 2, builds: 1, succeeded: 1, avg_duration_ms: durationMs, last_duration_ms: durationMs,
  }]);
  assert.deepEqual(history.builds.map((h) => [h.session_id, h.status, h.duration_ms]), [[id, 'succeeded', durationMs]]);
  assert.deepEqual(answer<{ keys: unknown[] }>(await call(b, 'build_history', { job_count: 4 })).keys, []);

  // Advice from that one build: -j2 measured, -j1 scaled from its CPU time; what the tools advise is what "auto" uses.
  const advice = answer<{ optimal_job_count: number | null; candidates: { jobs: number; basis: string; predicted_ms: number }[]; build_history_key: string; project_dir: string }>(
    await call(b, 'build_optimal_jobs', { cwd: ex.dir }));
  assert.deepEqual([advice.project_dir, advice.build_history_key], [build, 'all_j2']);
  assert.deepEqual(advice.candidates.find((c) => c.jobs === 2)?.predicted_ms, durationMs);
  assert.equal(advice.candidates.find((c) => c.jobs === 1)?.basis, 'scaled');
  const pkgHistory = answer<{ histories: { key: string; sample_count: number; typical_files: number; based_on: string }[] }>(
    await call(b, 'build_package_history', { package_name: ex.packages[0]!.target, job_count: 2 }));
  assert.deepEqual(pkgHistory.histories.map((h) => [h.key, h.sample_count, h.typical_files, h.based_on]), [[`${ex.packages[0]!.target}_j2`, 1, 2, 'same-jobs']]);

  // The next build is predicted from this one, at the job count the advice gives.
  const again = answer<Started>(await call(b, 'build_start', { command: 'cmake --build build -j 2', cwd: ex.dir, jobs: 'auto' }));
  const n = advice.optimal_job_count;
  assert.deepEqual([again.build_history_key, again.notes], n === null
    ? ['all_j2', ['jobs "auto": no advice for all here yet (build it at two job counts first), so the command\'s own job count is used']]
    : [`all_j${n}`, [`jobs "auto": -j${n}, the advised job count for all on this machine`]]);
  if (n === 2 || n === null) assert.deepEqual([again.predicted_ms, again.prediction_samples], [durationMs, 1]);
  assert.match(again.eta as string, /^\d+s@\d\d:\d\d$/);
  assert.equal(answer<Status>(await call(b, 'build_wait', { session_id: again.session_id, timeout_s: 50 })).status, 'succeeded');
});

const BROKEN_LINE = 'int buildmon_broken() { return 1 }';

test('a build configured in the same session fails on a syntax error: exact file, line and package, errors first in the output', async () => {
  const root = fs.realpathSync(tempDir());
  const ex = await generateExample(path.join(root, 'proj'), { shape: 'fluffos', packages: 3, filesPerPackage: 2, cost: 0.3, seed: 6 });
  const broken = ex.packages.find((p) => p.dependsOn.length === 0)!;
  const brokenFile = path.join(ex.dir, broken.sources[0]!);
  const original = fs.readFileSync(brokenFile, 'utf8');
  fs.writeFileSync(brokenFile, `${original}${BROKEN_LINE}\n`);
  const brokenLine = original.split('\n').length;
  const s = await startServer(tempHome(), ['--root', root]);
  const started = answer<Started>(await call(s, 'build_start', { command: 'cmake --build build -j 2', cwd: ex.dir, configure: true }));
  assert.deepEqual([started.build_history_key, started.configure, started.project_dir],
    ['all_j2', `cmake -S ${ex.dir} -B ${ex.dir}/build -G 'Unix Makefiles'`, path.join(ex.dir, 'build')]);
  const id = started.session_id;
  const end = answer<Status>(await call(s, 'build_wait', { session_id: id, timeout_s: 50 }));
  assert.deepEqual([end.status, end.error_count], ['failed', 1]);
  const errors = answer<{ diagnostics: Record<string, unknown>[]; error_count: number }>(await call(s, 'build_errors', { session_id: id }));
  const [d] = errors.diagnostics;
  assert.equal(errors.diagnostics.length, 1);
  assert.deepEqual({ ...d, message: String(d?.message).replace(/[‘’]/g, "'") }, {
    severity: 'error', tool: 'compiler', file: brokenFile, line: brokenLine, column: BROKEN_LINE.indexOf(' }') + 1,
    message: "expected ';' before '}' token", package: broken.target, category: 'syntax',
  });
  const page = answer<Page>(await call(s, 'build_output', { session_id: id }));
  const firstRoutine = page.lines.findIndex((l) => !l.notable);
  assert.ok(page.notable_lines > 0 && firstRoutine === page.notable_lines, JSON.stringify(page.lines.slice(0, 8)));
  assert.ok(page.lines.some((l) => l.notable && l.text.startsWith(`${brokenFile}:${brokenLine}:`)));
  assert.ok(page.lines.some((l) => l.text.startsWith('-- Configuring done')), 'the configure output is in the same log');
  const only = answer<Page>(await call(s, 'build_output', { session_id: id, errors_only: true }));
  assert.ok(only.lines.length === page.notable_lines && only.lines.every((l) => l.notable));
  const pkgs = answer<{ packages: PackageRow[] }>(await call(s, 'build_package_status', { session_id: id }));
  const row = pkgs.packages.find((p) => p.name === broken.target)!;
  assert.deepEqual([row.status, row.errors], ['failed', 1]);
});

test('a long build started from the CLI is seen over MCP and by build_conflicts next to a foreign make, then cancelled by a restarted server', async () => {
  const root = fs.realpathSync(tempDir());
  const ex = await generateExample(path.join(root, 'proj'), { shape: 'makefile', packages: 3, filesPerPackage: 2, cost: 4, seed: 7 });
  const foreignDir = fs.realpathSync(tempDir());
  fs.writeFileSync(path.join(foreignDir, 'Makefile'), 'all:\n\tsleep 60\n');
  const foreign = spawn('make', [], { cwd: foreignDir, stdio: 'ignore', detached: true });
  after(() => void (foreign.pid && process.kill(-foreign.pid, 'SIGKILL')));
  const home = tempHome();
  const s = await startServer(home, ['--root', root]);
  const cli = runCli(['run', '--detach', '--', 'make', '-j2'], { home, cwd: ex.dir });
  assert.equal(cli.code, 0, cli.stderr);
  const id = cli.stdout.toString('utf8').trim();
  assert.match(id, /^[0-9a-z]{8}$/);
  await untilStatus(s, id, (st) => st === 'running');
  assert.deepEqual(answer<{ sessions: Status[] }>(await call(s, 'build_list', { active_only: true })).sessions.map((x) => [x.session_id, x.status, x.build_history_key]),
    [[id, 'running', 'all_j2']]);
  const conflicts = answer<{ cores: number; others: Record<string, unknown>[]; buildmon: { session_id: string; processes: number }[] }>(await call(s, 'build_conflicts'));
  const mine = conflicts.others.find((o) => o.pid === foreign.pid);
  assert.deepEqual(mine && [mine.program, mine.command, mine.cwd, mine.workers, mine.processes], ['make', 'make', foreignDir, 0, 1]);
  assert.deepEqual(conflicts.others.filter((o) => o.cwd === ex.dir), []);
  assert.deepEqual(conflicts.buildmon.map((b) => b.session_id), [id]);
  assert.ok((conflicts.buildmon[0]?.processes ?? 0) >= 1);
  const t0 = Date.now();
  const waited = answer<Status>(await call(s, 'build_wait', { session_id: id, timeout_s: 1 }));
  assert.deepEqual([waited.status, waited.ended], ['running', false]);
  assert.ok((waited.waited_ms as number) >= 1000 && Date.now() - t0 < 3000, `waited ${String(waited.waited_ms)} ms`);

  // The server dies; a new one still sees the running build and cancels it.
  s.client.onclose = undefined;
  process.kill(s.pid, 'SIGKILL');
  const b = await startServer(home, ['--root', root]);
  assert.deepEqual(answer(await call(b, 'build_cancel', { session_id: id })), { session_id: id, outcome: 'requested', status: 'running' });
  const end = answer<Status>(await call(b, 'build_wait', { session_id: id, timeout_s: 50 }));
  assert.deepEqual([end.status, end.ended, end.error_count], ['cancelled', true, 0]);
  assert.deepEqual(answer(await call(b, 'build_cancel', { session_id: id })), { session_id: id, outcome: 'already-ended', status: 'cancelled' });
  assert.equal(showJson(home, id).status, 'cancelled');
});

/** Calls build_output until the log is indexed, each answer within a second; returns the page and the slowest answer. */
async function outputPage(s: Server, args: Record<string, unknown>): Promise<{ page: Page; slowestMs: number }> {
  let slowestMs = 0;
  for (let i = 0; i < 50; i++) {
    const t0 = Date.now();
    const page = answer<Page>(await call(s, 'build_output', args));
    slowestMs = Math.max(slowestMs, Date.now() - t0);
    if (page.indexing === null) return { page, slowestMs };
  }
  throw new Error('the log was never indexed');
}

test('a 200k-line log is paged within a second a call, grep is a plain substring, and disguised arguments are refused', async () => {
  const root = fs.realpathSync(tempDir());
  const proj = path.join(root, 'big');
  fs.mkdirSync(proj);
  fs.writeFileSync(path.join(proj, 'print.sh'), "yes 'y (=+)+ =' | head -n 200000\necho 'needle (=+)+$ here'\n");
  fs.writeFileSync(path.join(proj, 'Makefile'), 'all:\n\t@sh print.sh\n');
  const s = await startServer(tempHome(), ['--root', root]);
  assert.equal(refusal(await call(s, 'build_start', { command: 'make', cwd: proj, target: '--eval=X:=$(shell touch pwned)' })),
    "refused: target '--eval=X:=$(shell touch pwned)' starts with '-': make and ninja would read it as an option or a variable assignment. Name a target only (no leading '-', no '=').");
  assert.equal(refusal(await call(s, 'build_start', { command: ['make', 'SHELL=/bin/sh'], cwd: proj })),
    'refused: make variable SHELL cannot be set by a client: it decides how make runs every recipe (SHELL, .SHELLFLAGS, MAKEFLAGS, MFLAGS and GNUMAKEFLAGS are never allowed). Set it in a makefile inside the roots instead.');
  assert.equal(refusal(await call(s, 'build_start', { command: `make -f ${path.join(root, '..', 'Makefile')}`, cwd: proj })),
    `refused: the makefile (make -f) ${path.dirname(root)}/Makefile is outside the allowed roots (${root}; from --root). To allow it, start the server with --root ${path.dirname(root)} (next to the other --root options).`);
  assert.equal(fs.existsSync(path.join(proj, 'pwned')), false);

  const id = answer<Started>(await call(s, 'build_start', { command: 'make', cwd: proj })).session_id;
  assert.equal(answer<Status>(await call(s, 'build_wait', { session_id: id, timeout_s: 50 })).status, 'succeeded');
  const first = await outputPage(s, { session_id: id });
  assert.ok(first.slowestMs < 1000, `build_output took ${first.slowestMs} ms`);
  assert.deepEqual([first.page.total_lines, first.page.notable_lines, first.page.next_cursor], [200001, 0, '1']);
  assert.deepEqual(first.page.lines.map((l) => l.n), Array.from({ length: 50 }, (_, i) => 199952 + i));
  assert.deepEqual(first.page.lines.slice(-2).map((l) => l.text), ['y (=+)+ =', 'needle (=+)+$ here']);
  const t0 = Date.now();
  const end = answer<Page>(await call(s, 'build_output', { session_id: id, cursor: '199999', limit: 5 }));
  assert.ok(Date.now() - t0 < 1000, `a page took ${Date.now() - t0} ms`);
  assert.deepEqual([end.lines.map((l) => l.n), end.next_cursor], [[199999, 200000, 200001], null]);
  for (const grep of ['(=+)+$', 'NEEDLE']) {
    const found: Line[] = [];
    const timesMs: number[] = [];
    let calls = 0;
    for (let cursor: string | null = null; calls === 0 || cursor !== null; calls++) {
      const t1 = Date.now();
      const page: Page = answer<Page>(await call(s, 'build_output', { session_id: id, grep, ...(cursor === null ? {} : { cursor }) }));
      timesMs.push(Date.now() - t1);
      assert.ok(Date.now() - t1 < 1000, `grep ${grep} took ${Date.now() - t1} ms`);
      found.push(...page.lines);
      cursor = page.next_cursor;
    }
    assert.deepEqual(found, [{ n: 200001, text: 'needle (=+)+$ here', notable: false }], grep);
    assert.equal(calls, 1, `${grep}: ${timesMs.join(', ')} ms`);
  }
});
