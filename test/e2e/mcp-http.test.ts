import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { generateExample } from '../../examples/generate.js';
import { exited, runCli, showJson, tempDir, tempHome } from '../helpers/cli.js';
import {
  answer, call, connectHttp, refusal, startHttpChild, untilStatus,
  type PackageRow, type Page, type Started, type Status,
} from '../helpers/mcp-client.js';

const BROKEN_LINE = 'int buildmon_broken() { return 1 }';

/** A raw POST of an initialize request, as a browser page or a careless client would send it. */
async function rawInitialize(url: string, headers: Record<string, string>): Promise<{ status: number; message: string; challenge: string | null }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
  });
  const body = await res.json() as { error?: { message: string } };
  return { status: res.status, message: body.error?.message ?? '', challenge: res.headers.get('www-authenticate') };
}

test('over HTTP: the token and the Origin are checked, and a token given in the environment is used and kept from builds', async () => {
  const home = tempHome();
  const srv = await startHttpChild(home, []);
  assert.match(srv.token ?? '', /^[A-Za-z0-9_-]{43}$/);
  const noToken = await rawInitialize(srv.url, {});
  assert.deepEqual([noToken.status, noToken.challenge], [401, 'Bearer realm="buildmon"']);
  assert.match(noToken.message, /^refused: no bearer token/);
  const wrong = await rawInitialize(srv.url, { Authorization: 'Bearer not-the-token' });
  assert.deepEqual([wrong.status, wrong.message.slice(0, 29)], [401, 'refused: wrong bearer token. ']);
  assert.deepEqual(await rawInitialize(srv.url, { Authorization: `Bearer ${srv.token}`, Origin: 'https://evil.example' }), {
    status: 403, challenge: null,
    message: `refused: Origin 'https://evil.example' is not allowed (allowed: http://127.0.0.1:${srv.port}, http://localhost:${srv.port}). To allow it, start the server with --allow-origin https://evil.example.`,
  });
  // The SDK client without the token gets the server's refusal, not a session.
  const refusedWith = (code: number, message: RegExp) => (err: { code?: unknown; message?: string }) => err.code === code && message.test(err.message ?? '');
  await assert.rejects(connectHttp(srv.url, null), refusedWith(401, /refused: no bearer token/));
  await assert.rejects(connectHttp(srv.url, 'x'.repeat(43)), refusedWith(401, /refused: wrong bearer token/));
  const ok = await connectHttp(srv.url, srv.token);
  assert.deepEqual(answer(await call(ok, 'build_list', {})), { sessions: [] });
  srv.child.kill('SIGTERM');
  assert.deepEqual(await exited(srv.child), { code: 0, signal: null });

  // BUILDMON_MCP_TOKEN is the token when set; the builds this server starts do not see it, and
  // see the client's variables only when --allow-env names them.
  const root = fs.realpathSync(tempDir());
  fs.writeFileSync(path.join(root, 'Makefile'), 'all:\n\t@echo "token=[$$BUILDMON_MCP_TOKEN] greeting=[$$GREETING]"\n');
  const given = 'given-token-0123456789abcdef';
  const second = await startHttpChild(home, ['--root', root, '--allow-env', 'GREETING'], { env: { BUILDMON_MCP_TOKEN: given } });
  assert.equal(second.token, null);
  const c = await connectHttp(second.url, given);
  assert.equal(refusal(await call(c, 'build_start', { command: 'make', cwd: root, env: { OTHER: 'x' } })),
    'refused: environment variable OTHER cannot be set by a client. To allow it, start the server with --allow-env OTHER.');
  const id = answer<Started>(await call(c, 'build_start', { command: 'make', cwd: root, env: { GREETING: 'hello there' } })).session_id;
  assert.equal(answer<Status>(await call(c, 'build_wait', { session_id: id, timeout_s: 50 })).status, 'succeeded');
  const page = answer<Page>(await call(c, 'build_output', { session_id: id }));
  assert.deepEqual(page.lines.map((l) => l.text), ['token=[] greeting=[hello there]']);
  second.child.kill('SIGTERM');
  await exited(second.child);
});

/** The JSON-RPC messages of an SSE response, read one at a time as they arrive. */
function sseMessages(res: Response): () => Promise<Record<string, unknown>> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  return async () => {
    for (;;) {
      const end = buffered.indexOf('\n\n');
      if (end >= 0) {
        const event = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const data = event.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        if (data !== '') return JSON.parse(data) as Record<string, unknown>;
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended');
      buffered += decoder.decode(value, { stream: true });
    }
  };
}

test('over HTTP: a client that declares roots but keeps no standalone stream is asked for them on its call\'s own response', async () => {
  const home = tempHome();
  const root = fs.realpathSync(tempDir());
  const srv = await startHttpChild(home, []);
  const headers: Record<string, string> = { Authorization: `Bearer ${srv.token}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
  const post = (body: unknown): Promise<Response> => fetch(srv.url, { method: 'POST', headers, body: JSON.stringify(body) });
  const init = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: { roots: {} }, clientInfo: { name: 'raw', version: '1' } } });
  headers['Mcp-Session-Id'] = init.headers.get('mcp-session-id') as string;
  headers['Mcp-Protocol-Version'] = '2025-06-18';
  await sseMessages(init)();
  assert.equal((await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);
  const call = await post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'build_packages', arguments: { cwd: root } } });
  const next = sseMessages(call);
  const ask = await next();
  assert.equal(ask.method, 'roots/list');
  const answered = await post({ jsonrpc: '2.0', id: ask.id, result: { roots: [{ uri: `file://${root}` }] } });
  assert.equal(answered.status, 202);
  const result = await next();
  assert.equal(result.id, 2);
  const tool = result.result as { isError?: boolean; structuredContent: { project_dir: string; detected_packages: string[] } };
  assert.deepEqual([tool.isError, tool.structuredContent.project_dir, tool.structuredContent.detected_packages], [undefined, root, []]);
  srv.child.kill('SIGTERM');
  await exited(srv.child);
});

test('over HTTP: bad options are refused before anything listens', () => {
  const home = tempHome();
  const port = runCli(['mcp', '--http', '--port', 'x'], { home });
  assert.deepEqual([port.code, port.stderr.trim()], [2, "buildmon: mcp: --port must be 0..65535, got 'x'"]);
  const noHttp = runCli(['mcp', '--port', '8000'], { home });
  assert.deepEqual([noHttp.code, noHttp.stderr.trim()], [2, 'buildmon: mcp: --port needs --http\nSee: buildmon mcp --help']);
  const origin = runCli(['mcp', '--http', '--allow-origin', 'localhost:3000'], { home });
  assert.equal(origin.code, 2);
  assert.match(origin.stderr, /--allow-origin takes an origin such as http:\/\/localhost:3000/);
  // A token no Authorization header could carry is refused at start, not served unusable.
  for (const token of ['short', 'sixteen chars with spaces']) {
    const bad = runCli(['mcp', '--http'], { home, env: { BUILDMON_MCP_TOKEN: token } });
    assert.deepEqual([bad.code, bad.stderr.trim()], [2, 'buildmon: mcp: BUILDMON_MCP_TOKEN must be at least 16 printable characters without spaces (unset it to have one generated)'], token);
  }
});

test('over HTTP: a real build is started, polled, waited on with progress, read for packages and errors; another is cancelled', async () => {
  const root = fs.realpathSync(tempDir());
  const ex = await generateExample(path.join(root, 'proj'), { shape: 'fluffos', packages: 3, filesPerPackage: 2, cost: 0.3, seed: 8 });
  const broken = ex.packages.find((p) => p.dependsOn.length === 0)!;
  const brokenFile = path.join(ex.dir, broken.sources[0]!);
  const original = fs.readFileSync(brokenFile, 'utf8');
  fs.writeFileSync(brokenFile, `${original}${BROKEN_LINE}\n`);
  const home = tempHome();
  const srv = await startHttpChild(home, []);
  // The client's MCP roots decide here: the server asks for them over the same HTTP session.
  const s = await connectHttp(srv.url, srv.token, { roots: [root] });
  assert.match(refusal(await call(s, 'build_start', { command: 'make', cwd: home })),
    new RegExp(`^refused: the working directory ${home} is outside the allowed roots \\(${root}; from the client's MCP roots\\)\\. To allow it, add it as a root in your MCP client\\.$`));

  const started = answer<Started>(await call(s, 'build_start', { command: 'cmake --build build -j 2', cwd: ex.dir, configure: true }));
  const id = started.session_id;
  assert.deepEqual([started.build_history_key, started.project_dir, started.jobs], ['all_j2', path.join(ex.dir, 'build'), 2]);
  const polled = await untilStatus(s, id, (st) => st !== 'starting');
  assert.ok(['running', 'failed'].includes(polled.status as string), String(polled.status));
  assert.deepEqual([polled.session_id, polled.build_history_key, polled.command], [id, 'all_j2', 'cmake --build build -j 2']);
  const progress: Progress[] = [];
  const end = answer<Status>(await call(s, 'build_wait', { session_id: id, timeout_s: 50 }, { onprogress: (p) => void progress.push(p) }));
  assert.deepEqual([end.status, end.ended, end.exit_code, end.error_count, end.eta, end.active_packages], ['failed', true, 2, 1, null, []]);
  assert.ok(progress.length >= 1 && /^(running|configuring|starting) /.test(progress[0]?.message ?? ''), JSON.stringify(progress));

  const errors = answer<{ diagnostics: Record<string, unknown>[] }>(await call(s, 'build_errors', { session_id: id }));
  assert.deepEqual(errors.diagnostics.map((d) => [d.severity, d.file, d.line, d.package, d.category]),
    [['error', brokenFile, original.split('\n').length, broken.target, 'syntax']]);
  const pkgs = answer<{ packages: PackageRow[] }>(await call(s, 'build_package_status', { session_id: id }));
  const row = pkgs.packages.find((p) => p.name === broken.target)!;
  assert.deepEqual([row.status, row.errors, row.depends_on], ['failed', 1, ['autogen']]);
  assert.deepEqual(pkgs.packages.map((p) => p.name).sort(), ['autogen', 'driver', 'make_defs', ...ex.packages.map((p) => p.target)].sort());
  assert.equal(showJson(home, id).status, 'failed', 'the CLI sees the same session');

  // A long build: cancelled over HTTP, and its whole process tree stops.
  const long = await generateExample(path.join(root, 'long'), { shape: 'makefile', packages: 2, filesPerPackage: 2, cost: 4, seed: 9 });
  const lid = answer<Started>(await call(s, 'build_start', { command: 'make -j2', cwd: long.dir })).session_id;
  await untilStatus(s, lid, (st) => st === 'running');
  assert.deepEqual(answer(await call(s, 'build_cancel', { session_id: lid })), { session_id: lid, outcome: 'requested', status: 'running' });
  const cancelled = answer<Status>(await call(s, 'build_wait', { session_id: lid, timeout_s: 50 }));
  // What the dying build prints (make's 'Terminated') is not an error of the build.
  assert.deepEqual([cancelled.status, cancelled.ended, cancelled.error_count], ['cancelled', true, 0]);
  assert.deepEqual(answer<{ sessions: Status[] }>(await call(s, 'build_list', {})).sessions.map((x) => [x.session_id, x.status]),
    [[lid, 'cancelled'], [id, 'failed']]);
  srv.child.kill('SIGTERM');
  assert.deepEqual(await exited(srv.child), { code: 0, signal: null });
});
