import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { generateExample } from '../../examples/generate.js';
import { logBody, logHeader, logStreams, runCli, showJson, tempDir, tempHome } from '../helpers/cli.js';

const SMALL = { packages: 3, filesPerPackage: 2, cost: 0.3, seed: 7 };

function configure(src: string, build: string, generator: 'Unix Makefiles' | 'Ninja'): void {
  const r = spawnSync('cmake', ['-S', src, '-B', build, '-G', generator], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

function lastRunId(home: string): string {
  const r = runCli(['sessions', '--json', '--limit', '1'], { home });
  return (JSON.parse(r.stdout.toString('utf8')) as Array<{ id: string }>)[0]?.id as string;
}

/**
 * Runs a build under buildmon and checks what was recorded against what was printed: the
 * passthrough output is byte for byte the log body, the header and the session agree exactly.
 */
function runAndCheck(home: string, argv: string[], cwd: string, want: { key: string; jobs: number; target: string }): Record<string, unknown> {
  const r = runCli(['run', '--quiet', '--', ...argv], { home, cwd });
  assert.equal(r.code, 0, r.stderr);
  const id = lastRunId(home);
  const s = showJson(home, id);
  assert.equal(s.status, 'succeeded');
  assert.equal(s.exit_code, 0);
  assert.equal(s.history_key, want.key);
  assert.equal(s.jobs, want.jobs);
  assert.equal(s.target, want.target);
  assert.deepEqual(s.command, argv);
  const logPath = s.log_path as string;
  const header = logHeader(logPath);
  assert.equal(header.command, argv.join(' '));
  assert.equal(header.jobs, String(want.jobs));
  assert.equal(header.exit, '0');
  assert.equal(header.status, 'succeeded');
  assert.equal(Number(header.started), s.started_ms);
  assert.equal(Number(header.ended), s.ended_ms);
  assert.equal(s.duration_ms, (s.ended_ms as number) - (s.started_ms as number));
  const body = logBody(logPath);
  const streams = logStreams(logPath);
  assert.deepEqual(streams.out, r.stdout, 'stdout is exactly what the build printed on stdout');
  assert.equal(streams.err.toString('utf8'), r.stderr, 'stderr likewise');
  assert.equal(s.line_count, body.stamps.length);
  const sorted = [...body.stamps].sort((a, b) => a - b);
  assert.deepEqual(body.stamps, sorted, 'stamps are in arrival order');
  assert.ok((body.stamps[0] as number) >= (s.started_ms as number) && (body.stamps.at(-1) as number) <= (s.ended_ms as number));
  // The replay of the recorded log reproduces the live session's record.
  const replay = runCli(['replay', '--json', '--no-record', logPath], { home });
  assert.equal(replay.code, 0, replay.stderr);
  const rj = JSON.parse(replay.stdout.toString('utf8')) as Record<string, unknown>;
  assert.deepEqual(
    [rj.session_id, rj.history_key, rj.jobs, rj.target, rj.exit_code, rj.status, rj.duration_ms, rj.line_count, rj.warning_count, rj.error_count, rj.recorded],
    [s.id, s.history_key, s.jobs, s.target, s.exit_code, s.status, s.duration_ms, s.line_count, s.warning_count, s.error_count, 'skipped'],
  );
  return s;
}

test('FluffOS-shaped CMake project: make -j1 and -j2, then Ninja, recorded exactly', { timeout: 300_000 }, async () => {
  const root = tempDir('buildmon-e2e-');
  const home = tempHome();
  const ex = await generateExample(path.join(root, 'proj'), { shape: 'fluffos', ...SMALL });
  const build = path.join(root, 'proj', 'build');
  configure(ex.dir, build, 'Unix Makefiles');
  const j1 = runAndCheck(home, ['cmake', '--build', build, '-j', '1'], root, { key: 'all_j1', jobs: 1, target: 'all' });
  assert.equal(j1.predicted_ms, null, 'first build of a key has no prediction');
  // The sampler saw the whole process tree, and every compiler and linker went to its package.
  const res = j1.resources as { peak_rss_bytes: number; peak_compilers: number; sample_count: number; packages: { package: string; cpu_ms: number }[] };
  assert.ok(res.sample_count >= 10 && res.peak_rss_bytes > 4 * 1024 * 1024, JSON.stringify(res));
  assert.equal(res.peak_compilers, 1, '-j1 compiles one file at a time');
  // A compile shorter than the sampling interval can be missed; what was seen went to packages of the project.
  const known = new Set(['driver', 'make_defs', ...ex.packages.map((p) => p.target)]);
  assert.ok(res.packages.length > 0 && res.packages.every((p) => known.has(p.package)), JSON.stringify(res.packages));
  assert.ok(res.packages.reduce((n, p) => n + p.cpu_ms, 0) <= (j1.build_cpu_ms as number), 'attributed CPU never exceeds the build\'s');
  spawnSync('cmake', ['--build', build, '--target', 'clean']);
  const j2 = runAndCheck(home, ['make', '-j2'], build, { key: 'all_j2', jobs: 2, target: 'all' });
  // -j2 never ran: predicted from the -j1 build by Amdahl's law, its serial share the idle part of its wall time.
  const cpuMs = j1.build_cpu_ms as number;
  const t1Ms = Math.max(cpuMs, j1.duration_ms as number);
  assert.equal((j2.forecast as { basis: string }).basis, 'scaled');
  assert.ok(Math.abs((j2.predicted_ms as number) - (t1Ms - cpuMs / 2)) <= 1, `${j2.predicted_ms} vs ${t1Ms - cpuMs / 2}`);
  spawnSync('cmake', ['--build', build, '--target', 'clean']);
  const again = runAndCheck(home, ['make', '-j2'], build, { key: 'all_j2', jobs: 2, target: 'all' });
  assert.equal(again.predicted_ms, j2.duration_ms, 'second build of a key is predicted from the first');
  const nbuild = path.join(root, 'proj', 'build-ninja');
  configure(ex.dir, nbuild, 'Ninja');
  const nj = runAndCheck(home, ['ninja', '-C', nbuild, '-j', '2', 'package_core'], root, { key: 'package_core_j2', jobs: 2, target: 'package_core' });
  assert.equal(nj.project_dir, nbuild);
  const hist = runCli(['history', '--json'], { home });
  const rows = JSON.parse(hist.stdout.toString('utf8')) as Array<{ history_key: string; builds: number }>;
  assert.deepEqual(rows.map((r) => [r.history_key, r.builds]).sort(), [['all_j1', 1], ['all_j2', 2], ['package_core_j2', 1]]);
});

test('plain Makefile project: build and a failing build keep their exit codes', { timeout: 120_000 }, async () => {
  const root = tempDir('buildmon-e2e-');
  const home = tempHome();
  const ex = await generateExample(path.join(root, 'mk'), { shape: 'makefile', ...SMALL });
  runAndCheck(home, ['make', '-j2'], ex.dir, { key: 'all_j2', jobs: 2, target: 'all' });
  // Break one source file: the build fails with make's own exit code, and the errors are counted.
  const victim = path.join(ex.dir, ex.packages[0]?.sources[0] as string);
  fs.appendFileSync(victim, '\nint broken( { return 0 }\n');
  const r = runCli(['run', '--', 'make', '-j2'], { home, cwd: ex.dir });
  assert.equal(r.code, 2);
  const s = showJson(home, lastRunId(home));
  assert.equal(s.status, 'failed');
  assert.equal(s.exit_code, 2);
  assert.ok((s.error_count as number) >= 1);
  const streams = logStreams(s.log_path as string);
  assert.deepEqual(streams.out, r.stdout);
  assert.ok(streams.err.length > 0, 'the compiler errors went to stderr');
  assert.ok(r.stderr.startsWith(streams.err.toString('utf8')), "stderr is the build's stderr, then the summary");
  assert.match(r.stderr, /failed \(exit 2\)/);
});
