import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { REPO_ROOT } from './paths.js';

/** The compiled CLI, next to this helper in the same output folder. */
export const BIN: string = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'src', 'bin', 'buildmon.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

const made: string[] = [];
after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed when the test file ends. */
export function tempDir(prefix = 'buildmon-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Writes an executable `#!/bin/sh` script of these lines into `dir`; returns its path. */
export function writeScript(dir: string, name: string, lines: readonly string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, ['#!/bin/sh', ...lines].join('\n') + '\n');
  fs.chmodSync(file, 0o755);
  return file;
}

/** A fresh BUILDMON_HOME for one test. */
export function tempHome(): string {
  return tempDir('buildmon-home-');
}

export function cliEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, BUILDMON_HOME: home, ...extra };
  delete env.MAKEFLAGS;
  delete env.MFLAGS;
  delete env.CMAKE_BUILD_PARALLEL_LEVEL;
  return env;
}

/** Runs `buildmon ARGS` to completion with stdout not a terminal. */
export function runCli(args: string[], opts: { home: string; cwd?: string; env?: NodeJS.ProcessEnv; input?: string }): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? REPO_ROOT, env: cliEnv(opts.home, opts.env), maxBuffer: 256 * 1024 * 1024, input: opts.input ?? '',
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

/** Starts `buildmon ARGS` in the background. */
export function startCli(args: string[], opts: { home: string; cwd?: string; env?: NodeJS.ProcessEnv }): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? REPO_ROOT, env: cliEnv(opts.home, opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves when the child exits. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

/** Polls `check` every `everyMs` until it returns a value, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | null | undefined | false, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Parses `buildmon show ID --json`. */
export function showJson(home: string, id: string): Record<string, unknown> {
  const r = runCli(['show', id, '--json'], { home });
  if (r.code !== 0) throw new Error(`show ${id} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.toString('utf8')) as Record<string, unknown>;
}

/** Each stamped line of a buildmon log: its stamp and its raw bytes. */
function stampedLines(logPath: string): Array<{ stamp: number; bytes: Buffer }> {
  const data = fs.readFileSync(logPath);
  const out: Array<{ stamp: number; bytes: Buffer }> = [];
  let start = 0;
  while (start < data.length) {
    let nl = data.indexOf(0x0a, start);
    if (nl === -1) nl = data.length;
    const line = data.subarray(start, nl);
    start = nl + 1;
    if (line[0] === 0x23) continue;
    const sp = line.indexOf(0x20);
    out.push({ stamp: Number(line.subarray(0, sp).toString('latin1')), bytes: line.subarray(sp + 1) });
  }
  return out;
}

/** The body of a buildmon log: the stamps, and each line's raw bytes followed by a newline. */
export function logBody(logPath: string): { stamps: number[]; text: Buffer } {
  const lines = stampedLines(logPath);
  return { stamps: lines.map((l) => l.stamp), text: Buffer.concat(lines.flatMap((l) => [l.bytes, Buffer.from('\n')])) };
}

/** What a build printed on stdout and on stderr, rebuilt from its log and the log's stream sidecar. */
export function logStreams(logPath: string): { out: Buffer; err: Buffer } {
  const kinds = fs.readFileSync(logPath.replace(/\.log$/, '.streams'));
  const parts: Record<'out' | 'err', Buffer[]> = { out: [], err: [] };
  stampedLines(logPath).forEach((l, n) => {
    const kind = kinds[n] as number;
    parts[kind === 0x65 || kind === 0x45 ? 'err' : 'out'].push(l.bytes, kind >= 0x61 ? Buffer.from('\n') : Buffer.alloc(0));
  });
  return { out: Buffer.concat(parts.out), err: Buffer.concat(parts.err) };
}

/** Header values of a buildmon log, trimmed. */
export function logHeader(logPath: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of fs.readFileSync(logPath, 'utf8').split('\n')) {
    if (!line.startsWith('# ')) break;
    const m = /^# ([a-z_]+): ?(.*)$/.exec(line);
    if (m) out[m[1] as string] = (m[2] as string).trim();
  }
  return out;
}
