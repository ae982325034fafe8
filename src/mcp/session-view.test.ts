import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatClock } from '../core/format.js';
import type { SessionRecord } from '../store/session-types.js';
import { etaOf, renderStatus, resOf, type SessionStatusView } from './session-view.js';

const NOW = Date.UTC(2026, 10, 29, 14, 0, 0);

function running(over: Partial<SessionRecord>): SessionRecord {
  return {
    id: 'abcd1234', command: ['make', '-j2'], cwd: '/p', projectDir: '/p', tool: 'make', target: 'all', targets: ['all'], jobs: 2,
    historyKey: 'all_j2', hostname: 'h', cores: 2, memBytes: 0, startedMs: NOW - 60_000, endedMs: null, exitCode: null, signal: null,
    status: 'running', source: 'live', logPath: '/p.log', runnerPid: 1, runnerStart: null, buildPid: 2, buildStart: null,
    predictedMs: null, progressPct: null, lineCount: 0, warningCount: 0, errorCount: 0, lastLine: null, message: null,
    buildCpuMs: null, runnerCpuMs: null, updatedMs: NOW, ...over,
  };
}

test('the eta is the remaining time and the clock time it ends, from progress and the prior; none once ended or with nothing to go on', () => {
  assert.equal(etaOf(running({ progressPct: 50 }), NOW), `1m 00s@${formatClock(NOW + 60_000)}`);
  assert.equal(etaOf(running({ predictedMs: 105_000 }), NOW), `45s@${formatClock(NOW + 45_000)}`);
  // Half done against a prior of 100 s: 0.5 * 100 s + 0.5 * 120 s = 110 s in all, 50 s left.
  assert.equal(etaOf(running({ progressPct: 50, predictedMs: 100_000 }), NOW), `50s@${formatClock(NOW + 50_000)}`);
  // Overrunning the prior: never less than what has elapsed, so 0 s left rather than a time in the past.
  assert.equal(etaOf(running({ predictedMs: 30_000 }), NOW), `0s@${formatClock(NOW)}`);
  assert.equal(etaOf(running({}), NOW), null);
  assert.equal(etaOf(running({ status: 'succeeded', endedMs: NOW, progressPct: 100, predictedMs: 60_000 }), NOW), null);
});

test('the status text puts errors first, then the state, then what is building', () => {
  const view: SessionStatusView = {
    session_id: 'abcd1234', status: 'running', build_history_key: 'all_j2', command: 'make -j2', project_dir: '/p', elapsed: '1m 00s',
    elapsed_ms: 60_000, progress_pct: 42, eta: '45s@14:01', predicted_ms: 105_000, error_count: 1, warning_count: 2,
    active_packages: [{ name: 'package_core', status: 'compiling', files_done: 1, files_total: 4, current_files: ['a.cc', 'b.cc'] },
      { name: 'lib', status: 'linking', files_done: 3, files_total: null, current_files: [] }],
    exit_code: null, message: null, last_line: null, res: '93%/1.5g', peak_rss_bytes: null, avg_cpu_pct: null,
    recommendations: ['Warning: -j8 is predicted to need 9.0GB, more than the 8.0GB available: expect swapping; use -j6', 'Memory usage scales linearly up to -j6 on this system'],
  };
  assert.equal(renderStatus(view), [
    '1 error (see build_errors)',
    'abcd1234 running 1m 00s 42% eta 45s@14:01 res 93%/1.5g · all_j2 · 2 warnings',
    '  compiling package_core 1/4 (a.cc, b.cc)',
    '  linking lib 3 files',
    'Warning: -j8 is predicted to need 9.0GB, more than the 8.0GB available: expect swapping; use -j6',
  ].join('\n'));
});

test('res is the latest CPU reading as a share of the machine and the total RSS; unknown CPU on the first reading', () => {
  assert.equal(resOf(running({ cores: 2, liveResources: { rssBytes: 1.5 * 1024 ** 3, cpuPct: 187, compilers: 2 } })), '94%/1.5g');
  assert.equal(resOf(running({ cores: 4, liveResources: { rssBytes: 300 * 1024 ** 2, cpuPct: null, compilers: 1 } })), '?/300m');
  assert.equal(resOf(running({})), null);
});
