import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BuildmonError } from '../store/errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** `util.parseArgs` with errors that name the command and point at its help. */
export function parseOptions<T extends Options>(
  command: string,
  args: string[],
  options: T,
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | string[] | undefined>, positionals };
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new BuildmonError('bad-usage', `${command}: ${detail}\nSee: buildmon ${command} --help`);
  }
}

/** A positive integer option, or a clear error. */
export function positiveInt(command: string, name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    throw new BuildmonError('bad-usage', `${command}: --${name} must be a positive integer, got '${value}'`);
  }
  return n;
}
