import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { reconcileLost, resolveSession, waitForEnd } from '../run/session-manager.js';
import { openStore, type Store } from '../store/store.js';
import { cliEnv, tempDir, tempHome } from '../../test/helpers/cli.js';
import { sessionRecord } from '../../test/helpers/records.js';
import { registerBuildStart } from './build-start.js';
import type { McpContext } from './mcp-context.js';
import { BuildPolicy, resolveRoots } from './safety.js';
import { SessionLogs } from './session-logs.js';

const home = tempHome();
const base = fs.realpathSync(tempDir('buildmon-start-'));
const store: Store = openStore(home);
/** The clock build_start reads: fixed, so that "running for 0s" is exact. */
const NOW = Date.now();
const client = new Client({ name: 'build-start-test', version: '1.0.0' });
const server = new McpServer({ name: 'buildmon', version: '0.0.0' });
const logs = new SessionLogs();
const ctx: McpContext = {
  store, env: cliEnv(home), cwd: base, policy: new BuildPolicy([], [], ['GREETING', 'PATH']), logs, now: () => NOW,
  roots: async () => resolveRoots([base], 'option'),
  settle: () => void reconcileLost(store),
  session: (id) => resolveSession(store, id),
};
registerBuildStart(server, ctx);
const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
await server.connect(serverSide);
await client.connect(clientSide);
await client.listTools();

after(async () => {
  if (fs.existsSync(path.join(base, 'real'))) fs.writeFileSync(path.join(base, 'real', 'go'), '');
  for (const s of store.sessions.list({ activeOnly: true, limit: 100 })) await waitForEnd(store, s.id, 100, 20_000);
  await client.close();
  logs.close();
  store.close();
  fs.rmSync(base, { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
});

interface Started { session_id: string; command: string; cwd: string; project_dir: string; jobs: number | null; notes: string[] }

async function start(args: Record<string, unknown>): Promise<CallToolResult> {
  return await client.callTool({ name: 'build_start', arguments: args }) as CallToolResult;
}

function refusal(r: CallToolResult): string {
  assert.equal(r.isError, true, JSON.stringify(r.content));
  return (r.content[0] as { text: string }).text;
}

function started(r: CallToolResult): Started {
  assert.notEqual(r.isError, true, JSON.stringify(r.content));
  return r.structuredContent as unknown as Started;
}

function project(name: string, makefile: string): string {
  const dir = path.join(base, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'Makefile'), makefile);
  return dir;
}

/** Finished builds of `all` in `dir` at -j1 (10 s) and -j2 (6 s), so that -j2 is the advice on any machine with 2 cores or more. */
function seedHistory(dir: string, target = 'all'): void {
  let n = 0;
  for (const [jobs, ms] of [[1, 10_000], [2, 6000], [1, 10_000], [2, 6000]] as const) {
    const id = `${path.basename(dir)}${n++}`;
    store.sessions.insert(sessionRecord({
      id, projectDir: dir, cwd: dir, target, targets: [target], jobs, historyKey: `${target}_j${jobs}`, hostname: os.hostname(),
      cores: os.availableParallelism(), startedMs: NOW - 100_000 + n * 20_000, logPath: path.join(home, `${id}.log`),
    }));
    store.sessions.finish(id, { status: 'succeeded', endedMs: NOW - 100_000 + n * 20_000 + ms, exitCode: 0, signal: null, message: null }, null, NOW);
  }
}

test('the same build directory reached through a symlink is one directory: a second build there is refused, and both share its history', async () => {
  const real = project('real', 'all:\n\t@while [ ! -f go ]; do sleep 0.05; done\n');
  fs.symlinkSync(real, path.join(base, 'link'));
  const first = started(await start({ command: 'make', cwd: 'link' }));
  assert.deepEqual([first.cwd, first.project_dir, first.command], [real, real, 'make']);
  const busy = (status: string): string => `refused: session ${first.session_id} is already building ${real} (make, ${status} for 0s). ` +
    'Wait for it (build_wait), cancel it (build_cancel), or pass force:true to start another build there anyway.';
  const again = refusal(await start({ command: 'make', cwd: real }));
  assert.ok(again === busy('starting') || again === busy('running'), again);
  assert.equal(refusal(await start({ command: 'make -C link', cwd: '.' })), again);
  assert.equal(refusal(await start({ command: ['make', '-C', '../link'], cwd: path.join(base, 'link') })), again);
  const forced = started(await start({ command: 'make', cwd: path.join(base, 'link'), force: true }));
  assert.deepEqual([forced.cwd, forced.project_dir], [real, real]);
  fs.writeFileSync(path.join(real, 'go'), '');
  const ends = await Promise.all([first.session_id, forced.session_id].map((id) => waitForEnd(store, id, 50, 20_000)));
  assert.deepEqual(ends.map((s) => [s?.status, s?.projectDir, s?.historyKey]), [['succeeded', real, 'all_j1'], ['succeeded', real, 'all_j1']]);
});

test('env reaches the build for names the server allows; others, PATH and bad values are refused saying how to allow them', async () => {
  const dir = project('env', 'all:\n\t@printf "%s|%s\\n" "$$GREETING" "$$OTHER" > seen.txt\n');
  const ok = started(await start({ command: 'make', cwd: dir, env: { GREETING: 'hello world' } }));
  assert.equal((await waitForEnd(store, ok.session_id, 50, 20_000))?.status, 'succeeded');
  assert.equal(fs.readFileSync(path.join(dir, 'seen.txt'), 'utf8'), 'hello world|\n');
  const plain = started(await start({ command: 'make', cwd: dir }));
  assert.equal((await waitForEnd(store, plain.session_id, 50, 20_000))?.status, 'succeeded');
  assert.equal(fs.readFileSync(path.join(dir, 'seen.txt'), 'utf8'), '|\n');
  assert.equal(refusal(await start({ command: 'make', cwd: dir, env: { GREETING: 'hi', OTHER: 'x' } })),
    'refused: environment variable OTHER cannot be set by a client. To allow it, start the server with --allow-env OTHER.');
  assert.equal(refusal(await start({ command: 'make', cwd: dir, env: { PATH: '/tmp/evil' } })),
    'refused: environment variable PATH cannot be set by a client, not even with --allow-env: it decides which programs, shell or libraries the build runs ' +
    '(PATH, SHELL, BASH_ENV, ENV, LD_*, MAKEFLAGS, MFLAGS, GNUMAKEFLAGS, MAKEFILES, NODE_OPTIONS, BUILDMON_* are never allowed). ' +
    'To change it for builds, start the server with it set in its own environment.');
  assert.equal(refusal(await start({ command: 'make', cwd: dir, env: { GREETING: 'x'.repeat(4097) } })),
    'refused: the value of GREETING is 4097 characters long; at most 4096 are allowed.');
  assert.equal(refusal(await start({ command: 'make', cwd: dir, env: { GREETING: 'a\0b' } })), 'refused: the value of GREETING must be text without NUL characters.');
});

test('jobs "auto" replaces the job count of the command and says so; a number that differs from it is refused', async () => {
  const dir = project('auto', 'all:\n\t@true\n');
  seedHistory(dir);
  const auto = started(await start({ command: 'make -j1', cwd: dir, jobs: 'auto' }));
  assert.deepEqual([auto.command, auto.jobs, auto.notes], ['make -j1 -j2', 2,
    ['jobs "auto": -j2 instead of the command\'s -j1, the advised job count for all on this machine']]);
  assert.equal((await waitForEnd(store, auto.session_id, 50, 20_000))?.historyKey, 'all_j2');
  const same = started(await start({ command: 'make -j2', cwd: dir, jobs: 'auto' }));
  assert.deepEqual([same.command, same.notes], ['make -j2', ['jobs "auto": -j2, the advised job count for all on this machine']]);
  await waitForEnd(store, same.session_id, 50, 20_000);
  assert.equal(refusal(await start({ command: 'make -j1', cwd: dir, jobs: 3 })),
    'refused: the command already sets its job count (-j1) and jobs is 3: give only one');
  // A ninja subtool reads the words after -t itself: the count cannot be set there.
  const tool = project('tool', '');
  fs.writeFileSync(path.join(tool, 'build.ninja'), 'rule touch\n  command = touch $out\nbuild out: touch\n');
  seedHistory(tool, 'tool:targets');
  assert.equal(refusal(await start({ command: 'ninja -j1 -t targets', cwd: tool, jobs: 'auto' })),
    "refused: could not set 2 jobs on 'ninja -j1 -t targets -j 2' (it would run with -j1). Write the job count into the command itself (e.g. -j2), or leave jobs out.");
});

test('a target outside the roots is refused before anything runs', async () => {
  const dir = project('targets', 'all:\n\t@true\n');
  const parent = path.dirname(base);
  assert.equal(refusal(await start({ command: 'make /etc/x.o', cwd: dir })),
    `refused: the target /etc/x.o is outside the allowed roots (${base}; from --root). To allow it, start the server with --root /etc (next to the other --root options).`);
  assert.equal(refusal(await start({ command: 'make', cwd: dir, target: '../../x.o' })),
    `refused: the target ${parent}/x.o is outside the allowed roots (${base}; from --root). To allow it, start the server with --root ${parent} (next to the other --root options).`);
  assert.equal(refusal(await start({ command: ['make', 'SHELL=/bin/sh'], cwd: dir })),
    'refused: make variable SHELL cannot be set by a client: it decides how make runs every recipe (SHELL, .SHELLFLAGS, MAKEFLAGS, MFLAGS and GNUMAKEFLAGS are never allowed). Set it in a makefile inside the roots instead.');
  assert.equal(store.sessions.list({ limit: 100 }).filter((s) => s.projectDir === dir).length, 0);
});
