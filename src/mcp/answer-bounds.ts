/** Helpers that keep tool answers and tools/list small: cut texts and lists, say what was left out, lean schemas. */
import { z } from 'zod';

/** `text` cut to `max` characters, ending with `…(+N chars)` when cut. */
export function cutText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…(+${text.length - max} chars)` : text;
}

/** The first `max` items of a list and how many were left out. */
export function capList<T>(list: readonly T[], max: number): { shown: T[]; omitted: number } {
  return { shown: list.slice(0, max), omitted: Math.max(0, list.length - max) };
}

/** A count of what was left out per field, keeping only the fields that lost something. */
export function omittedCounts(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

/** UTF-8 size of a text, as it travels. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * A tool's input or output schema. Its JSON Schema in tools/list leaves out `$schema` (about 50
 * bytes a schema, twice a tool): MCP reads tool schemas as JSON Schema without it, and nothing in
 * these schemas reads differently in draft-07 and 2020-12.
 */
export function toolSchema<T extends z.ZodRawShape>(shape: T): z.ZodObject<T> {
  return z.object(shape).meta({ $schema: undefined });
}
