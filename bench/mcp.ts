/**
 * MCP answer latency while a build runs, measured side by side in one run. A generated
 * FluffOS-shaped project is configured with CMake; the real `buildmon mcp` is started as a child
 * and driven with the SDK's Client. A first build (started over MCP, not measured) warms the
 * caches and leaves a finished session. Then, each round: `build_status` on that finished session
 * with no build running (idle), then the build again from clean (`cmake --build build`, jobs 2,
 * through build_start) with `build_status` called on it every --gap-ms until it ends (under load).
 * Every few calls under load, `build_output` (first page) and `build_package_status` are timed too,
 * reported apart. Latency is wall time around `callTool` in this process: the JSON-RPC round trip,
 * the server's handler and the client's check of the answer against the output schema.
 *
 * Prints count, p50, p95, p99 and max, idle and under the build, the ratio of the p99s, the build's
 * duration and PASS/FAIL against the target (p99 under 20 ms while the build runs). Exits 0 whatever
 * the figures, 1 when it cannot measure (no cmake, configure or build failed, server refused).
 *
 *   node dist/bench/mcp.js [--rounds N] [--packages N] [--files N] [--cost X] [--jobs N]
 *                          [--gap-ms N] [--idle-calls N] [--extras-every N] [--http] [--json]
 *
 *   --rounds N        builds measured, each from clean; samples are pooled (default 2)
 *   --packages N, --files N, --cost X
 *                     the generated project (default 8 packages of 4 files, cost 1)
 *   --jobs N          jobs of the measured build (default 2)
 *   --gap-ms N        pause between two calls, idle and under load (default 20; 0 = back to back)
 *   --idle-calls N    idle build_status calls per round (default 200)
 *   --extras-every N  time build_output and build_package_status once every N status calls under
 *                     load (default 10; 0 = never)
 *   --http            drive `buildmon mcp --http` over Streamable HTTP instead of stdio
 *   --json            one JSON object instead of the text report
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { generateExample } from '../examples/generate.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'bin', 'buildmon.js');
const TARGET_P99_MS = 20;
const ACTIVE = new Set(['starting', 'running']);

/** A connected MCP client and how to let it go. */
interface Connection {
  client: Client;
  close(): Promise<void>;
}

/** A failure that means nothing could be measured: reported in one line, exit 1. */
class SetupError extends Error {}

function serverEnv(home: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  env.BUILDMON_HOME = home;
  for (const k of ['MAKEFLAGS', 'MFLAGS', 'CMAKE_BUILD_PARALLEL_LEVEL', 'BUILDMON_MCP_TOKEN']) delete env[k];
  return env;
}

/** Starts `buildmon mcp --root ROOT` over stdio with BUILDMON_HOME=`home`. */
function stdioConnect(home: string, root: string): () => Promise<Connection> {
  return async () => {
    const env = serverEnv(home);
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', '--root', root], env, cwd: root, stderr: 'pipe' });
    const stderr: string[] = [];
    transport.stderr?.on('data', (d: Buffer) => void stderr.push(d.toString('utf8')));
    const client = new Client({ name: 'buildmon-bench', version: '1.0.0' });
    try {
      await client.connect(transport);
      // As real clients do: the client then checks each answer against the tool's output schema.
      await client.listTools();
    } catch (err) {
      throw new SetupError(`could not start '${BIN} mcp': ${String(err)}\n${stderr.join('')}`);
    }
    return { client, close: () => client.close() };
  };
}

/** Starts `buildmon mcp --http --port 0 --root ROOT`, reads the address and token it prints, and connects over HTTP. */
function httpConnect(home: string, root: string): () => Promise<Connection> {
  return async () => {
    const child = spawn(process.execPath, [BIN, 'mcp', '--http', '--port', '0', '--root', root], { env: serverEnv(home), cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => void (err += d.toString('utf8')));
    const { url, token } = await new Promise<{ url: string; token: string }>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString('utf8');
        const u = /serving on (http:\/\/\S+\/mcp)/.exec(out);
        const t = /^token: (\S+)/m.exec(out);
        if (u && t) resolve({ url: u[1] as string, token: t[1] as string });
      });
      child.once('exit', (code) => reject(new SetupError(`'${BIN} mcp --http' exited ${code}: ${err}`)));
    });
    const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
    const client = new Client({ name: 'buildmon-bench', version: '1.0.0' });
    await client.connect(transport);
    await client.listTools();
    return {
      client,
      close: async () => {
        await client.close();
        child.kill('SIGTERM');
      },
    };
  };
}

/** One tool call: its answer and its wall time in ms. Refusals are setup failures. */
async function timedCall(c: Connection, name: string, args: Record<string, unknown>): Promise<{ answer: Record<string, unknown>; ms: number }> {
  const t0 = performance.now();
  const r = (await c.client.callTool({ name, arguments: args })) as CallToolResult;
  const ms = performance.now() - t0;
  if (r.isError) throw new SetupError(`${name} refused: ${r.content.map((x) => (x.type === 'text' ? x.text : '')).join(' ')}`);
  return { answer: (r.structuredContent ?? {}) as Record<string, unknown>, ms };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Latency figures of a set of samples, in ms (nearest-rank percentiles). */
interface Stats { count: number; p50: number; p95: number; p99: number; max: number }

function stats(xs: readonly number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => (s.length === 0 ? NaN : (s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] as number));
  const r = (v: number): number => Math.round(v * 100) / 100;
  return { count: s.length, p50: r(at(0.5)), p95: r(at(0.95)), p99: r(at(0.99)), max: r(s.at(-1) ?? NaN) };
}

/** What one round measured. */
interface Round { idle: number[]; load: number[]; output: number[]; packages: number[]; buildMs: number; sessionId: string; status: string }

/** Starts the build over MCP and calls build_status every `gapMs` until it ends. */
async function measuredBuild(c: Connection, cwd: string, opts: { jobs: number; gapMs: number; extrasEvery: number; running: { id: string | null } }): Promise<Omit<Round, 'idle'>> {
  const { jobs, gapMs, extrasEvery } = opts;
  const started = await timedCall(c, 'build_start', { command: ['cmake', '--build', 'build'], jobs, cwd });
  const id = started.answer.session_id as string;
  opts.running.id = id;
  const load: number[] = [];
  const output: number[] = [];
  const packages: number[] = [];
  for (let i = 1; ; i++) {
    const { answer, ms } = await timedCall(c, 'build_status', { session_id: id });
    if (!ACTIVE.has(answer.status as string)) {
      // The call that saw the end read a finished session: not a call under load.
      opts.running.id = null;
      return { load, output, packages, buildMs: answer.elapsed_ms as number, sessionId: id, status: answer.status as string };
    }
    load.push(ms);
    if (extrasEvery > 0 && i % extrasEvery === 0) {
      output.push((await timedCall(c, 'build_output', { session_id: id })).ms);
      packages.push((await timedCall(c, 'build_package_status', { session_id: id })).ms);
    }
    if (gapMs > 0) await sleep(gapMs);
  }
}

/** build_status on a finished session, `n` times. */
async function idleCalls(c: Connection, id: string, n: number, gapMs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push((await timedCall(c, 'build_status', { session_id: id })).ms);
    if (gapMs > 0) await sleep(gapMs);
  }
  return out;
}

function run(cmd: string, args: string[], what: string): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new SetupError(`${what}: ${missing ? `'${cmd}' not found on PATH` : r.error.message}`);
  }
  if (r.status !== 0) throw new SetupError(`${what} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
}

function num(v: string | undefined, dflt: number, name: string, min = 0): number {
  const n = v === undefined ? dflt : Number(v);
  if (!Number.isFinite(n) || n < min) throw new SetupError(`--${name} must be a number >= ${min}; got ${v}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string' }, packages: { type: 'string' }, files: { type: 'string' }, cost: { type: 'string' }, jobs: { type: 'string' },
      'gap-ms': { type: 'string' }, 'idle-calls': { type: 'string' }, 'extras-every': { type: 'string' }, http: { type: 'boolean' }, json: { type: 'boolean' },
    },
  });
  const rounds = num(values.rounds, 2, 'rounds', 1);
  const jobs = num(values.jobs, 2, 'jobs', 1);
  const gapMs = num(values['gap-ms'], 20, 'gap-ms');
  const idleN = num(values['idle-calls'], 200, 'idle-calls', 1);
  const extrasEvery = num(values['extras-every'], 10, 'extras-every');
  const transportName = values.http ? 'http' : 'stdio';
  const log = (line: string): void => void (values.json ? process.stderr : process.stdout).write(line + '\n');
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'buildmon-bench-')));
  const home = path.join(root, 'home');
  let conn: Connection | null = null;
  const running: { id: string | null } = { id: null };
  try {
    const ex = await generateExample(path.join(root, 'proj'), {
      shape: 'fluffos', ...(values.packages ? { packages: Number(values.packages) } : {}),
      ...(values.files ? { filesPerPackage: Number(values.files) } : {}), ...(values.cost ? { cost: Number(values.cost) } : {}),
    }).catch((err: unknown) => { throw new SetupError(err instanceof Error ? err.message : String(err)); });
    const build = path.join(ex.dir, 'build');
    run('cmake', ['-S', ex.dir, '-B', build, '-G', 'Unix Makefiles'], 'cmake configure');
    const sources = ex.packages.reduce((n, p) => n + p.sources.length, 0);
    log(`mcp: ${ex.packages.length} packages, ${sources} sources, cmake --build build jobs ${jobs}, ${rounds} round(s), gap ${gapMs} ms, ` +
      `${os.availableParallelism()} cores, ${transportName}`);
    conn = await (values.http ? httpConnect : stdioConnect)(home, root)();
    const c = conn;
    const clean = (): void => run('cmake', ['--build', build, '--target', 'clean'], 'cmake clean');

    // Warm-up build over MCP: warms the page cache, the compiler and the server, and leaves a finished session.
    const warm = await timedCall(c, 'build_start', { command: ['cmake', '--build', 'build'], jobs, cwd: ex.dir });
    running.id = warm.answer.session_id as string;
    let previous = running.id;
    for (;;) {
      const w = await timedCall(c, 'build_wait', { session_id: previous, timeout_s: 50 });
      if (!ACTIVE.has(w.answer.status as string)) {
        if (w.answer.status !== 'succeeded') throw new SetupError(`the warm-up build ${previous} ended ${String(w.answer.status)}`);
        break;
      }
    }
    running.id = null;
    log(`  warm-up build ${previous}: done`);

    const done: Round[] = [];
    for (let i = 0; i < rounds; i++) {
      const idle = await idleCalls(c, previous, idleN, gapMs);
      clean();
      const m = await measuredBuild(c, ex.dir, { jobs, gapMs, extrasEvery, running });
      if (m.status !== 'succeeded') throw new SetupError(`build ${m.sessionId} ended ${m.status}`);
      previous = m.sessionId;
      done.push({ idle, ...m });
      log(`  round ${i + 1}: build ${(m.buildMs / 1000).toFixed(1)} s, build_status p99 idle ${stats(idle).p99} ms, under load ${stats(m.load).p99} ms (${m.load.length} calls)`);
    }

    const idle = stats(done.flatMap((r) => r.idle));
    const load = stats(done.flatMap((r) => r.load));
    const result = {
      transport: transportName, rounds, jobs, gap_ms: gapMs, packages: ex.packages.length, sources, cores: os.availableParallelism(),
      build_ms: done.map((r) => r.buildMs),
      build_status: { idle, under_build: load, p99_ratio: Math.round((load.p99 / idle.p99) * 100) / 100 },
      per_round_p99: done.map((r) => ({ idle: stats(r.idle).p99, under_build: stats(r.load).p99 })),
      build_output_first_page: stats(done.flatMap((r) => r.output)),
      build_package_status: stats(done.flatMap((r) => r.packages)),
      target_p99_ms: TARGET_P99_MS,
      pass: load.p99 < TARGET_P99_MS,
    };
    if (values.json) {
      process.stdout.write(JSON.stringify(result) + '\n');
      return;
    }
    const row = (name: string, s: Stats): string =>
      `  ${name.padEnd(28)} ${String(s.count).padStart(5)} ${[s.p50, s.p95, s.p99, s.max].map((v) => v.toFixed(2).padStart(8)).join(' ')}`;
    log('latency in ms, wall time around callTool in the client:');
    log(`  ${'call'.padEnd(28)} ${'n'.padStart(5)} ${['p50', 'p95', 'p99', 'max'].map((h) => h.padStart(8)).join(' ')}`);
    log(row('build_status idle', idle));
    log(row(`build_status under -j${jobs}`, load));
    if (extrasEvery > 0) {
      log(row('build_output page 1 (load)', result.build_output_first_page));
      log(row('build_package_status (load)', result.build_package_status));
    }
    log(`p99 under build / idle: ${result.build_status.p99_ratio.toFixed(2)}x · per round p99 (idle/build): ` +
      result.per_round_p99.map((r) => `${r.idle}/${r.under_build}`).join(', '));
    log(`build duration: ${result.build_ms.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')}`);
    log(`target build_status p99 < ${TARGET_P99_MS} ms under the build: ${result.pass ? 'PASS' : 'FAIL'} (${load.p99} ms)`);
  } finally {
    if (conn && running.id) await conn.client.callTool({ name: 'build_cancel', arguments: { session_id: running.id } }).catch(() => undefined);
    await conn?.close().catch(() => undefined);
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof SetupError ? `bench/mcp: ${err.message}` : err);
  process.exit(1);
});
