import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { plural } from '../core/format.js';
import type { PackageState } from '../core/packages/package-state.js';
import { toolSchema } from './answer-bounds.js';
import type { McpContext } from './mcp-context.js';
import { SESSION_ID_INPUT } from './build-status.js';
import { activePackages, SESSION_STATUS_SHAPE } from './session-view.js';
import { guarded, toolAnswer } from './tool-result.js';

const PACKAGE = z.object({
  name: z.string(), status: z.string(), reason: z.string().nullable(), files_done: z.number(), files_total: z.number().nullable(),
  progress_pct: z.number().nullable(), elapsed_ms: z.number().nullable(), depends_on: z.array(z.string()), errors: z.number(), warnings: z.number(),
});

const OUTPUT = toolSchema({
  session_id: z.string(),
  status: z.string(),
  active_packages: SESSION_STATUS_SHAPE.active_packages,
  packages: z.array(PACKAGE),
  omitted: z.number().describe('Cut by limit'),
  counts: z.record(z.string(), z.number()).describe('All packages per status'),
});

/** Package rows in one answer unless asked otherwise, and at most. */
const DEFAULT_PACKAGES = 50;
const MAX_PACKAGES = 500;
/** Rows named in the text answer: the failed and active ones. */
const TEXT_ROWS = 20;

const INPUT = toolSchema({
  ...SESSION_ID_INPUT,
  limit: z.number().int().min(1).max(MAX_PACKAGES).default(DEFAULT_PACKAGES).describe(`Rows, failed and active first (max ${MAX_PACKAGES})`),
});

/** build_package_status: the packages' live state (written by the runner about once a second), with their dependencies. */
export function registerBuildPackageStatus(server: McpServer, ctx: McpContext): void {
  server.registerTool('build_package_status', {
    title: 'Package status',
    description: 'Packages of a build: the active ones, and each with status, files done/total, depends_on, errors.',
    inputSchema: INPUT,
    outputSchema: OUTPUT,
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, ({ session_id, limit }) => guarded(() => {
    const s = ctx.session(session_id);
    const packages = ctx.store.details.packages(s.id);
    const ordered = [...packages].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
    const counts: Record<string, number> = {};
    for (const p of packages) counts[p.status] = (counts[p.status] ?? 0) + 1;
    const answer = {
      session_id: s.id, status: s.status, active_packages: activePackages(packages), packages: ordered.slice(0, limit).map(brief),
      omitted: Math.max(0, ordered.length - limit), counts,
    };
    return toolAnswer(answer, render(s.id, s.status, ordered, counts));
  }));
}

function brief(p: PackageState): z.infer<typeof PACKAGE> {
  return {
    name: p.name, status: p.status, reason: p.reason, files_done: p.files_done, files_total: p.files_total, progress_pct: p.progress_pct,
    elapsed_ms: p.elapsed_ms, depends_on: p.depends_on, errors: p.errors, warnings: p.warnings,
  };
}

function rank(p: PackageState): number {
  return p.status === 'failed' ? 0 : p.status === 'compiling' || p.status === 'linking' ? 1 : 2;
}

/** Counts per status, then the failed and active packages (at most {@link TEXT_ROWS}). */
function render(id: string, status: string, ordered: readonly PackageState[], counts: Record<string, number>): string {
  if (ordered.length === 0) return `${id} ${status} · no packages known yet`;
  const notable = ordered.filter((p) => rank(p) < 2);
  const lines = notable.slice(0, TEXT_ROWS).map((p) => {
    const files = p.files_total === null ? `${p.files_done} files` : `${p.files_done}/${p.files_total}`;
    const extra = [p.errors > 0 ? plural(p.errors, 'error') : '', p.reason ?? '', p.depends_on.length > 0 ? `<- ${p.depends_on.join(', ')}` : ''].filter(Boolean);
    return `  ${p.name} ${p.status} ${files}${extra.length > 0 ? ` · ${extra.join(' · ')}` : ''}`;
  });
  const summary = Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ');
  const more = notable.length > TEXT_ROWS ? [`  (${notable.length - TEXT_ROWS} more failed or active)`] : [];
  return [`${id} ${status} · ${ordered.length} packages: ${summary}`, ...lines, ...more].join('\n');
}
