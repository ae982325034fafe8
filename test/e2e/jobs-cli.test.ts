import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, tempDir, tempHome } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';

interface Candidate { jobs: number; predicted_ms: number; parallel_efficiency: number; basis: string; optimal: boolean }
interface JobsJson {
  project_dir: string; target: string; build_history_key: string; eta: string; eta_ms: number; confidence: number;
  parallel_efficiency: number; optimal_job_count: number; recommendations: string[]; predicted_total_ms: number; basis: string;
  resource_prediction: Record<string, unknown>; candidates: Candidate[]; builds: number; scaling: string;
}

/** The libuv builds at -j1 (60.2 s) and -j2 (30.2 s), imported as builds of one project directory. */
function libuvHistory(): { home: string; proj: string } {
  const home = tempHome();
  const proj = path.join(tempDir(), 'libuv');
  fs.mkdirSync(proj);
  const r = runCli(['import', '--cwd', proj, fixture('libuv-make-j1.log'), fixture('libuv-make-j2.log')], { home });
  assert.equal(r.code, 0, r.stderr);
  return { home, proj };
}

test('jobs: a row per job count from the recorded builds, the best one, and why', () => {
  const { home, proj } = libuvHistory();
  const r = runCli(['jobs', proj, '--json'], { home });
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout.toString('utf8')) as JobsJson;
  assert.deepEqual(j.candidates.map((c) => [c.jobs, c.predicted_ms, c.parallel_efficiency, c.basis, c.optimal]), [
    [1, 60241, 100, 'same-jobs', false],
    [2, 30187, 100, 'same-jobs', true], // 60241 / (2 × 30187) = 99.8%
  ]);
  // The latest build was the -j1 one, so that is the job count advised on.
  assert.deepEqual([j.project_dir, j.target, j.build_history_key, j.optimal_job_count, j.basis, j.predicted_total_ms, j.eta_ms, j.builds],
    [proj, 'all', 'all_j1', 2, 'same-jobs', 60241, 60241, 2]);
  assert.match(j.eta, /^1m 00s@\d\d:\d\d$/);
  assert.deepEqual(j.recommendations, ['-j2 is predicted 50% faster than -j1 (30s vs 1m 00s)']);
  assert.equal(j.scaling, 'Amdahl fit over -j1, -j2: serial 0%');
  assert.deepEqual(j.resource_prediction, { peak_memory: null, avg_cpu: null, based_on_j1_history: true, peak_memory_bytes: null, avg_cpu_pct: null },
    'logs carry no samples: memory and CPU stay unknown rather than guessed');

  const asked = JSON.parse(runCli(['jobs', proj, '--json', '--jobs', '2'], { home }).stdout.toString('utf8')) as JobsJson;
  assert.deepEqual([asked.build_history_key, asked.predicted_total_ms, asked.recommendations],
    ['all_j2', 30187, ['Current -j2 is optimal for this system and target']]);

  const text = runCli(['jobs', proj], { home });
  assert.equal(text.code, 0);
  assert.match(text.stdout.toString('utf8'), /^\* {4}2 {7}30s {10}\? {8}100% {2}measured \(confidence 0\.38\)$/m);
});

test('jobs: a target never built, a missing directory and a bad --jobs are told apart by exit code', () => {
  const { home, proj } = libuvHistory();
  const none = runCli(['jobs', proj, '--target', 'uv_run_tests'], { home });
  assert.equal(none.code, 1);
  assert.match(none.stdout.toString('utf8'), /^- No finished build of uv_run_tests yet: build it once to get job-count advice$/m);
  const missing = runCli(['jobs', path.join(proj, 'nope')], { home });
  assert.deepEqual([missing.code, missing.stderr.trim()], [2, `buildmon: jobs: ${path.join(proj, 'nope')} is not a directory`]);
  const bad = runCli(['jobs', proj, '--jobs', 'x'], { home });
  assert.deepEqual([bad.code, bad.stderr.trim()], [2, "buildmon: jobs: --jobs takes a whole number from 1 to 4096, not 'x'"]);
});
