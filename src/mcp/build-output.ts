import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { toolSchema } from './answer-bounds.js';
import type { McpContext } from './mcp-context.js';
import { SESSION_ID_INPUT } from './build-status.js';
import { pageOutput, PAGE_TEXT_BYTES, renderPage, type OutputPage } from './output-page.js';
import { isActive } from './session-view.js';
import { guarded, toolAnswer } from './tool-result.js';

/** Lines in a page unless asked otherwise, and at most. */
export const DEFAULT_PAGE_LINES = 50;
export const MAX_PAGE_LINES = 200;

const INPUT = toolSchema({
  ...SESSION_ID_INPUT,
  cursor: z.string().regex(/^\d+$/).optional().describe('next_cursor, or a line number; none: diagnostics, then the tail'),
  limit: z.number().int().min(1).max(MAX_PAGE_LINES).default(DEFAULT_PAGE_LINES).describe(`Lines per page (max ${MAX_PAGE_LINES})`),
  grep: z.string().min(1).max(200).optional().describe('Substring, any case'),
  errors_only: z.boolean().default(false).describe('Only diagnostic blocks'),
});

const OUTPUT = toolSchema({
  session_id: z.string(),
  status: z.string(),
  lines: z.array(z.object({ n: z.number(), text: z.string(), notable: z.boolean() })),
  next_cursor: z.string().nullable(),
  total_lines: z.number(),
  notable_lines: z.number(),
  notable_omitted: z.number(),
  indexing: z.object({ done_bytes: z.number(), total_bytes: z.number() }).nullable().describe('Log still being read: call again'),
});

/** What build_output answers. */
type OutputAnswer = z.infer<typeof OUTPUT>;

/** build_output: a bounded page of a build's output, never the whole log. */
export function registerBuildOutput(server: McpServer, ctx: McpContext): void {
  server.registerTool('build_output', {
    title: 'Build output',
    description: `A page of a build's output (<= ${PAGE_TEXT_BYTES / 1024} KB; n: line number, notable: in a diagnostic) and next_cursor.`,
    inputSchema: INPUT,
    outputSchema: OUTPUT,
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, ({ session_id, cursor, limit, grep, errors_only }) => guarded(async () => {
    const s = ctx.session(session_id);
    const log = await ctx.logs.read(s, !isActive(s));
    if (!log.ready) {
      const { doneBytes, fileBytes } = log.index.progress();
      const mb = (b: number): string => (b / 1048576).toFixed(1);
      const reading: OutputAnswer = {
        session_id: s.id, status: s.status, lines: [], next_cursor: cursor ?? null, total_lines: log.index.lineCount,
        notable_lines: log.index.notableLines.length, notable_omitted: 0, indexing: { done_bytes: doneBytes, total_bytes: fileBytes },
      };
      return toolAnswer(reading, `${s.id} ${s.status} · still reading the log (${mb(doneBytes)} of ${mb(fileBytes)} MB): call build_output again with the same arguments`);
    }
    const page = pageOutput(log.index, { cursor: cursor === undefined ? null : Number(cursor), limit, grep: grep ?? null, errorsOnly: errors_only }, !log.complete);
    return toolAnswer(outputAnswer(s.id, s.status, page), renderPage(s.id, s.status, page));
  }));
}

/** The answer for a page, field by field from the output schema. */
function outputAnswer(sessionId: string, status: string, page: OutputPage): OutputAnswer {
  return {
    session_id: sessionId, status, lines: page.lines.map((l) => ({ n: l.n, text: l.text, notable: l.notable })), next_cursor: page.next_cursor,
    total_lines: page.total_lines, notable_lines: page.notable_lines, notable_omitted: page.notable_omitted, indexing: null,
  };
}
