import os from 'node:os';
import path from 'node:path';

/**
 * Where buildmon keeps its database and logs: `$BUILDMON_HOME`, else `$XDG_STATE_HOME/buildmon`,
 * else `~/.local/state/buildmon`.
 */
export function resolveHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BUILDMON_HOME) return path.resolve(env.BUILDMON_HOME);
  if (env.XDG_STATE_HOME) return path.join(path.resolve(env.XDG_STATE_HOME), 'buildmon');
  return path.join(os.homedir(), '.local', 'state', 'buildmon');
}

/** The files and folders inside a buildmon home. */
export interface HomeLayout {
  home: string;
  dbPath: string;
  logsDir: string;
}

export function homeLayout(home: string): HomeLayout {
  return { home, dbPath: path.join(home, 'buildmon.db'), logsDir: path.join(home, 'logs') };
}
