import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { fixture } from '../../test/helpers/paths.js';
import { tempDir } from '../../test/helpers/cli.js';
import { sessionRecord } from '../../test/helpers/records.js';
import { ingestLog } from '../run/ingest.js';
import { openStore } from '../store/store.js';
import { toolSchema } from './answer-bounds.js';
import { createBuildmonServer } from './server.js';
import { toolAnswer } from './tool-result.js';

// Real answers of every read-only tool, checked by the SDK client the way any MCP client checks them:
// once it has listed the tools, it validates each answer's structuredContent against the tool's outputSchema.

const root = fs.realpathSync(tempDir('buildmon-answers-'));
const store = openStore(path.join(root, 'home'));
/** An imported fmt project: a failed -j2 build, then full -j2 and -j1 builds (the newest). */
const fmt = path.join(root, 'fmt');
/** A small CMake source tree: app <- extra <- core, and solo on its own. */
const proj = path.join(root, 'proj');
/** A plain Makefile project whose packages earlier builds taught (no dependencies known). */
const plain = path.join(root, 'plain');
const ids = { failed: '', j2: '', j1: '' };
const client = new Client({ name: 'answers-test', version: '1.0.0' });
let cleanup = (): void => undefined;

before(async () => {
  fs.mkdirSync(fmt);
  ids.failed = ingestLog(store, fixture('fail-fmt-cxx-make-j2.log'), { cwd: fmt }, true).session.id;
  ids.j2 = ingestLog(store, fixture('fmt-make-j2.log'), { cwd: fmt }, true).session.id;
  ids.j1 = ingestLog(store, fixture('fmt-make-j1.log'), { cwd: fmt }, true).session.id;
  fs.mkdirSync(path.join(proj, 'lib'), { recursive: true });
  fs.writeFileSync(path.join(proj, 'CMakeLists.txt'), 'project(demo C)\nadd_subdirectory(lib)\nadd_executable(app main.c util.c)\ntarget_link_libraries(app PRIVATE core extra)\n');
  fs.writeFileSync(path.join(proj, 'lib', 'CMakeLists.txt'),
    'add_library(core STATIC core.c core.h)\nadd_library(extra STATIC extra.c)\ntarget_link_libraries(extra PRIVATE core)\nadd_library(solo STATIC solo.c)\n');
  fs.mkdirSync(plain);
  fs.writeFileSync(path.join(plain, 'Makefile'), 'all:\n');
  store.details.rememberProjectPackages(plain, [
    { name: 'alpha', kind: 'directory', filesTotal: 4, dependsOn: [] },
    { name: 'beta', kind: 'directory', filesTotal: 4, dependsOn: [] },
  ], 'learned', 1);
  const made = createBuildmonServer({ store, env: {}, cwd: root, roots: [root], allowTools: [], version: '0.0.0' });
  cleanup = made.cleanup;
  // A tool whose answer has a field its schema lacks: the check below must refuse it.
  made.server.registerTool('extra_field_probe', { description: 'test only', outputSchema: toolSchema({ a: z.number() }) },
    () => toolAnswer({ a: 1, dependencies_known: true }, 'probe'));
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([made.server.connect(serverSide), client.connect(clientSide)]);
  await client.listTools();
});

after(async () => {
  await client.close();
  cleanup();
  store.close();
});

async function call(name: string, args: Record<string, unknown> = {}): Promise<{ structured: Record<string, unknown>; text: string }> {
  const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
  assert.notEqual(r.isError, true, text);
  return { structured: r.structuredContent as Record<string, unknown>, text };
}

test('once it has listed the tools, the client refuses an answer with a field its outputSchema lacks', async () => {
  await assert.rejects(client.callTool({ name: 'extra_field_probe', arguments: {} }), /must NOT have additional properties/);
});

test('build_packages: a CMake tree, a Makefile project with no known dependencies, and an empty directory', async () => {
  const tree = await call('build_packages', { cwd: proj });
  assert.deepEqual(tree.structured, {
    project_dir: proj, source_dir: proj, build_dir: null, model_source: 'cmakelists', dependencies_known: true, package_count: 4,
    detected_packages: ['app', 'core', 'extra', 'solo'], dependency_graph: { app: ['extra'], core: [], extra: ['core'], solo: [] },
    critical_path: ['core', 'extra', 'app'], critical_path_basis: 'files', critical_path_weight: 4, parallel_opportunities: ['core', 'solo'], wave_sizes: [2, 1, 1],
    // The critical path first, in build order, then the rest.
    packages: [
      { name: 'core', kind: 'static', dir: 'lib', files: 1, depends_on: [], avg_duration_ms: null },
      { name: 'extra', kind: 'static', dir: 'lib', files: 1, depends_on: ['core'], avg_duration_ms: null },
      { name: 'app', kind: 'executable', dir: '', files: 2, depends_on: ['extra'], avg_duration_ms: null },
      { name: 'solo', kind: 'static', dir: 'lib', files: 1, depends_on: [], avg_duration_ms: null },
    ],
    omitted: {},
  });
  assert.equal(tree.text, '4 packages (from cmakelists)\nwaves: 2 + 1 + 1 (3 waves)\ncritical path (4 files): core -> extra -> app\nparallel: core, solo');
  const two = await call('build_packages', { cwd: proj, limit: 2 });
  assert.deepEqual([two.structured.detected_packages, two.structured.dependency_graph, two.structured.omitted],
    [['core', 'extra'], { core: [], extra: ['core'] }, { packages: 2, critical_path: 1 }]);

  const learned = await call('build_packages', { cwd: plain });
  assert.deepEqual(learned.structured, {
    project_dir: plain, source_dir: plain, build_dir: plain, model_source: 'learned', dependencies_known: false, package_count: 2,
    detected_packages: ['alpha', 'beta'], dependency_graph: { alpha: [], beta: [] }, critical_path: [], critical_path_basis: 'files',
    critical_path_weight: 0, parallel_opportunities: [], wave_sizes: [],
    packages: [
      { name: 'alpha', kind: 'directory', dir: null, files: 0, depends_on: [], avg_duration_ms: null },
      { name: 'beta', kind: 'directory', dir: null, files: 0, depends_on: [], avg_duration_ms: null },
    ],
    omitted: {},
  });
  assert.equal(learned.text, '2 packages (from learned)\ndependencies unknown: a plain Makefile\'s output does not say what waits for what');
  assert.equal((await call('build_packages', { cwd: fmt })).structured.model_source, 'none');
  // A directory reached through a symlink is the directory itself, as build_start records it.
  const link = path.join(path.dirname(proj), 'proj-link');
  fs.symlinkSync(proj, link);
  assert.deepEqual([(await call('build_packages', { cwd: link })).structured.project_dir, (await call('build_optimal_jobs', { cwd: link })).structured.project_dir], [proj, proj]);
});

test('build_optimal_jobs: -j2 against -j1 from the two full fmt builds', async () => {
  const { structured: a, text } = await call('build_optimal_jobs', { cwd: fmt });
  assert.match(a.eta as string, /^4m 05s@\d\d:\d\d$/);
  const candidates = (a.candidates as { jobs: number }[]).filter((c) => c.jobs <= 2);
  assert.deepEqual({ ...a, eta: null, candidates }, {
    project_dir: fmt, target: 'all', build_history_key: 'all_j1', eta: null, eta_ms: 245_272, confidence: 0.38, parallel_efficiency: 100,
    optimal_job_count: a.optimal_job_count,
    resource_prediction: { peak_memory: null, avg_cpu: null, based_on_j1_history: true, peak_memory_bytes: null, avg_cpu_pct: null },
    recommendations: a.recommendations, predicted_total_ms: 245_272, basis: 'same-jobs',
    candidates: [
      { jobs: 1, predicted_ms: 245_272, peak_memory_bytes: null, fits_memory: null, parallel_efficiency: 100, avg_cpu_pct: null, basis: 'same-jobs', confidence: 0.38, optimal: a.optimal_job_count === 1 },
      { jobs: 2, predicted_ms: 135_651, peak_memory_bytes: null, fits_memory: null, parallel_efficiency: 90, avg_cpu_pct: null, basis: 'same-jobs', confidence: 0.38, optimal: a.optimal_job_count === 2 },
    ],
    builds: 3, scaling: 'Amdahl fit over -j1, -j2: serial 11%',
  });
  if (os.availableParallelism() === 2) {
    assert.deepEqual([a.optimal_job_count, a.recommendations], [2, ['-j2 is predicted 45% faster than -j1 (2m 16s vs 4m 05s)']]);
    assert.match(text, /^all in .*: best -j2\n -j1: 4m 05s, 100% efficient \(same-jobs\)\n\*-j2: 2m 16s, 90% efficient \(same-jobs\)\n/);
  }
});

test('build_status and build_wait: an ended build, field by field', async () => {
  const status = await call('build_status', { session_id: ids.failed });
  assert.deepEqual(status.structured, {
    session_id: ids.failed, status: 'failed', build_history_key: 'all_j2', command: 'make -j2', project_dir: fmt, elapsed: '3.4s', elapsed_ms: 3388,
    progress_pct: 40, eta: null, predicted_ms: null, error_count: 2, warning_count: 0, active_packages: [], exit_code: 2, message: null, res: null,
    peak_rss_bytes: null, avg_cpu_pct: null, recommendations: ['No finished build of all yet: build it once to get job-count advice'],
    last_line: 'make: *** [Makefile:156: all] Error 2',
  });
  assert.equal(status.text, `2 errors (see build_errors)\n${ids.failed} failed exit 2 3.4s 40% · all_j2 · 0 warnings`);
  const waited = (await call('build_wait', { session_id: ids.j2, timeout_s: 5 })).structured;
  assert.ok((waited.waited_ms as number) < 1000, `an ended build waits for nothing, waited ${String(waited.waited_ms)} ms`);
  assert.deepEqual({ ...waited, waited_ms: 0 }, {
    session_id: ids.j2, status: 'succeeded', build_history_key: 'all_j2', command: 'make -j2', project_dir: fmt, elapsed: '2m 16s', elapsed_ms: 135_651,
    progress_pct: 100, eta: null, predicted_ms: null, error_count: 0, warning_count: 1, active_packages: [], exit_code: 0, message: null, res: null,
    peak_rss_bytes: null, avg_cpu_pct: null, recommendations: ['Only -j2 has been measured for all: build it once at another job count (or with CPU sampling) to learn how it scales'],
    last_line: '[100%] Built target printf-test', ended: true, waited_ms: 0,
  });
});

test('build_errors: pages of the two errors of the failed build, with a cursor', async () => {
  const first = await call('build_errors', { session_id: ids.failed, limit: 1 });
  const os413 = {
    severity: 'error', tool: 'compiler', file: '/src/fail/fmt-cxx/src/os.cc', line: 413, column: 5,
    message: '‘std::string’ {aka ‘class std::__cxx11::basic_string<char>’} has no member named ‘no_such_member’', package: 'fmt', category: 'undeclared',
  };
  assert.deepEqual(first.structured, {
    session_id: ids.failed, status: 'failed', error_count: 2, warning_count: 0, diagnostics: [os413], omitted: 1, next_cursor: '1', indexing: false,
  });
  assert.equal(first.text.split('\n').at(-1), '(1 more: build_errors cursor:"1")');
  const second = (await call('build_errors', { session_id: ids.failed, cursor: '1' })).structured;
  assert.deepEqual([second.omitted, second.next_cursor, (second.diagnostics as { file: string; line: number }[]).map((d) => [d.file, d.line])],
    [0, undefined, [['/src/fail/fmt-cxx/include/fmt/base.h', 2273]]]);
  const all = (await call('build_errors', { session_id: ids.failed })).structured;
  assert.deepEqual((all.diagnostics as unknown[])[0], os413);
  assert.deepEqual([(all.diagnostics as unknown[]).length, all.omitted, 'next_cursor' in all], [2, 0, false]);
});

test('build_output: the failed build\'s diagnostics first, then a cursor walk', async () => {
  const first = (await call('build_output', { session_id: ids.failed, limit: 3 })).structured;
  assert.deepEqual(first, {
    session_id: ids.failed, status: 'failed', lines: [
      { n: 3, text: '/src/fail/fmt-cxx/src/os.cc: In function ‘void fmt_injected::bad_member()’:', notable: true },
      { n: 4, text: '/src/fail/fmt-cxx/src/os.cc:413:5: error: ‘std::string’ {aka ‘class std::__cxx11::basic_string<char>’} has no member named ‘no_such_member’', notable: true },
      { n: 5, text: '  413 |   s.no_such_member(3);', notable: true },
    ],
    next_cursor: '1', total_lines: 20, notable_lines: 18, notable_omitted: 15, indexing: null,
  });
  const tail = (await call('build_output', { session_id: ids.failed, cursor: '19' })).structured;
  assert.deepEqual([(tail.lines as { n: number }[]).map((l) => l.n), tail.next_cursor], [[19, 20], null]);
});

test('build_package_status, build_list and build_history over the imported builds', async () => {
  const pkgs = (await call('build_package_status', { session_id: ids.j2, limit: 2 })).structured;
  assert.deepEqual(pkgs, {
    session_id: ids.j2, status: 'succeeded', active_packages: [], packages: [
      { name: 'args-test', status: 'completed', reason: null, files_done: 1, files_total: null, progress_pct: 100, elapsed_ms: 2422, depends_on: [], errors: 0, warnings: 0 },
      { name: 'assert-test', status: 'completed', reason: null, files_done: 1, files_total: null, progress_pct: 100, elapsed_ms: 1183, depends_on: [], errors: 0, warnings: 0 },
    ],
    omitted: 24, counts: { completed: 26 },
  });
  const list = (await call('build_list', { limit: 2 })).structured;
  assert.deepEqual(list, {
    sessions: [
      { session_id: ids.j1, status: 'succeeded', build_history_key: 'all_j1', command: 'make -j1', project_dir: fmt, started_ms: 1_795_997_076_235, elapsed: '4m 05s', progress_pct: 100, eta: null, error_count: 0, warning_count: 1, exit_code: 0 },
      { session_id: ids.j2, status: 'succeeded', build_history_key: 'all_j2', command: 'make -j2', project_dir: fmt, started_ms: 1_795_996_811_451, elapsed: '2m 16s', progress_pct: 100, eta: null, error_count: 0, warning_count: 1, exit_code: 0 },
    ],
  });
  const history = (await call('build_history', { job_count: 2 })).structured;
  assert.deepEqual(history, {
    keys: [{ project_dir: fmt, build_history_key: 'all_j2', target: 'all', jobs: 2, builds: 2, succeeded: 1, avg_duration_ms: 135_651, last_duration_ms: 135_651 }],
    keys_omitted: 0,
    builds: [
      { session_id: ids.j2, build_history_key: 'all_j2', project_dir: fmt, status: 'succeeded', started_ms: 1_795_996_811_451, duration_ms: 135_651 },
      { session_id: ids.failed, build_history_key: 'all_j2', project_dir: fmt, status: 'failed', started_ms: 1_795_996_701_675, duration_ms: 3388 },
    ],
  });
});

test('build_package_history: without job_count, the latest build\'s -j; at a -j never built, the job counts there are', async () => {
  const latest = await call('build_package_history', { package_name: 'fmt' });
  assert.deepEqual(latest.structured, {
    package: 'fmt', job_count: null, job_counts: [1, 2], histories: [{
      project_dir: fmt, key: 'fmt_j1', jobs: 1, based_on: 'same-jobs', avg_duration: '3.9s', avg_duration_ms: 3882, confidence: 0.38, sample_count: 1,
      typical_files: 2, bottleneck_files: [{ source: 'src/format.cc', avg_ms: 3316, share_pct: 87.4 }], trend: { direction: 'steady', change_pct: 0 },
      peak_rss_bytes: null, cpu_ms: null,
    }],
  });
  assert.equal(latest.text, `fmt_j1 (-j1, the latest build that completed it) · 3.9s busy · 1 build, confidence 0.38 · 2 files · steady · slowest: src/format.cc 87.4% · ${fmt}`);
  const at2 = (await call('build_package_history', { package_name: 'fmt', job_count: 2 })).structured;
  assert.deepEqual((at2.histories as { key: string; sample_count: number }[]).map((h) => [h.key, h.sample_count]), [['fmt_j2', 1]]);
  const none = await call('build_package_history', { package_name: 'fmt', job_count: 4 });
  assert.deepEqual(none.structured, { package: 'fmt', job_count: 4, histories: [], job_counts: [1, 2] });
  assert.equal(none.text, 'no completed, timed build of fmt at -j4; it completed at -j1, -j2: pass job_count');
  assert.deepEqual((await call('build_package_history', { package_name: 'no_such_package' })).structured,
    { package: 'no_such_package', job_count: null, histories: [], job_counts: [] });
});

test('build_conflicts: this machine\'s cores, and no buildmon build running', async () => {
  const { structured } = await call('build_conflicts');
  assert.deepEqual([structured.cores, structured.buildmon], [os.availableParallelism(), []]);
  assert.ok(Array.isArray(structured.others));
});

test('a command of thousands of targets and a long message are cut in status and list answers (runs last: it adds a session)', async () => {
  const targets = Array.from({ length: 3000 }, (_, i) => `target_${i}`);
  store.sessions.insert(sessionRecord({
    id: 'hugecmd1', command: ['make', ...targets], projectDir: path.join(root, 'huge'), cwd: path.join(root, 'huge'), status: 'failed',
    startedMs: 2_000_000_000_000, endedMs: 2_000_000_001_000, exitCode: 2, message: 'x'.repeat(2000),
  }));
  const full = `make ${targets.join(' ')}`;
  const status = (await call('build_status', { session_id: 'hugecmd1' })).structured;
  assert.deepEqual([status.command, status.message], [`${full.slice(0, 500)}…(+${full.length - 500} chars)`, `${'x'.repeat(500)}…(+1500 chars)`]);
  const listed = (await call('build_list', { limit: 1 })).structured as { sessions: { session_id: string; command: string }[] };
  assert.deepEqual(listed.sessions.map((s) => [s.session_id, s.command]), [['hugecmd1', status.command]]);
});
