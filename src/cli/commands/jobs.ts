import path from 'node:path';
import { formatDuration } from '../../core/format.js';
import { formatBytes } from '../../core/predict/format-bytes.js';
import type { JobAdvice } from '../../core/predict/job-advice.js';
import { jobAdviceFor } from '../../run/job-advice-report.js';
import type { PastBuild } from '../../core/predict/past-build.js';
import { BuildmonError } from '../../store/errors.js';
import type { CliCommand, CliContext } from '../command.js';
import { parseOptions } from '../options.js';
import { isDirectory } from '../../run/resolve-command.js';

const USAGE = `Usage: buildmon jobs [DIR] [--target T] [--jobs N] [--json]

Which -j to use here: the predicted wall time, peak memory and parallel efficiency of each
candidate job count for the project in DIR (default: the current directory; a source directory
with a configured build directory below it works too), learned from its recorded builds. The best
job count is the smallest one within 3% of the fastest whose predicted peak memory fits this
machine's available memory with headroom.

Options:
  --target T   the target to advise on (default: the target of the project's latest build)
  --jobs N     the job count you plan to use, to compare against (default: the latest build's)
  --json       one JSON object: the forecast (build_history_key, eta, eta_ms, confidence,
               parallel_efficiency, optimal_job_count, resource_prediction, recommendations)
               plus a row per candidate job count

Exit status: 0 with advice, 1 when the project has no recorded builds, 2 on bad usage.`;

export const jobsCommand: CliCommand = {
  name: 'jobs',
  usage: USAGE,
  async run(args: string[], ctx: CliContext): Promise<number> {
    const { values, positionals } = parseOptions('jobs', args, {
      target: { type: 'string' }, jobs: { type: 'string', short: 'j' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    });
    if (values.help) return void ctx.stdout.write(USAGE + '\n'), 0;
    if (positionals.length > 1) throw new BuildmonError('bad-usage', 'jobs: give at most one DIR\nSee: buildmon jobs --help');
    const wantedTarget = values.target as string | undefined;
    const requested = values.jobs === undefined ? undefined : parseJobs(values.jobs as string);
    const dir = path.resolve(ctx.cwd, positionals[0] ?? '.');
    if (!isDirectory(dir)) throw new BuildmonError('bad-usage', `jobs: ${dir} is not a directory`);
    const { report, advice, history, machine } = jobAdviceFor(ctx.store(), dir, { target: wantedTarget, jobs: requested }, Date.now());
    if (values.json) ctx.stdout.write(JSON.stringify(report) + '\n');
    else ctx.stdout.write(render(report.project_dir, report.target, history, advice, machine.availableMemBytes));
    return history.some((b) => b.succeeded) ? 0 : 1;
  },
};

function render(projectDir: string, target: string, history: readonly PastBuild[], advice: JobAdvice, availableBytes: number): string {
  const ok = history.filter((b) => b.succeeded).length;
  const out = [`${target} in ${projectDir}: ${ok} successful build${ok === 1 ? '' : 's'} recorded; ${formatBytes(availableBytes)} memory available now`];
  if (ok > 0) {
    out.push(`  ${'-j'.padStart(4)}  ${'time'.padStart(8)}  ${'peak mem'.padStart(9)}  ${'efficiency'.padStart(10)}  basis`);
    for (const r of advice.rows) {
      const mark = r.jobs === advice.optimalJobCount ? '*' : ' ';
      const time = r.predictedMs === null ? '?' : formatDuration(r.predictedMs, true);
      const mem = r.peakBytes === null ? '?' : formatBytes(r.peakBytes) + (r.fitsMemory === false ? '!' : '');
      const eff = r.parallelEfficiency === null ? '?' : `${Math.round(r.parallelEfficiency)}%`;
      out.push(`${mark} ${String(r.jobs ?? '?').padStart(4)}  ${time.padStart(8)}  ${mem.padStart(9)}  ${eff.padStart(10)}  ${basisWords(r.basis)}${r.basis === 'none' ? '' : ` (confidence ${r.confidence.toFixed(2)})`}`);
    }
    if (advice.scaling) out.push(`  scaling: ${advice.scaling}`);
    if (advice.optimalJobCount !== null) out.push(`  * best: -j${advice.optimalJobCount}${advice.rows.some((r) => r.fitsMemory === false) ? '   ! would not fit in memory' : ''}`);
  }
  for (const r of advice.recommendations) out.push(`- ${r}`);
  return out.join('\n') + '\n';
}

function basisWords(basis: string): string {
  switch (basis) {
    case 'same-jobs': return 'measured';
    case 'scaled': return 'predicted from other -j';
    case 'legacy': return 'older builds without -j';
    default: return 'unknown';
  }
}

function parseJobs(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 4096) throw new BuildmonError('bad-usage', `jobs: --jobs takes a whole number from 1 to 4096, not '${text}'`);
  return n;
}

