import { BuildmonError } from '../store/errors.js';
import { openStore, type Store } from '../store/store.js';
import { homeLayout, resolveHome } from '../store/home.js';
import { databaseError, isSqliteError } from '../store/database.js';
import { reconcileLost } from '../run/session-manager.js';
import type { CliCommand, CliContext } from './command.js';

/** A subcommand known by name and summary; its module is loaded only when it runs (fast start-up). */
interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<CliCommand>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'run', summary: 'run a build and record it (live window on a terminal)', load: async () => (await import('./commands/run.js')).runCommand },
  { name: 'sessions', summary: 'list recorded builds', load: async () => (await import('./commands/sessions.js')).sessionsCommand },
  { name: 'show', summary: 'show one session (--log: its log)', load: async () => (await import('./commands/sessions.js')).showCommand },
  { name: 'cancel', summary: 'stop a running build', load: async () => (await import('./commands/sessions.js')).cancelCommand },
  { name: 'history', summary: 'build history per key (<target>_j<jobs>)', load: async () => (await import('./commands/history.js')).historyCommand },
  { name: 'jobs', summary: 'which -j to use: predicted time and peak memory per job count', load: async () => (await import('./commands/jobs.js')).jobsCommand },
  { name: 'packages', summary: "the project's packages, their graph and critical path", load: async () => (await import('./commands/packages.js')).packagesCommand },
  { name: 'replay', summary: 'replay build logs through the engine in virtual time', load: async () => (await import('./commands/replay.js')).replayCommand },
  { name: 'import', summary: 'record build logs into history (no FILE: rebuild from the logs folder)', load: async () => (await import('./commands/replay.js')).importCommand },
  { name: 'example', summary: 'write an example C/C++ project (FluffOS-shaped CMake, or plain Makefile)', load: async () => (await import('./commands/example.js')).exampleCommand },
  { name: 'mcp', summary: 'serve builds to AI assistants over MCP (stdio or --http)', load: async () => (await import('./commands/mcp.js')).mcpCommand },
  { name: 'demo', summary: 'generate the example project and build it under buildmon', load: async () => (await import('./commands/demo.js')).demoCommand },
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
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
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
    const command = await entry.load();
    return await command.run(rest, ctx);
  } catch (err) {
    // A database failure after opening (a corrupt page, a full disk) is as actionable as one at open.
    const known = err instanceof BuildmonError ? err : isSqliteError(err)
      ? databaseError(homeLayout(resolveHome(io.env)).dbPath, homeLayout(resolveHome(io.env)).logsDir, err) : null;
    if (known) {
      io.stderr.write(`buildmon: ${known.message}\n`);
      return known.exitCode;
    }
    throw err;
  } finally {
    (store as Store | null)?.close();
  }
}
