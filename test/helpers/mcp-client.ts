import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { ListRootsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { BIN, cliEnv } from './cli.js';

/** A client connected to a real `buildmon mcp` child process. */
export interface Server {
  client: Client;
  pid: number;
  closed: Promise<void>;
}

/** A real `buildmon mcp --http` child: where it listens and the token it printed. */
export interface HttpChild {
  child: ChildProcess;
  url: string;
  port: number;
  /** The token it printed; null when it was given one in BUILDMON_MCP_TOKEN (and so printed none). */
  token: string | null;
  stderr: () => string;
}

const open: Server[] = [];
const children: ChildProcess[] = [];
after(async () => {
  for (const s of open) await s.client.close().catch(() => undefined);
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function stringEnv(home: string, extra: NodeJS.ProcessEnv = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(cliEnv(home, extra))) if (v !== undefined) env[k] = v;
  return env;
}

function newClient(roots?: string[]): Client {
  const client = new Client({ name: 'buildmon-test', version: '1.0.0' }, roots ? { capabilities: { roots: {} } } : {});
  if (roots) client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: roots.map((r) => ({ uri: pathToFileURL(r).href })) }));
  return client;
}

/** Starts the real `buildmon mcp` as a child over stdio; `roots` makes the client declare MCP roots. */
export async function startStdioServer(home: string, args: string[], opts: { cwd?: string; roots?: string[] } = {}): Promise<Server> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', ...args], env: stringEnv(home), cwd: opts.cwd ?? home, stderr: 'pipe' });
  transport.stderr?.on('data', () => undefined);
  const client = newClient(opts.roots);
  const closed = new Promise<void>((resolve) => (client.onclose = resolve));
  await client.connect(transport);
  // As real clients do: the SDK then checks every structured answer against the tool's output schema.
  await client.listTools();
  const server = { client, pid: transport.pid as number, closed };
  open.push(server);
  return server;
}

/** Starts `buildmon mcp --http --port 0 ARGS` and reads the address and token it prints. */
export async function startHttpChild(home: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<HttpChild> {
  const child = spawn(process.execPath, [BIN, 'mcp', '--http', '--port', '0', ...args], { cwd: opts.cwd ?? home, env: stringEnv(home, opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => void (err += d.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const url = /serving on (http:\/\/127\.0\.0\.1:(\d+)\/mcp)/.exec(out);
      const token = /^token: (\S+)/m.exec(out);
      if (url && token && out.includes('claude mcp add')) {
        resolve({ child, url: url[1] as string, port: Number(url[2]), token: token[1]?.startsWith('(') ? null : token[1] as string, stderr: () => err });
      }
    });
    child.once('exit', (code) => reject(new Error(`buildmon mcp --http exited ${code}: ${err}`)));
  });
}

/** Connects an SDK client to a running HTTP child, sending `token` (none when null). */
export async function connectHttp(url: string, token: string | null, opts: { roots?: string[] } = {}): Promise<Server> {
  const headers: Record<string, string> = token === null ? {} : { Authorization: `Bearer ${token}` };
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  const client = newClient(opts.roots);
  const closed = new Promise<void>((resolve) => (client.onclose = resolve));
  await client.connect(transport);
  await client.listTools();
  const server = { client, pid: 0, closed };
  open.push(server);
  return server;
}

export async function call(s: Server, name: string, args: Record<string, unknown> = {}, options?: RequestOptions): Promise<CallToolResult> {
  return (await s.client.callTool({ name, arguments: args }, undefined, options)) as CallToolResult;
}

export function text(r: CallToolResult): string {
  return r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

/** The structured answer of a call that must have succeeded. */
export function answer<T = Record<string, unknown>>(r: CallToolResult): T {
  assert.notEqual(r.isError, true, text(r));
  return r.structuredContent as T;
}

export function refusal(r: CallToolResult): string {
  assert.equal(r.isError, true, `expected a refusal, got: ${text(r)}`);
  return text(r);
}

/** Polls build_status every 100 ms until `done(status)`; returns that status answer. */
export async function untilStatus(s: Server, id: string, done: (status: string) => boolean): Promise<Record<string, unknown>> {
  for (let i = 0; i < 600; i++) {
    const st = answer(await call(s, 'build_status', { session_id: id }));
    if (done(st.status as string)) return st;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`session ${id} never reached the expected status`);
}

/** Configures a generated CMake project into `<src>/build` with the Makefile generator. */
export function configure(src: string): void {
  const r = spawnSync('cmake', ['-S', src, '-B', path.join(src, 'build'), '-G', 'Unix Makefiles'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

export interface Started { session_id: string; [k: string]: unknown }
export interface Status { session_id: string; status: string; ended?: boolean; [k: string]: unknown }
export interface PackageRow { name: string; status: string; depends_on: string[]; files_done: number; files_total: number | null; errors: number }
export interface Line { n: number; text: string; notable: boolean }
export interface Page { lines: Line[]; next_cursor: string | null; total_lines: number; notable_lines: number; notable_omitted: number; indexing: unknown }
