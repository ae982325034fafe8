import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { formatDuration } from '../core/format.js';
import { projectPackages, type ProjectPackagesReport } from '../run/project-packages.js';
import type { McpContext } from './mcp-context.js';
import { checkInsideRoots } from './safety.js';
import { guarded, toolAnswer, toolRefusal } from './tool-result.js';

const OUTPUT = {
  project_dir: z.string(),
  source_dir: z.string(),
  build_dir: z.string().nullable(),
  model_source: z.string(),
  detected_packages: z.array(z.string()),
  dependency_graph: z.record(z.string(), z.array(z.string())),
  critical_path: z.array(z.string()),
  critical_path_basis: z.enum(['duration', 'files']),
  critical_path_weight: z.number(),
  parallel_opportunities: z.array(z.string()),
  waves: z.array(z.array(z.string())),
  packages: z.array(z.object({
    name: z.string(), kind: z.string(), dir: z.string().nullable(), files: z.number().nullable(), depends_on: z.array(z.string()), avg_duration_ms: z.number().nullable(),
  })).describe('Up to limit, critical path first'),
  omitted: z.number().describe('Packages left out of packages and dependency_graph by limit'),
};

/** Package rows in one answer unless asked otherwise, and at most. */
const DEFAULT_PACKAGES = 50;
const MAX_PACKAGES = 500;

/** build_packages: the project's packages before anything builds, as `buildmon packages --json` gives them. */
export function registerBuildPackages(server: McpServer, ctx: McpContext): void {
  server.registerTool('build_packages', {
    title: 'Project packages',
    description: 'Packages of the project in cwd (source or build dir), their graph, critical path and what can build in parallel.',
    inputSchema: {
      cwd: z.string().describe('Source or build directory, inside the roots'),
      limit: z.number().int().min(1).max(MAX_PACKAGES).default(DEFAULT_PACKAGES).describe(`Package rows to return (critical path first; max ${MAX_PACKAGES})`),
    },
    outputSchema: OUTPUT,
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, ({ cwd, limit }) => guarded(async () => {
    const dir = path.resolve(ctx.cwd, cwd);
    const outside = checkInsideRoots(dir, await ctx.roots(), 'directory');
    if (outside) return toolRefusal(outside);
    if (!isDirectory(dir)) return toolRefusal(`${dir} is not a directory`);
    const report = projectPackages(ctx.store, dir);
    const onPath = new Set(report.critical_path);
    const rows = [...report.packages.filter((p) => onPath.has(p.name)), ...report.packages.filter((p) => !onPath.has(p.name))].slice(0, limit);
    const shown = new Set(rows.map((p) => p.name));
    const graph = Object.fromEntries(Object.entries(report.dependency_graph).filter(([name]) => shown.has(name)));
    const answer = { ...report, packages: rows, dependency_graph: graph, omitted: report.packages.length - rows.length };
    return toolAnswer(answer, render(report));
  }));
}

function render(r: ProjectPackagesReport): string {
  if (r.detected_packages.length === 0) return `no packages found in ${r.project_dir}: no CMakeLists.txt, no build.ninja, and no earlier build of a Makefile here`;
  const weight = r.critical_path_basis === 'duration' ? formatDuration(r.critical_path_weight, true) : `${r.critical_path_weight} files`;
  return [
    `${r.detected_packages.length} packages (from ${r.model_source})`,
    `waves: ${r.waves.map((w) => w.length).join(' + ')} packages (${r.waves.length} wave${r.waves.length === 1 ? '' : 's'}; rows and graph in the structured answer)`,
    `critical path (${weight}): ${r.critical_path.join(' -> ')}`,
    ...(r.parallel_opportunities.length > 0 ? [`parallel: ${r.parallel_opportunities.slice(0, 20).join(', ')}${r.parallel_opportunities.length > 20 ? ` (+${r.parallel_opportunities.length - 20} more)` : ''}`] : []),
  ].join('\n');
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
