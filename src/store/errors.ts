/**
 * An error a user can act on: `code` for scripts, `message` says what happened and what to do.
 * The CLI prints the message and exits with `exitCode`; nothing else of the stack is shown.
 */
export class BuildmonError extends Error {
  readonly code: string;
  readonly exitCode: number;

  constructor(code: string, message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BuildmonError';
    this.code = code;
    this.exitCode = options?.exitCode ?? 2;
  }
}
