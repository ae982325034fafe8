import fs from 'node:fs';
import path from 'node:path';
import { formatDuration } from '../../core/format.js';
import { BuildmonError } from '../../store/errors.js';
import { ingestLog, type IngestedLog, type IngestOverrides } from '../../run/ingest.js';
import type { CliCommand, CliContext } from '../command.js';
import { parseOptions, positiveInt } from '../options.js';
import { diagnosticJson } from './sessions.js';

const REPLAY_USAGE = `Usage: buildmon replay [--json] [--no-record] [--jobs N] [--target T] [--command CMD] FILE...

Feeds each timestamped build log through the same engine a live build uses, in virtual time, in
the order given, and prints what it would have shown: the prediction at the start and at each
tenth of the build. Unless --no-record, each log is recorded into history first, so the next
file's prediction can use it.

Options:
  --json          one JSON object per file, one per line
  --no-record     do not record the logs into history
  --jobs N        job count, for logs whose header has none (overrides the header)
  --target T      target, likewise
  --command CMD   the build command, likewise
  --cwd DIR       the build directory, likewise`;

const IMPORT_USAGE = `Usage: buildmon import [--json] [--jobs N] [--target T] [--command CMD] [FILE...]

Records timestamped build logs into history. With no FILE, imports every log in the buildmon
home's logs folder that the database does not know: this rebuilds a lost or corrupt database.
Accepts buildmon's own logs and lines stamped by moreutils 'ts %.s' or ISO-8601 CI timestamps.`;

const OPTIONS = {
  json: { type: 'boolean' },
  'no-record': { type: 'boolean' },
  jobs: { type: 'string' },
  target: { type: 'string' },
  command: { type: 'string' },
  cwd: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function overridesFrom(name: string, v: Record<string, string | boolean | string[] | undefined>): IngestOverrides {
  const o: IngestOverrides = {};
  const jobs = positiveInt(name, 'jobs', v.jobs as string | undefined);
  if (jobs !== undefined) o.jobs = jobs;
  if (typeof v.target === 'string') o.target = v.target;
  if (typeof v.command === 'string') o.command = v.command;
  if (typeof v.cwd === 'string') o.cwd = v.cwd;
  return o;
}

/** The JSON line `replay --json` prints for one log. */
export function replayJson(r: IngestedLog): Record<string, unknown> {
  const s = r.session;
  return {
    file: r.file, session_id: s.id, history_key: s.historyKey, target: s.target, jobs: s.jobs, dialect: r.dialect,
    exit_code: s.exitCode, status: s.status, duration_ms: (s.endedMs ?? s.startedMs) - s.startedMs,
    predicted_ms_at_start: r.priorMs,
    prediction: { basis: r.prediction.basis, confidence: r.prediction.confidence, samples: r.prediction.samples, explanation: r.prediction.explanation },
    checkpoints: r.replay.checkpoints.map((c) => ({
      fraction: c.fraction, elapsed_ms: c.elapsedMs, progress_pct: c.progressPct, predicted_total_ms: c.predictedTotalMs,
    })),
    line_count: s.lineCount, warning_count: s.warningCount, error_count: s.errorCount,
    packages: r.replay.packages, diagnostics: r.replay.diagnostics.map(diagnosticJson), problems: r.problemCount, recorded: r.recorded,
  };
}

function replayText(r: IngestedLog): string {
  const s = r.session;
  const d = (s.endedMs ?? s.startedMs) - s.startedMs;
  const head = `${path.basename(r.file)}: ${s.historyKey} · ${s.status}${s.exitCode !== null && s.exitCode !== 0 ? ` (exit ${s.exitCode})` : ''} in ${formatDuration(d, true)} · ${s.lineCount} lines · ${s.warningCount} warnings, ${s.errorCount} errors`;
  const why = r.prediction.basis === 'none'
    ? 'from past builds\' file times, scheduled onto the job slots'
    : `${r.prediction.explanation}, confidence ${r.prediction.confidence.toFixed(2)}`;
  const start = `  predicted at start: ${r.priorMs === null ? 'no history' : `${formatDuration(r.priorMs, true)} (${why})`}`;
  const cps = r.replay.checkpoints
    .map((c) => `  ${String(Math.round(c.fraction * 100)).padStart(3)}%  elapsed ${formatDuration(c.elapsedMs, true).padEnd(8)} progress ${c.progressPct === null ? '   ?' : c.progressPct.toFixed(0).padStart(3) + '%'}  predicted total ${c.predictedTotalMs === null ? '?' : formatDuration(c.predictedTotalMs, true)}`);
  const tail = r.recorded === 'recorded' ? '  recorded into history' : r.recorded === 'already' ? '  already in history' : '';
  return [head, start, ...cps, ...(tail ? [tail] : []), ...(r.problemCount > 0 ? [`  ${r.problemCount} unreadable line(s) kept as they were`] : [])].join('\n');
}

/** Orders logs by when their build started, so each is predicted only from the builds before it. */
function byStartTime(files: string[]): string[] {
  const started = (file: string): number => {
    try {
      const fd = fs.openSync(file, 'r');
      const head = Buffer.alloc(4096);
      const n = fs.readSync(fd, head, 0, head.length, 0);
      fs.closeSync(fd);
      const m = /^# started: (\d+)/m.exec(head.subarray(0, n).toString('latin1'));
      return m ? Number(m[1]) : Number.MAX_SAFE_INTEGER;
    } catch {
      return Number.MAX_SAFE_INTEGER;
    }
  };
  return files.map((f) => ({ f, t: started(f) })).sort((a, b) => a.t - b.t || a.f.localeCompare(b.f)).map((x) => x.f);
}

export const replayCommand: CliCommand = {
  name: 'replay',
  usage: REPLAY_USAGE,
  async run(args: string[], ctx: CliContext): Promise<number> {
    const { values, positionals } = parseOptions('replay', args, OPTIONS);
    if (values.help) return void ctx.stdout.write(REPLAY_USAGE + '\n'), 0;
    if (positionals.length === 0) throw new BuildmonError('bad-usage', 'replay: give at least one log FILE\nSee: buildmon replay --help');
    const overrides = overridesFrom('replay', values);
    const store = ctx.store();
    let failures = 0;
    for (const file of positionals) {
      try {
        const r = ingestLog(store, path.resolve(ctx.cwd, file), overrides, values['no-record'] !== true);
        ctx.stdout.write((values.json ? JSON.stringify(replayJson(r)) : replayText(r)) + '\n');
      } catch (err) {
        if (!(err instanceof BuildmonError)) throw err;
        failures++;
        ctx.stderr.write(`buildmon: ${err.message}\n`);
      }
    }
    return failures > 0 ? 1 : 0;
  },
};

export const importCommand: CliCommand = {
  name: 'import',
  usage: IMPORT_USAGE,
  async run(args: string[], ctx: CliContext): Promise<number> {
    const { values, positionals } = parseOptions('import', args, OPTIONS);
    if (values.help) return void ctx.stdout.write(IMPORT_USAGE + '\n'), 0;
    const overrides = overridesFrom('import', values);
    const store = ctx.store();
    const files = positionals.length > 0
      ? positionals.map((f) => path.resolve(ctx.cwd, f))
      : byStartTime(fs.readdirSync(store.layout.logsDir).filter((f) => f.endsWith('.log')).map((f) => path.join(store.layout.logsDir, f)));
    const counts = { recorded: 0, already: 0, failed: 0 };
    for (const file of files) {
      try {
        const r = ingestLog(store, file, overrides, true);
        counts[r.recorded === 'recorded' ? 'recorded' : 'already']++;
        if (values.json) ctx.stdout.write(JSON.stringify({ file: r.file, session_id: r.session.id, history_key: r.session.historyKey, status: r.session.status, recorded: r.recorded }) + '\n');
      } catch (err) {
        if (!(err instanceof BuildmonError)) throw err;
        counts.failed++;
        ctx.stderr.write(`buildmon: ${err.message}\n`);
      }
    }
    if (!values.json) ctx.stdout.write(`imported ${counts.recorded} log(s), ${counts.already} already known, ${counts.failed} unreadable\n`);
    return counts.failed > 0 ? 1 : 0;
  },
};
