/**
 * ETA accuracy, leave one out. A generated FluffOS-shaped project is built for real several times
 * at -j1 and -j2 under `buildmon run` (sampling on); then every build is predicted from the others:
 * at the start (the prior) and at 25%, 50% and 75% of its elapsed time (its log replayed through the
 * engine with the expectations the others give). Twice: with the others at its own job count in
 * history, and with every build of its job count removed (a job count never run before). The
 * recorded fixture logs of the same project at -j1 and -j2 (libuv, fmt) are predicted the same way.
 *
 *   accuracy = 1 - |predicted_total - actual_total| / actual_total, averaged
 *
 *   node dist/bench/eta.js [--runs N] [--packages N] [--files N] [--cost X] [--no-build] [--no-fixtures] [--keep DIR] [--verbose]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { generateExample } from '../examples/generate.js';
import { parseLog } from '../src/core/log-reader.js';
import { predictBuild, priorTotalOf } from '../src/core/predict/build-prediction.js';
import type { MachineInfo, PastBuild } from '../src/core/predict/past-build.js';
import { expectationsFrom } from '../src/core/predict/work-expectations.js';
import { pastBuildFromReplay } from '../src/core/predict/past-build-from-replay.js';
import { meanOf } from '../src/core/predict/stats.js';
import { replayLog } from '../src/run/log-replay.js';
import { machineInfo } from '../src/run/machine.js';
import { openStore } from '../src/store/store.js';
import type { SessionRecord } from '../src/store/session-types.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.resolve(HERE, '..', 'src', 'bin', 'buildmon.js');
const FIXTURES = path.resolve(HERE, '..', '..', 'test', 'fixtures');
const FRACTIONS = [0.25, 0.5, 0.75] as const;

/** One build to be predicted: what it was, and the log to replay. */
interface Subject {
  label: string;
  build: PastBuild;
  logPath: string;
  tool: string;
  exitCode: number | null;
}

/** Accuracies of one prediction case: at the start and at each fraction of elapsed time. */
interface Row {
  group: string;
  label: string;
  start: number | null;
  at: (number | null)[];
}

function accuracy(predictedMs: number | null, actualMs: number): number | null {
  if (predictedMs === null || actualMs <= 0) return null;
  return 1 - Math.abs(predictedMs - actualMs) / actualMs;
}

/** Predicts `subject` from `history` (newest first) at the start and at each fraction of its elapsed time. */
function predictOne(subject: Subject, history: readonly PastBuild[], machine: MachineInfo, group: string): Row {
  const b = subject.build;
  const prior = predictBuild(history, { target: b.target, jobs: b.jobs, machine });
  const expectations = expectationsFrom(history.filter((h) => h.target === b.target), b.jobs);
  const log = parseLog(fs.readFileSync(subject.logPath));
  const { replay } = replayLog(log.lines,
    { tool: subject.tool, jobs: b.jobs, startedMs: b.startedMs, endedMs: b.startedMs + b.durationMs, exitCode: subject.exitCode },
    {
      priorTotalMs: prior.totalMs, fractions: FRACTIONS, expectations, prior: priorTotalOf(prior),
    });
  return {
    group, label: subject.label,
    // What `replay --json` reports as predicted_ms_at_start: the engine at the first instant, with the prior and expectations.
    start: accuracy(replay.predictedAtStartMs, b.durationMs),
    at: FRACTIONS.map((f) => accuracy(replay.checkpoints.find((c) => c.fraction === f)?.predictedTotalMs ?? null, b.durationMs)),
  };
}

/** Leave one out over `subjects`: with its own job count in history, and with that job count removed. */
function leaveOneOut(subjects: readonly Subject[], machine: MachineInfo, name: string): Row[] {
  const rows: Row[] = [];
  for (const s of subjects) {
    const others = subjects.filter((o) => o !== s).map((o) => o.build).sort((x, y) => y.startedMs - x.startedMs);
    if (others.some((o) => o.jobs === s.build.jobs)) rows.push(predictOne(s, others, machine, `${name}: -j with history`));
    const otherJobs = others.filter((o) => o.jobs !== s.build.jobs);
    if (otherJobs.length > 0) rows.push(predictOne(s, otherJobs, machine, `${name}: -j never run`));
  }
  return rows;
}

async function realBuilds(opts: { runs: number; packages?: number; files?: number; cost?: number }, root: string): Promise<Subject[]> {
  const home = path.join(root, 'home');
  if (fs.existsSync(home)) return recordedBuilds(home, path.join(root, 'proj', 'build'));
  const env: NodeJS.ProcessEnv = { ...process.env, BUILDMON_HOME: home };
  delete env.MAKEFLAGS;
  const ex = await generateExample(path.join(root, 'proj'), {
    shape: 'fluffos', ...(opts.packages ? { packages: opts.packages } : {}), ...(opts.files ? { filesPerPackage: opts.files } : {}),
    ...(opts.cost ? { cost: opts.cost } : {}),
  });
  const build = path.join(ex.dir, 'build');
  spawnSync('cmake', ['-S', ex.dir, '-B', build, '-G', 'Unix Makefiles'], { stdio: 'ignore' });
  const sources = ex.packages.reduce((n, p) => n + p.sources.length, 0);
  console.log(`building ${ex.packages.length} packages, ${sources} sources, ${opts.runs} times each at -j1 and -j2 (${os.availableParallelism()} cores)`);
  // One unrecorded build first: the first build after generating a project reads cold caches, which is not what is predicted here.
  spawnSync('cmake', ['--build', build, '-j', '2'], { stdio: 'ignore' });
  for (let i = 0; i < opts.runs; i++) {
    for (const jobs of i % 2 === 0 ? [1, 2] : [2, 1]) {
      spawnSync('cmake', ['--build', build, '--target', 'clean'], { stdio: 'ignore' });
      const t0 = Date.now();
      const r = spawnSync(process.execPath, [BIN, 'run', '-q', '--', 'cmake', '--build', 'build', '-j', String(jobs)], { cwd: ex.dir, env, stdio: 'ignore' });
      if (r.status !== 0) throw new Error(`build at -j${jobs} failed (exit ${r.status})`);
      console.log(`  run ${i + 1} -j${jobs}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
  return recordedBuilds(home, build);
}

/** The builds recorded in `home` for the build directory, newest first, each with its log. */
function recordedBuilds(home: string, build: string): Subject[] {
  const store = openStore(home);
  try {
    const builds = store.past.load(build, {});
    const sessions = new Map<string, SessionRecord>(store.sessions.list({ limit: 1000 }).map((s) => [s.id, s]));
    return builds.map((b, i) => {
      const s = sessions.get(b.sessionId)!;
      return { label: `${b.sessionId} -j${b.jobs} #${builds.length - i}`, build: b, logPath: s.logPath, tool: s.tool, exitCode: s.exitCode };
    });
  } finally {
    store.close();
  }
}

/** The fixture logs recorded from one project at both -j1 and -j2 with the same generator. */
function fixtureSubjects(names: readonly string[]): Subject[] {
  return names.map((name) => {
    const logPath = path.join(FIXTURES, `${name}.log`);
    const log = parseLog(fs.readFileSync(logPath));
    const h = log.header;
    const startedMs = h.startedMs ?? log.lines[0]!.atMs;
    const endedMs = h.endedMs ?? log.lines.at(-1)!.atMs;
    const { replay } = replayLog(log.lines, { tool: 'cmake', jobs: h.jobs, startedMs, endedMs, exitCode: h.exitCode }, { priorTotalMs: null, fractions: [] });
    const build = pastBuildFromReplay(replay, {
      sessionId: name, target: h.target ?? 'all', jobs: h.jobs, legacy: false, startedMs, durationMs: endedMs - startedMs, succeeded: h.exitCode === 0, cores: 2,
    });
    return { label: name, build, logPath, tool: 'cmake', exitCode: h.exitCode };
  });
}

function pct(v: number | null): string {
  return v === null ? '    -' : `${(v * 100).toFixed(1)}%`.padStart(6);
}

function mean(values: readonly (number | null)[]): number | null {
  return meanOf(values.filter((v): v is number => v !== null));
}

function printTable(rows: readonly Row[]): void {
  console.log(`\n${'case'.padEnd(44)} ${'n'.padStart(3)}  ${'start'.padStart(6)}  ${'25%'.padStart(6)}  ${'50%'.padStart(6)}  ${'75%'.padStart(6)}`);
  const groups = [...new Set(rows.map((r) => r.group))];
  for (const g of groups) {
    const rs = rows.filter((r) => r.group === g);
    console.log(`${g.padEnd(44)} ${String(rs.length).padStart(3)}  ${pct(mean(rs.map((r) => r.start)))}  ${FRACTIONS.map((_, i) => pct(mean(rs.map((r) => r.at[i] ?? null)))).join('  ')}`);
  }
  console.log('targets: with history >= 90% at the start and >= 95% at 50%; a never-run -j >= 85%');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string' }, packages: { type: 'string' }, files: { type: 'string' }, cost: { type: 'string' },
      'no-build': { type: 'boolean' }, 'no-fixtures': { type: 'boolean' }, verbose: { type: 'boolean' }, keep: { type: 'string' },
    },
  });
  const machine = machineInfo();
  const rows: Row[] = [];
  if (!values['no-fixtures']) {
    for (const project of ['libuv', 'fmt']) {
      rows.push(...leaveOneOut(fixtureSubjects([`${project}-make-j1`, `${project}-make-j2`]), { ...machine, cores: 2 }, `fixture ${project}`));
    }
  }
  // --keep DIR: build in DIR and keep it; run again with the same DIR to predict the same builds without building.
  const root = values.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'buildmon-eta-'));
  fs.mkdirSync(root, { recursive: true });
  try {
    if (!values['no-build']) {
      const subjects = await realBuilds({
        runs: Number(values.runs ?? 3), packages: values.packages ? Number(values.packages) : undefined,
        files: values.files ? Number(values.files) : undefined, cost: values.cost ? Number(values.cost) : undefined,
      }, root);
      rows.push(...leaveOneOut(subjects, machine, 'generated'));
    }
  } finally {
    if (values.keep === undefined) fs.rmSync(root, { recursive: true, force: true });
  }
  if (values.verbose) for (const r of rows) console.log(`  ${r.group.padEnd(36)} ${r.label.padEnd(24)} ${pct(r.start)} ${r.at.map(pct).join(' ')}`);
  printTable(rows);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
