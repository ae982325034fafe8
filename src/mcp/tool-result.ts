import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { BuildmonError } from '../store/errors.js';

/** A tool's answer: the structured value its outputSchema describes, and a short text for the model to read. */
export function toolAnswer(structured: Record<string, unknown>, text: string): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

/** A refusal or failure the model can act on: `isError` with a sentence saying what to do next. */
export function toolRefusal(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/**
 * Runs a handler and turns the errors a user can act on (BuildmonError: a missing session, a
 * command not found, a database that cannot be used) into refusals, as does a raw SQLite error
 * that escaped the store; anything else is a bug and goes to the SDK as is.
 */
export async function guarded(work: () => CallToolResult | Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await work();
  } catch (err) {
    const known = actionableError(err);
    if (known) return toolRefusal(known);
    throw err;
  }
}

/**
 * The sentence for an error a user can act on, said for MCP: a BuildmonError's message, or for a
 * SQLite error that reached here without the store naming its file, what to do about the database.
 * Null for anything else (a bug).
 */
export function actionableError(err: unknown): string | null {
  if (err instanceof BuildmonError) return forTools(err.message);
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  if (!code.startsWith('SQLITE_')) return null;
  const detail = err instanceof Error ? err.message : String(err);
  return /^SQLITE_(CORRUPT|NOTADB)/.test(code)
    ? `cannot use the buildmon database (${code}: ${detail}). Move it aside (buildmon.db in buildmon's home folder) and rebuild it from the logs with: buildmon import`
    : `database error (${code}: ${detail}); try again.`;
}

/** CLI hints in shared messages, said the way a tool user acts on them. */
function forTools(message: string): string {
  return message.replace('(see: buildmon sessions)', '(see build_list)');
}
