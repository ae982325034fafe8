import type { SessionRecord } from '../../src/store/session-types.js';

/** A running `make -j2` session in `/p/build`, for store tests; `over` sets what a test cares about. */
export function sessionRecord(over: Partial<SessionRecord>): SessionRecord {
  return {
    id: 's1', command: ['make', '-j2'], cwd: '/p/build', projectDir: '/p/build', tool: 'make', target: 'all',
    targets: ['all'], jobs: 2, historyKey: 'all_j2', hostname: 'h', cores: 2, memBytes: 1, startedMs: 1000,
    endedMs: null, exitCode: null, signal: null, status: 'running', source: 'live', logPath: '/l/s1.log',
    runnerPid: null, runnerStart: null, buildPid: null, buildStart: null, predictedMs: null, progressPct: null, lineCount: 0,
    warningCount: 0, errorCount: 0, lastLine: null, message: null, buildCpuMs: null, runnerCpuMs: null, updatedMs: 1000, ...over,
  };
}
