import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ResourceSampler, sampleIntervalMs } from './resource-sampler.js';
import { readProcessStat, readProcessTable, type ProcEntry } from './proc.js';
import { tempDir } from '../../test/helpers/cli.js';

function spawnBuild(script: string, cwd: string): ChildProcess & { pid: number } {
  const child = spawn('sh', ['-c', script], { cwd, detached: true, stdio: 'ignore' });
  assert.ok(child.pid !== undefined);
  return child as ChildProcess & { pid: number };
}

const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

test('a real compile: the sampler sees gcc and its compiler at work on the source', async () => {
  const dir = tempDir('buildmon-sampler-');
  // About a second of compiling at -O2 on this kind of machine.
  const body = Array.from({ length: 150 }, (_, i) => `int f${i}(int x){int s=0; for(int j=0;j<x;j++) s+=j*${i}^(s>>3); return s;}`);
  const source = path.join(dir, 'file.c');
  fs.writeFileSync(source, body.join('\n') + '\n');
  const object = path.join(dir, 'CMakeFiles', 'busy.dir', 'file.c.o');
  fs.mkdirSync(path.dirname(object), { recursive: true });
  const child = spawnBuild(`gcc -O2 -x c -c ${source} -o ${object} & sleep 0.5; wait`, dir);
  const sampler = new ResourceSampler({ leaderPid: child.pid, now: Date.now });
  sampler.start();
  assert.equal(await exited(child), 0);
  const used = sampler.stop();
  const runs = used.processRuns.filter((r) => r.source === source);
  assert.equal(runs.length, 1, `one run for the file: ${JSON.stringify(used.processRuns)}`);
  const run = runs[0]!;
  assert.equal(run.role, 'compile');
  assert.equal(run.package, 'busy', 'named by its CMake object directory');
  assert.ok(run.peakRssBytes > 4 * 1024 * 1024, `cc1's memory: ${run.peakRssBytes}`);
  assert.ok(run.cpuMs >= 200, `cc1's CPU: ${run.cpuMs}`);
  assert.equal(used.peakCompilers, 1);
  assert.ok(used.peakProcs >= 4, 'sh, gcc, cc1 and sleep at once');
  assert.ok(used.peakRssBytes >= run.peakRssBytes);
  assert.ok(used.sampleCount >= 5 && used.samples.length === used.sampleCount);
  assert.ok(used.avgCpuPct !== null && used.avgCpuPct > 30, `avg CPU ${used.avgCpuPct}`);
  assert.ok(used.samplerCpuMs > 0 && used.samplerCpuMs === Math.round(sampler.costCpuMs * 1000) / 1000);
  assert.equal(sampler.failures, 0);
  assert.equal(sampler.samples, used.sampleCount);
  assert.deepEqual(sampler.current(), used.samples.at(-1));
});

test('a process re-parented to init stays counted: it is still in the build session', async () => {
  const child = spawnBuild('(sleep 1 &) ; sleep 1.2', '/');
  const sampler = new ResourceSampler({ leaderPid: child.pid, now: Date.now });
  sampler.start();
  await new Promise((r) => setTimeout(r, 400));
  const session = readProcessTable().filter((p) => p.sid === child.pid);
  const orphan = session.find((p) => p.name === 'sleep' && p.ppid !== child.pid);
  assert.ok(orphan, `an orphaned sleep: ${JSON.stringify(session)}`);
  assert.equal(sampler.current()?.procs, 3, 'sh, its sleep and the orphan');
  await exited(child);
  await new Promise((r) => setTimeout(r, 300));
  const taken = sampler.samples;
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(sampler.samples, taken, 'it stopped by itself once the session was empty');
  assert.equal(sampler.current()?.procs, 0);
  const used = sampler.stop();
  assert.equal(used.peakProcs, 3);
  assert.deepEqual(used.processRuns, []);
});

test('pids outside the build are read once while they exist; a command line once per program; failures are skipped', () => {
  const row = (pid: number, sid: number, name: string, over: Partial<ProcEntry> = {}): ProcEntry => ({
    pid, ppid: 1, pgid: sid, sid, startTime: `${pid}0`, name, state: 'S', cpuMs: 0, childCpuMs: 0, rssBytes: 1000, ...over,
  });
  // A forked process shows its parent's command line until it execs its own program.
  const argvs = new Map<string, string[]>([
    ['make', ['make']], ['c++', ['/usr/bin/c++', '-c', 'a.cc', '-o', 'CMakeFiles/t.dir/a.cc.o']], ['as', ['as', '-o', 'CMakeFiles/t.dir/a.cc.o', '/tmp/ccAbCdEf.s']],
  ]);
  let table = [row(10, 10, 'make'), row(11, 10, 'make', { ppid: 10 }), row(20, 20, 'bash'), row(21, 20, 'vim')];
  const read: number[] = [];
  const argvRead: number[] = [];
  let fail = false;
  let atMs = 0;
  const sampler = new ResourceSampler({
    leaderPid: 10, now: () => atMs,
    readTable: (skip) => {
      if (fail) throw new Error('EMFILE');
      const rows = table.filter((p) => !skip(p.pid));
      read.push(...rows.map((p) => p.pid));
      return rows;
    },
    readArgv: (pid) => {
      argvRead.push(pid);
      return argvs.get(table.find((p) => p.pid === pid)?.name ?? '') ?? null;
    },
  });
  const at = (ms: number): ReturnType<ResourceSampler['sampleOnce']> => {
    atMs = ms;
    return sampler.sampleOnce();
  };
  at(0);
  // 11 execs the compiler: same pid and start time, a new name.
  table[1] = row(11, 10, 'c++', { ppid: 10, rssBytes: 5000 });
  at(100);
  fail = true;
  assert.equal(at(200), null);
  fail = false;
  // 20 exits, and its pid comes back as a process of the build.
  table = table.filter((p) => p.pid !== 20);
  at(300);
  table.push(row(20, 10, 'as', { ppid: 11, startTime: '999' }));
  const last = at(400);
  assert.deepEqual(read, [10, 11, 20, 21, 10, 11, 10, 11, 10, 11, 20]);
  assert.deepEqual(argvRead, [10, 11, 11, 20]);
  assert.deepEqual(last, { atMs: 400, rssBytes: 7000, cpuPct: 0, procs: 3, compilers: 1 });
  assert.equal(sampler.failures, 1);
  assert.equal(sampler.samples, 5);
  assert.deepEqual(sampler.stop().processRuns.map((r) => [r.package, r.source, r.startedMs, r.endedMs]), [['t', 'a.cc', 100, 400]]);
});

test('the interval is fast at first, then slower', () => {
  assert.deepEqual([0, 1999, 2000, 9999, 10_000, 59_999, 60_000, 3_600_000].map(sampleIntervalMs), [100, 100, 250, 250, 500, 500, 1000, 1000]);
});

test('the kernel row of this process: its session, its CPU, its memory', () => {
  const self = readProcessStat(process.pid);
  assert.ok(self);
  assert.equal(self.state, 'R');
  assert.equal(self.name, 'node');
  assert.ok(self.rssBytes > 10 * 1024 * 1024 && self.rssBytes < 4 * 1024 * 1024 * 1024);
  assert.ok(self.cpuMs > 0);
  assert.equal(self.sid, Number(fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[3]));
});
