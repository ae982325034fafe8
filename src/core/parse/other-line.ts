import { classifyBareCmakeLine } from './cmake-status.js';
import type { DiagnosticReader } from './diagnostic-reader.js';
import { classifyEchoedCommand } from './echoed-command.js';
import { parseMakeLine } from './make-messages.js';
import { parseNinjaMessage } from './ninja-messages.js';
import { classifyQuietRule } from './quiet-rule.js';
import { isToolChatter } from './tool-chatter.js';
import type { LineEvent } from './types.js';

/** How to read a line that carries no progress prefix. */
export interface OtherLineContext {
  diagnostics: DiagnosticReader;
  /** The target that custom, compile and link lines found here belong to, when the dialect knows it. */
  target: string | null;
  /** Whether echoed commands and quiet-rule lines are steps, and when they are printed; null: not expected. */
  commandPhase: 'start' | 'end' | null;
}

/**
 * The classification every dialect shares for lines without a progress prefix:
 * make's and ninja's own messages, diagnostics, echoed commands, CMake's bare lines, chatter.
 * Keeps the diagnostic block state in step: any line that is not part of a diagnostic ends the block.
 */
export function classifyOtherLine(line: string, ctx: OtherLineContext): LineEvent {
  const event = classify(line, ctx);
  if (event.kind !== 'diagnostic' && event.kind !== 'diagnostic-continuation') ctx.diagnostics.endBlock();
  return event;
}

function classify(line: string, ctx: OtherLineContext): LineEvent {
  const own = parseMakeLine(line) ?? parseNinjaMessage(line);
  if (own) return own;
  const diagnostic = ctx.diagnostics.readStrong(line);
  if (diagnostic) return diagnostic;
  if (ctx.commandPhase !== null) {
    const step = classifyQuietRule(line, ctx.commandPhase, ctx.target) ?? classifyEchoedCommand(line, ctx.commandPhase, ctx.target);
    if (step) return step;
  }
  const cmake = classifyBareCmakeLine(line, ctx.target);
  if (cmake) return cmake;
  if (isToolChatter(line)) return { kind: 'tool-chatter', text: line };
  return ctx.diagnostics.readWeak(line) ?? { kind: 'unrecognised', text: line };
}
