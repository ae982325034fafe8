/**
 * Entry point of the detached runner process: `node runner-main.js <home> <session-id> <dialect>`.
 * Started by `startSession`; owns the build until it ends.
 */
import { openStore } from '../store/store.js';
import type { Dialect } from '../core/parse/types.js';
import { DEFAULT_KILL_GRACE_MS, runSession } from './runner.js';

async function main(): Promise<number> {
  const [home, sessionId, dialect] = process.argv.slice(2);
  if (!home || !sessionId || !dialect) {
    process.stderr.write('usage: runner-main <home> <session-id> <dialect>\n');
    return 2;
  }
  const store = openStore(home);
  try {
    const session = store.sessions.get(sessionId);
    if (!session) {
      process.stderr.write(`runner: no session ${sessionId}\n`);
      return 2;
    }
    const graceEnv = Number(process.env.BUILDMON_KILL_GRACE_MS);
    const killGraceMs = Number.isFinite(graceEnv) && graceEnv >= 0 ? graceEnv : DEFAULT_KILL_GRACE_MS;
    await runSession(store, session, { dialect: dialect as Dialect, killGraceMs, now: Date.now });
    return 0;
  } finally {
    store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`runner failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
