import os from 'node:os';
import { formatDeviation, formatDuration } from '../core/format.js';
import type { SessionRecord } from '../store/session-types.js';

const MARK: Record<string, string> = { succeeded: '✔', failed: '✘', cancelled: '■', lost: '?', running: '…', starting: '…' };

/** The one-screen end-of-build summary: result, duration, key, and how it compared with the prediction. */
export function renderSummary(s: SessionRecord, opts: { color: boolean }): string {
  const duration = s.endedMs === null ? null : s.endedMs - s.startedMs;
  const result = s.status === 'failed' && s.exitCode !== null ? `failed (exit ${s.exitCode})` : s.status;
  const parts = [`${MARK[s.status] ?? ''} ${result}${duration === null ? '' : ` in ${formatDuration(duration, true)}`}`, s.historyKey, `session ${s.id}`];
  if (s.predictedMs !== null && duration !== null && s.status === 'succeeded') {
    parts.push(`predicted ${formatDuration(s.predictedMs, true)} (${formatDeviation(duration, s.predictedMs)})`);
  } else if (s.predictedMs === null && s.status === 'succeeded') {
    parts.push('first build of this key: no prediction yet');
  }
  parts.push(`${s.warningCount} warning${s.warningCount === 1 ? '' : 's'}, ${s.errorCount} error${s.errorCount === 1 ? '' : 's'}`);
  const colorOf = s.status === 'succeeded' ? '32' : s.status === 'failed' || s.status === 'lost' ? '31' : '33';
  const head = `buildmon: ${parts.join(' · ')}`;
  const lines = [opts.color ? `\x1b[${colorOf}m${head}\x1b[0m` : head];
  if (s.message && s.status !== 'succeeded') lines.push(`          ${s.message}`);
  lines.push(`          log: ${s.logPath}${s.status === 'succeeded' ? '' : `  (buildmon show ${s.id} --log)`}`);
  return lines.join('\n');
}

/** The exit code `buildmon run` returns for a finished session: the build's own where it has one. */
export function sessionExitCode(s: SessionRecord): number {
  if (s.status === 'succeeded') return 0;
  if (s.status === 'cancelled') return 130;
  if (s.exitCode !== null) return s.exitCode;
  if (s.signal !== null) {
    const num = os.constants.signals[s.signal as keyof typeof os.constants.signals];
    return num === undefined ? 1 : 128 + num;
  }
  return 1;
}
