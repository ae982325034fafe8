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
 * command not found) into refusals; anything else is a bug and goes to the SDK as is.
 */
export async function guarded(work: () => CallToolResult | Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof BuildmonError) return toolRefusal(forTools(err.message));
    throw err;
  }
}

/** CLI hints in shared messages, said the way a tool user acts on them. */
function forTools(message: string): string {
  return message.replace('(see: buildmon sessions)', '(see build_list)');
}
