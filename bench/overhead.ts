/**
 * Monitoring overhead, measured side by side in one run: a generated FluffOS-shaped project is
 * built from clean bare and under `buildmon run`, alternating which goes first, and the ratio of
 * wall times is printed together with buildmon's own CPU time as a share of the build's.
 *
 *   node dist/bench/overhead.js [--rounds N] [--packages N] [--files N] [--cost X] [--jobs N]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { generateExample } from '../examples/generate.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'bin', 'buildmon.js');
const TICK_MS = 10;

interface Measured {
  wallMs: number;
  /** CPU of what the shell waited for: the whole bare build, or only the buildmon CLI. */
  waitedCpuMs: number;
}

/** Runs a shell command, returning its wall time and the CPU time of everything it waited for. */
function timed(command: string, cwd: string, env: NodeJS.ProcessEnv): Measured {
  const start = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', `${command} >/dev/null 2>&1; s=$?; cat /proc/$$/stat; exit $s`], { cwd, env, encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`'${command}' failed with exit ${r.status}: ${r.stderr}`);
  const f = r.stdout.slice(r.stdout.lastIndexOf(')') + 2).trim().split(' ').map(Number);
  return { wallMs, waitedCpuMs: ((f[16 - 3] ?? 0) + (f[17 - 3] ?? 0)) * TICK_MS };
}

function lastSession(home: string): { build_cpu_ms: number; runner_cpu_ms: number; sampler_cpu_ms: number | null; duration: number } {
  const db = new Database(path.join(home, 'buildmon.db'), { readonly: true });
  try {
    return db.prepare(`SELECT build_cpu_ms, runner_cpu_ms, sampler_cpu_ms, ended_ms - started_ms AS duration FROM sessions ORDER BY started_ms DESC LIMIT 1`)
      .get() as { build_cpu_ms: number; runner_cpu_ms: number; sampler_cpu_ms: number | null; duration: number };
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string' }, packages: { type: 'string' }, files: { type: 'string' }, cost: { type: 'string' }, jobs: { type: 'string' } } });
  const rounds = Number(values.rounds ?? 3);
  const jobs = Number(values.jobs ?? 2);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'buildmon-bench-'));
  const home = path.join(root, 'home');
  const env: NodeJS.ProcessEnv = { ...process.env, BUILDMON_HOME: home };
  delete env.MAKEFLAGS;
  try {
    const opts: Record<string, number> = {};
    if (values.packages) opts.packages = Number(values.packages);
    if (values.files) opts.filesPerPackage = Number(values.files);
    if (values.cost) opts.cost = Number(values.cost);
    const ex = await generateExample(path.join(root, 'proj'), { shape: 'fluffos', ...opts });
    const build = path.join(ex.dir, 'build');
    spawnSync('cmake', ['-S', ex.dir, '-B', build, '-G', 'Unix Makefiles'], { stdio: 'ignore' });
    const buildCmd = `cmake --build build -j ${jobs}`;
    const clean = (): void => void spawnSync('cmake', ['--build', build, '--target', 'clean'], { stdio: 'ignore' });
    console.log(`overhead: ${ex.packages.length} packages, ${ex.packages.reduce((n, p) => n + p.sources.length, 0)} sources, ${buildCmd}, ${rounds} rounds, ${os.availableParallelism()} cores`);
    timed(buildCmd, ex.dir, env); // warm the page cache and compiler
    const bare: Measured[] = [];
    const monitored: Measured[] = [];
    const ownCpu: number[] = [];
    const buildCpu: number[] = [];
    const samplerCpu: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const runBare = (): void => { clean(); bare.push(timed(buildCmd, ex.dir, env)); };
      const runMonitored = (): void => {
        clean();
        const m = timed(`'${process.execPath}' '${BIN}' run -q -- ${buildCmd}`, ex.dir, env);
        monitored.push(m);
        const s = lastSession(home);
        ownCpu.push(m.waitedCpuMs + s.runner_cpu_ms);
        buildCpu.push(s.build_cpu_ms);
        samplerCpu.push(s.sampler_cpu_ms ?? 0);
      };
      if (i % 2 === 0) { runBare(); runMonitored(); } else { runMonitored(); runBare(); }
      console.log(`  round ${i + 1}: bare ${(bare[i]!.wallMs / 1000).toFixed(2)} s, monitored ${(monitored[i]!.wallMs / 1000).toFixed(2)} s, ratio ${(monitored[i]!.wallMs / bare[i]!.wallMs).toFixed(4)}`);
    }
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    const median = (xs: number[]): number => {
      const s = [...xs].sort((a, b) => a - b);
      const mid = s.length >> 1;
      return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
    };
    const ratio = sum(monitored.map((m) => m.wallMs)) / sum(bare.map((b) => b.wallMs));
    const medianRatio = median(monitored.map((m, i) => m.wallMs / (bare[i] as Measured).wallMs));
    const bestRatio = Math.min(...monitored.map((m) => m.wallMs)) / Math.min(...bare.map((b) => b.wallMs));
    const cpuShare = sum(ownCpu) / sum(buildCpu);
    console.log(`wall time ratio (monitored / bare), target <= 1.01:`);
    console.log(`  summed over rounds ${ratio.toFixed(4)} · median of rounds ${medianRatio.toFixed(4)} · best vs best ${bestRatio.toFixed(4)}`);
    console.log(`  (this machine's run-to-run spread is several percent: compare the three, and run more --rounds on a quiet machine)`);
    console.log(`buildmon CPU (CLI + runner) / build CPU: ${(cpuShare * 100).toFixed(3)}%  (target < 0.5%)  [${sum(ownCpu)} ms of ${sum(buildCpu)} ms]`);
    console.log(`  of which /proc sampling: ${((sum(samplerCpu) / sum(buildCpu)) * 100).toFixed(3)}%  [${Math.round(sum(samplerCpu))} ms; BUILDMON_SAMPLE=0 turns it off]`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
