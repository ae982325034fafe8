import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Diagnostic } from '../core/diagnostics/diagnostic.js';
import type { McpContext } from './mcp-context.js';
import { SESSION_ID_INPUT } from './build-status.js';
import { isActive } from './session-view.js';
import { guarded, toolAnswer } from './tool-result.js';

/** Diagnostics in one answer at most; the counts say how many there are in all. */
const MAX_DIAGNOSTICS = 50;
/** Longest message in an answer, in characters; a longer one ends with `…(+N chars)`. */
export const MAX_MESSAGE_CHARS = 2000;

const DIAGNOSTIC = z.object({
  severity: z.enum(['error', 'warning', 'fatal']), tool: z.string(), file: z.string().nullable(), line: z.number().nullable(),
  column: z.number().nullable(), message: z.string(), package: z.string().nullable(), category: z.string(),
});

const OUTPUT = {
  session_id: z.string(),
  status: z.string(),
  error_count: z.number(),
  warning_count: z.number(),
  diagnostics: z.array(DIAGNOSTIC).describe('Errors first, then warnings, each in the order they were printed'),
  omitted: z.number(),
  indexing: z.boolean().describe('A large log is still being read: partial, call again'),
};

/** build_errors: the build's diagnostics, attributed to file and package (from the store once ended, live from the log before). */
export function registerBuildErrors(server: McpServer, ctx: McpContext): void {
  server.registerTool('build_errors', {
    title: 'Build errors',
    description: 'Errors and warnings of a build (file, line, column, message, package, category), errors first; also while it runs.',
    inputSchema: SESSION_ID_INPUT,
    outputSchema: OUTPUT,
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, ({ session_id }) => guarded(async () => {
    const s = ctx.session(session_id);
    const ended = !isActive(s);
    const stored = ended ? ctx.store.details.diagnostics(s.id) : [];
    // An ended build's stored diagnostics are the answer, an empty list too, unless its counters say some were lost.
    const fromStore = ended && (stored.length > 0 || s.errorCount + s.warningCount === 0);
    const log = fromStore ? null : await ctx.logs.read(s, ended);
    const all = log === null ? stored : log.index.diagnostics();
    const errors = all.filter((d) => d.severity !== 'warning');
    const ordered = [...errors, ...all.filter((d) => d.severity === 'warning')];
    const shown = ordered.slice(0, MAX_DIAGNOSTICS).map(brief);
    const answer = {
      session_id: s.id, status: s.status, error_count: errors.length, warning_count: all.length - errors.length,
      diagnostics: shown, omitted: ordered.length - shown.length, indexing: log !== null && !log.ready,
    };
    return toolAnswer(answer, renderErrors(answer));
  }));
}

function brief(d: Diagnostic): z.infer<typeof DIAGNOSTIC> {
  return { severity: d.severity, tool: d.tool, file: d.file, line: d.line, column: d.column, message: capped(d.message), package: d.package, category: d.category };
}

function capped(message: string): string {
  return message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS)}…(+${message.length - MAX_MESSAGE_CHARS} chars)` : message;
}

function renderErrors(a: { session_id: string; status: string; error_count: number; warning_count: number; diagnostics: z.infer<typeof DIAGNOSTIC>[]; omitted: number; indexing: boolean }): string {
  const out = [`${a.session_id} ${a.status} · ${a.error_count} error${a.error_count === 1 ? '' : 's'}, ${a.warning_count} warning${a.warning_count === 1 ? '' : 's'}`];
  for (const d of a.diagnostics) {
    const where = `${d.file ?? d.tool}${d.line !== null ? `:${d.line}` : ''}${d.column !== null ? `:${d.column}` : ''}`;
    out.push(`${d.severity} ${where}: ${d.message}${d.package ? ` [${d.package}]` : ''} (${d.category})`);
  }
  if (a.omitted > 0) out.push(`(${a.omitted} more)`);
  if (a.indexing) out.push('(still reading the log: the list is partial; call build_errors again)');
  return out.join('\n');
}
