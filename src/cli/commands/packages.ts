import path from 'node:path';
import { formatDuration } from '../../core/format.js';
import { BuildmonError } from '../../store/errors.js';
import { projectPackages, type ProjectPackagesReport } from '../../run/project-packages.js';
import type { CliCommand, CliContext } from '../command.js';
import { parseOptions } from '../options.js';
import { isDirectory } from '../../run/resolve-command.js';

const USAGE = `Usage: buildmon packages [DIR] [--json]

Lists the packages of the project in DIR (default: the current directory) and how they depend on
each other, before anything is built: the CMake targets (from the CMake File API reply of a
configured build directory, else the generated build.ninja, else the CMakeLists.txt files), the
link outputs of a plain build.ninja, or the directories a plain Makefile project's earlier builds
entered. DIR may be the source or the build directory. Shows the critical path (the longest chain,
weighed by past durations, else by file counts) and the packages that can build in parallel.

Options:
  --json   one JSON object: detected_packages, dependency_graph, critical_path,
           parallel_opportunities, waves and a row per package

Exit status: 0 when packages were found, 1 when none, 2 on bad usage.`;

export const packagesCommand: CliCommand = {
  name: 'packages',
  usage: USAGE,
  async run(args: string[], ctx: CliContext): Promise<number> {
    const { values, positionals } = parseOptions('packages', args, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) return void ctx.stdout.write(USAGE + '\n'), 0;
    if (positionals.length > 1) throw new BuildmonError('bad-usage', 'packages: give at most one DIR\nSee: buildmon packages --help');
    const dir = path.resolve(ctx.cwd, positionals[0] ?? '.');
    if (!isDirectory(dir)) throw new BuildmonError('bad-usage', `packages: ${dir} is not a directory`);
    const report = projectPackages(ctx.store(), dir);
    ctx.stdout.write(values.json ? JSON.stringify(report) + '\n' : renderReport(report));
    return report.detected_packages.length > 0 ? 0 : 1;
  },
};

function renderReport(r: ProjectPackagesReport): string {
  if (r.detected_packages.length === 0) {
    return `no packages found in ${r.project_dir}: no CMakeLists.txt, no build.ninja, and no earlier build of a Makefile here to learn from\n`;
  }
  const out = [`${r.detected_packages.length} packages in ${r.source_dir} (from ${r.model_source}${r.build_dir ? `; build dir ${r.build_dir}` : ''})`];
  const width = Math.max(...r.packages.map((p) => p.name.length));
  for (const p of r.packages) {
    const files = p.files === null ? '?' : String(p.files);
    const time = p.avg_duration_ms === null ? '' : `  ~${formatDuration(p.avg_duration_ms, true)}`;
    const deps = p.depends_on.length > 0 ? `  <- ${p.depends_on.join(', ')}` : '';
    out.push(`  ${p.name.padEnd(width)}  ${p.kind.padEnd(10)} ${files.padStart(4)} files${time}${deps}`);
  }
  if (!r.dependencies_known) {
    out.push("what waits for what is not known: a plain Makefile's output does not say");
    return out.join('\n') + '\n';
  }
  const weight = r.critical_path_basis === 'duration' ? formatDuration(r.critical_path_weight, true) : `${r.critical_path_weight} files`;
  out.push(`critical path (${weight}): ${r.critical_path.join(' -> ')}`);
  if (r.parallel_opportunities.length > 0) out.push(`can build in parallel: ${r.parallel_opportunities.join(', ')}`);
  return out.join('\n') + '\n';
}

