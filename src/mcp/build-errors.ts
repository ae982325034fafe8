import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Diagnostic } from '../core/diagnostics/diagnostic.js';
import { plural } from '../core/format.js';
import { cutText, toolSchema } from './answer-bounds.js';
import type { McpContext } from './mcp-context.js';
import { SESSION_ID_INPUT } from './build-status.js';
import { isActive } from './session-view.js';
import { guarded, toolAnswer } from './tool-result.js';

/** Diagnostics in one answer unless asked otherwise, and at most. */
export const DEFAULT_DIAGNOSTICS = 20;
const MAX_DIAGNOSTICS = 50;
/** Longest message in an answer, in characters; a longer one ends with `…(+N chars)`. */
export const MAX_MESSAGE_CHARS = 500;

const DIAGNOSTIC = z.object({
  severity: z.enum(['error', 'warning', 'fatal']), tool: z.string(), file: z.string().nullable(), line: z.number().nullable(),
  column: z.number().nullable(), message: z.string(), package: z.string().nullable(), category: z.string(),
});

const OUTPUT = toolSchema({
  session_id: z.string(),
  status: z.string(),
  error_count: z.number(),
  warning_count: z.number(),
  diagnostics: z.array(DIAGNOSTIC),
  omitted: z.number().describe('Left for later pages'),
  next_cursor: z.string().optional(),
  indexing: z.boolean().describe('Log still being read: call again'),
});

/** What build_errors answers. */
export type ErrorsAnswer = z.infer<typeof OUTPUT>;

const INPUT = toolSchema({
  ...SESSION_ID_INPUT,
  cursor: z.string().regex(/^\d+$/).optional().describe('From next_cursor'),
  limit: z.number().int().min(1).max(MAX_DIAGNOSTICS).default(DEFAULT_DIAGNOSTICS).describe(`Per page (max ${MAX_DIAGNOSTICS})`),
});

/** build_errors: the build's diagnostics, attributed to file and package (from the store once ended, live from the log before). */
export function registerBuildErrors(server: McpServer, ctx: McpContext): void {
  server.registerTool('build_errors', {
    title: 'Build errors',
    description: `A build's diagnostics, errors first: file, line, column, message (<= ${MAX_MESSAGE_CHARS} chars), package, category. Also while it runs.`,
    inputSchema: INPUT,
    outputSchema: OUTPUT,
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, ({ session_id, cursor, limit }) => guarded(async () => {
    const s = ctx.session(session_id);
    const ended = !isActive(s);
    const stored = ended ? ctx.store.details.diagnostics(s.id) : [];
    // An ended build's stored diagnostics are the answer, an empty list too, unless its counters say some were lost.
    const fromStore = ended && (stored.length > 0 || s.errorCount + s.warningCount === 0);
    const log = fromStore ? null : await ctx.logs.read(s, ended);
    const all = log === null ? stored : log.index.diagnostics();
    const answer = errorsPage(s.id, s.status, all, cursor === undefined ? 0 : Number(cursor), limit, log !== null && !log.ready);
    return toolAnswer(answer, renderErrors(answer));
  }));
}

/**
 * One page of a build's diagnostics: errors first, then warnings, each in the order printed, from
 * position `from` (0-based; the cursor) and at most `limit`, messages cut to {@link MAX_MESSAGE_CHARS}.
 */
export function errorsPage(sessionId: string, status: string, all: readonly Diagnostic[], from: number, limit: number, indexing: boolean): ErrorsAnswer {
  const errors = all.filter((d) => d.severity !== 'warning');
  const ordered = [...errors, ...all.filter((d) => d.severity === 'warning')];
  const start = Math.min(from, ordered.length);
  const shown = ordered.slice(start, start + limit).map(brief);
  const after = ordered.length - start - shown.length;
  return {
    session_id: sessionId, status, error_count: errors.length, warning_count: all.length - errors.length, diagnostics: shown, omitted: after,
    ...(after > 0 ? { next_cursor: String(start + shown.length) } : {}), indexing,
  };
}

function brief(d: Diagnostic): z.infer<typeof DIAGNOSTIC> {
  return {
    severity: d.severity, tool: d.tool, file: d.file, line: d.line, column: d.column, message: cutText(d.message, MAX_MESSAGE_CHARS),
    package: d.package, category: d.category,
  };
}

/** One line per diagnostic, then how to get the rest: the next page, and whole blocks with build_output. */
export function renderErrors(a: ErrorsAnswer): string {
  const out = [`${a.session_id} ${a.status} · ${plural(a.error_count, 'error')}, ${plural(a.warning_count, 'warning')}`];
  for (const d of a.diagnostics) {
    const where = `${d.file ?? d.tool}${d.line !== null ? `:${d.line}` : ''}${d.column !== null ? `:${d.column}` : ''}`;
    out.push(`${d.severity} ${where}: ${d.message}${d.package ? ` [${d.package}]` : ''} (${d.category})`);
  }
  if (a.next_cursor !== undefined) out.push(`(${a.omitted} more: build_errors cursor:"${a.next_cursor}")`);
  if (a.diagnostics.some((d) => d.message.length > MAX_MESSAGE_CHARS)) out.push('(long messages are cut: build_output errors_only:true shows whole blocks)');
  if (a.indexing) out.push('(still reading the log: the list is partial; call build_errors again)');
  return out.join('\n');
}
