import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpContext } from './mcp-context.js';
import { pageOutput, renderPage } from './output-page.js';
import { isActive } from './session-view.js';
import { guarded, toolAnswer } from './tool-result.js';

/** Lines in a page unless asked otherwise, and at most. */
export const DEFAULT_PAGE_LINES = 50;
export const MAX_PAGE_LINES = 200;

const INPUT = {
  session_id: z.string().min(1).describe('Session id'),
  cursor: z.string().regex(/^\d+$/).optional().describe('next_cursor, or a line number ("1" = start); none: diagnostics, then the tail'),
  limit: z.number().int().min(1).max(MAX_PAGE_LINES).default(DEFAULT_PAGE_LINES).describe(`Lines per page (max ${MAX_PAGE_LINES})`),
  grep: z.string().min(1).max(200).optional().describe('Plain substring, case-insensitive'),
  errors_only: z.boolean().default(false).describe('Only error and warning lines (whole diagnostic blocks)'),
};

const OUTPUT = {
  session_id: z.string(),
  status: z.string(),
  lines: z.array(z.object({ n: z.number(), text: z.string(), notable: z.boolean() })),
  next_cursor: z.string().nullable(),
  total_lines: z.number(),
  notable_lines: z.number(),
  notable_omitted: z.number(),
  indexing: z.object({ done_bytes: z.number(), total_bytes: z.number() }).nullable()
    .describe('A large log is still being read: call again'),
};

/** build_output: a bounded page of a build's output, never the whole log. */
export function registerBuildOutput(server: McpServer, ctx: McpContext): void {
  server.registerTool('build_output', {
    title: 'Build output',
    description: 'A page of a build\'s output (n = line number, notable = in an error/warning): diagnostics, then the tail; next_cursor.',
    inputSchema: INPUT,
    outputSchema: OUTPUT,
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, ({ session_id, cursor, limit, grep, errors_only }) => guarded(async () => {
    const s = ctx.session(session_id);
    const log = await ctx.logs.read(s, !isActive(s));
    if (!log.ready) {
      const { doneBytes, fileBytes } = log.index.progress();
      const mb = (b: number): string => (b / 1048576).toFixed(1);
      return toolAnswer({
        session_id: s.id, status: s.status, lines: [], next_cursor: cursor ?? null, total_lines: log.index.lineCount,
        notable_lines: log.index.notableLines.length, notable_omitted: 0, indexing: { done_bytes: doneBytes, total_bytes: fileBytes },
      }, `${s.id} ${s.status} · still reading the log (${mb(doneBytes)} of ${mb(fileBytes)} MB): call build_output again with the same arguments`);
    }
    const page = pageOutput(log.index, { cursor: cursor === undefined ? null : Number(cursor), limit, grep: grep ?? null, errorsOnly: errors_only }, !log.complete);
    return toolAnswer({ session_id: s.id, status: s.status, ...page, indexing: null }, renderPage(s.id, s.status, page));
  }));
}
