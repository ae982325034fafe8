import { formatDuration } from '../../core/format.js';
import type { CliCommand, CliContext } from '../command.js';
import { parseOptions } from '../options.js';
import { sessionJson } from './sessions.js';

const USAGE = `Usage: buildmon history [KEY] [--json]

Without KEY: one line per project and history key (<target>_j<jobs>): builds, successes, average
and last duration. With KEY: that key's builds. Keys without a job count (e.g. 'all') are older
records whose job count is unknown.`;

export const historyCommand: CliCommand = {
  name: 'history',
  usage: USAGE,
  async run(args: string[], ctx: CliContext): Promise<number> {
    const { values, positionals } = parseOptions('history', args, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) return void ctx.stdout.write(USAGE + '\n'), 0;
    const store = ctx.store();
    const key = positionals[0];
    if (key !== undefined) {
      const list = store.sessions.sessionsForKey(key);
      if (values.json) return void ctx.stdout.write(JSON.stringify({ history_key: key, builds: list.map(sessionJson) }) + '\n'), 0;
      if (list.length === 0) return void ctx.stdout.write(`no builds recorded for key '${key}' (see: buildmon history)\n`), 1;
      for (const s of list) {
        const d = s.endedMs === null ? 'running' : formatDuration(s.endedMs - s.startedMs, true);
        ctx.stdout.write(`${s.id.padEnd(9)} ${s.status.padEnd(10)} ${d.padStart(8)}  ${new Date(s.startedMs).toISOString().slice(0, 19)}  ${s.projectDir}\n`);
      }
      return 0;
    }
    const rows = store.sessions.summarizeKeys();
    if (values.json) {
      ctx.stdout.write(JSON.stringify(rows.map((r) => ({
        project_dir: r.projectDir, history_key: r.historyKey, target: r.target, jobs: r.jobs, job_count_known: r.historyKey !== r.target,
        builds: r.builds, succeeded: r.succeeded, avg_duration_ms: r.avgDurationMs, last_duration_ms: r.lastDurationMs, last_ended_ms: r.lastEndedMs,
      }))) + '\n');
      return 0;
    }
    if (rows.length === 0) return void ctx.stdout.write('no history yet: try buildmon run -- make, or buildmon import LOG\n'), 0;
    ctx.stdout.write(`${'KEY'.padEnd(24)} ${'BUILDS'.padStart(6)} ${'OK'.padStart(4)} ${'AVG'.padStart(8)} ${'LAST'.padStart(8)}  PROJECT\n`);
    for (const r of rows) {
      const key = r.historyKey === r.target ? `${r.historyKey} (jobs ?)` : r.historyKey;
      ctx.stdout.write(`${key.padEnd(24)} ${String(r.builds).padStart(6)} ${String(r.succeeded).padStart(4)} ${(r.avgDurationMs === null ? '-' : formatDuration(r.avgDurationMs, true)).padStart(8)} ${(r.lastDurationMs === null ? '-' : formatDuration(r.lastDurationMs, true)).padStart(8)}  ${r.projectDir}\n`);
    }
    return 0;
  },
};
