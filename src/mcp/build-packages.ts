import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { formatDuration, plural } from '../core/format.js';
import { projectPackages, type ProjectPackagesReport } from '../run/project-packages.js';
import { capList, omittedCounts, toolSchema } from './answer-bounds.js';
import type { McpContext } from './mcp-context.js';
import { isDirectory, resolvePhysical } from '../run/resolve-command.js';
import { checkInsideRoots } from './safety.js';
import { guarded, toolAnswer, toolRefusal } from './tool-result.js';

/** Package rows in one answer unless asked otherwise, and at most. */
const DEFAULT_PACKAGES = 50;
const MAX_PACKAGES = 500;
/** Names of parallel_opportunities, wave sizes and dependencies per row in one answer at most. */
export const MAX_PARALLEL = 20;
export const MAX_WAVES = 50;
export const MAX_DEPENDS = 20;
/** Names of the critical path in the text answer at most. */
const TEXT_PATH = 20;

const OUTPUT = toolSchema({
  project_dir: z.string(),
  source_dir: z.string(),
  build_dir: z.string().nullable(),
  model_source: z.string(),
  dependencies_known: z.boolean(),
  package_count: z.number(),
  detected_packages: z.array(z.string()),
  dependency_graph: z.record(z.string(), z.array(z.string())),
  critical_path: z.array(z.string()),
  critical_path_basis: z.enum(['duration', 'files']),
  critical_path_weight: z.number(),
  parallel_opportunities: z.array(z.string()),
  wave_sizes: z.array(z.number()),
  packages: z.array(z.object({
    name: z.string(), kind: z.string(), dir: z.string().nullable(), files: z.number().nullable(), depends_on: z.array(z.string()), avg_duration_ms: z.number().nullable(),
  })),
  omitted: z.record(z.string(), z.number()).describe('Counts cut, per field'),
});

/** What build_packages answers. */
export type PackagesAnswer = z.infer<typeof OUTPUT>;

/** build_packages: the project's packages before anything builds, bounded however many targets it has. */
export function registerBuildPackages(server: McpServer, ctx: McpContext): void {
  server.registerTool('build_packages', {
    title: 'Project packages',
    description: 'Packages of the project in cwd: graph, critical path, waves, what builds in parallel.',
    inputSchema: toolSchema({
      cwd: z.string().describe('Source or build dir, inside the roots'),
      limit: z.number().int().min(1).max(MAX_PACKAGES).default(DEFAULT_PACKAGES).describe(`Rows, critical path first (max ${MAX_PACKAGES})`),
    }),
    outputSchema: OUTPUT,
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, ({ cwd, limit }, extra) => guarded(async () => {
    const dir = resolvePhysical(cwd, ctx.cwd);
    const outside = checkInsideRoots(dir, await ctx.roots(extra.requestId), 'directory');
    if (outside) return toolRefusal(outside);
    if (!isDirectory(dir)) return toolRefusal(`${dir} is not a directory`);
    const answer = packagesAnswer(projectPackages(ctx.store, dir), limit);
    return toolAnswer(answer, renderPackages(answer));
  }));
}

/**
 * The answer for a report, field by field: at most `limit` packages (the critical path first, in
 * build order, then the rest in the model's order), the same ones in detected_packages and
 * dependency_graph; at most `limit` names of the critical path, {@link MAX_PARALLEL} parallel
 * opportunities, {@link MAX_WAVES} wave sizes and {@link MAX_DEPENDS} dependencies a row.
 * `omitted` counts what each field lost (`packages` for all three package fields).
 */
export function packagesAnswer(r: ProjectPackagesReport, limit: number): PackagesAnswer {
  const onPath = new Set(r.critical_path);
  const byName = new Map(r.packages.map((p) => [p.name, p]));
  const pathRows = r.critical_path.flatMap((name) => byName.get(name) ?? []);
  const rows = [...pathRows, ...r.packages.filter((p) => !onPath.has(p.name))].slice(0, limit);
  const shown = new Set(rows.map((p) => p.name));
  let dependsCut = 0;
  const packages = rows.map((p) => {
    const deps = capList(p.depends_on, MAX_DEPENDS);
    dependsCut += deps.omitted;
    return { name: p.name, kind: p.kind, dir: p.dir, files: p.files, depends_on: deps.shown, avg_duration_ms: p.avg_duration_ms };
  });
  const graph: Record<string, string[]> = {};
  for (const p of packages) graph[p.name] = p.depends_on;
  const chain = capList(r.critical_path, limit);
  const parallel = capList(r.parallel_opportunities, MAX_PARALLEL);
  const waves = capList(r.waves.map((w) => w.length), MAX_WAVES);
  return {
    project_dir: r.project_dir, source_dir: r.source_dir, build_dir: r.build_dir, model_source: r.model_source, dependencies_known: r.dependencies_known,
    package_count: r.detected_packages.length,
    detected_packages: r.detected_packages.filter((name) => shown.has(name)),
    dependency_graph: graph,
    critical_path: chain.shown, critical_path_basis: r.critical_path_basis, critical_path_weight: r.critical_path_weight,
    parallel_opportunities: parallel.shown,
    wave_sizes: waves.shown,
    packages,
    omitted: omittedCounts({
      packages: r.packages.length - rows.length, critical_path: chain.omitted, parallel_opportunities: parallel.omitted, waves: waves.omitted, depends_on: dependsCut,
    }),
  };
}

/** A few lines whatever the project's size: counts, wave sizes, the critical path and the parallel set, each capped. */
export function renderPackages(a: PackagesAnswer): string {
  if (a.package_count === 0) return `no packages found in ${a.project_dir}: no CMakeLists.txt, no build.ninja, and no earlier build of a Makefile here`;
  const weight = a.critical_path_basis === 'duration' ? formatDuration(a.critical_path_weight, true) : `${a.critical_path_weight} files`;
  const more = (n: number | undefined): string => (n ? ` (+${n} more)` : '');
  const waveCount = a.wave_sizes.length + (a.omitted.waves ?? 0);
  const pathShown = a.critical_path.slice(0, TEXT_PATH);
  const pathCut = a.critical_path.length - pathShown.length + (a.omitted.critical_path ?? 0);
  const rows = a.omitted.packages ? `; rows for ${a.packages.length} (raise limit for more)` : '';
  const lines = [`${a.package_count} packages (from ${a.model_source})${rows}`];
  if (!a.dependencies_known) {
    lines.push('dependencies unknown: a plain Makefile\'s output does not say what waits for what');
    return lines.join('\n');
  }
  lines.push(`waves: ${a.wave_sizes.slice(0, MAX_PARALLEL).join(' + ')}${waveCount > MAX_PARALLEL ? ` + ... (${waveCount} waves)` : ` (${plural(waveCount, 'wave')})`}`);
  lines.push(`critical path (${weight}): ${pathShown.join(' -> ')}${more(pathCut)}`);
  if (a.parallel_opportunities.length > 0) lines.push(`parallel: ${a.parallel_opportunities.join(', ')}${more(a.omitted.parallel_opportunities)}`);
  return lines.join('\n');
}

