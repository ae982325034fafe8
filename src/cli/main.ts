import { BuildmonError } from '../store/errors.js';
import { openStore, type Store } from '../store/store.js';
import { resolveHome } from '../store/home.js';
import { reconcileLost } from '../run/session-manager.js';
import type { CliCommand, CliContext } from './command.js';
import { runCommand } from './commands/run.js';
import { importCommand, replayCommand } from './commands/replay.js';
import { cancelCommand, sessionsCommand, showCommand } from './commands/sessions.js';
import { historyCommand } from './commands/history.js';
import { exampleCommand } from './commands/example.js';
import { demoCommand } from './commands/demo.js';

export const COMMANDS: readonly CliCommand[] = [
  runCommand, sessionsCommand, showCommand, cancelCommand, historyCommand, replayCommand, importCommand,
  exampleCommand, demoCommand,
];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `buildmon: a build monitor that learns (make, CMake, Ninja)

Usage: buildmon <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run 'buildmon <command> --help' for a command's options.
Data (database and build logs) lives in $BUILDMON_HOME (now: ${resolveHome()}).`;
}

/** Parses argv, runs one command and returns the exit code; user errors become one clear line. */
export async function main(argv: string[], io: Pick<CliContext, 'stdout' | 'stderr' | 'env' | 'cwd'>): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout.write(mainHelp() + '\n');
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write('buildmon 0.1.0\n');
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`buildmon: unknown command '${name}'. Commands: ${COMMANDS.map((c) => c.name).join(', ')}\n`);
    return 2;
  }
  let store: Store | null = null;
  const ctx: CliContext = {
    ...io,
    store: () => {
      if (!store) {
        store = openStore(resolveHome(io.env));
        reconcileLost(store);
      }
      return store;
    },
  };
  try {
    return await command.run(rest, ctx);
  } catch (err) {
    if (err instanceof BuildmonError) {
      io.stderr.write(`buildmon: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  } finally {
    (store as Store | null)?.close();
  }
}
