import type { Store } from '../store/store.js';

/** What a CLI command can touch: its streams, environment and the store (opened on demand). */
export interface CliContext {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Opens the store once and marks sessions whose runner died as lost. */
  store(): Store;
}

/** One `buildmon <name>` subcommand. `run` returns the process exit code. */
export interface CliCommand {
  name: string;
  usage: string;
  run(args: string[], ctx: CliContext): Promise<number>;
}
