/**
 * Entry point of the detached runner process:
 * `node runner-main.js <home> <session-id> <dialect> <{"command": [...], "cwd": "..."}>`.
 * Started by `startSession`; owns the build until it ends. It starts the build before it loads
 * anything else, so that the build never waits for buildmon.
 */
import fs from 'node:fs';
import type { Dialect } from '../core/parse/types.js';
import { CancelSwitch } from './cancel-switch.js';
import { StartedBuild } from './started-build.js';
import { buildProcesses, signalProcesses } from './process-tree.js';

// First of all: a cancel may come while we are still starting.
const cancel = new CancelSwitch();
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => cancel.request());

async function main(): Promise<number> {
  const [home, sessionId, dialect, specJson] = process.argv.slice(2);
  if (!home || !sessionId || !dialect || !specJson) {
    process.stderr.write('usage: runner-main <home> <session-id> <dialect> <spec-json>\n');
    return 2;
  }
  const spec = JSON.parse(specJson) as { command: string[]; cwd: string };
  let build: StartedBuild | null = null;
  let spawnError: string | null = null;
  try {
    if (!cancel.requested) build = StartedBuild.spawn(spec.command, spec.cwd);
  } catch (err) {
    spawnError = err instanceof Error ? err.message : String(err);
  }
  try {
    return await own(home, sessionId, dialect as Dialect, build, spawnError);
  } catch (err) {
    // Nobody could record or stop this build after us: stop it now.
    if (build?.child.pid !== undefined) signalProcesses(buildProcesses(build.child.pid, null), 'SIGKILL');
    throw err;
  }
}

/** Everything after the build has started: the store, the log, the session until it ends. */
async function own(home: string, sessionId: string, dialect: Dialect, build: StartedBuild | null, spawnError: string | null): Promise<number> {
  const { openStore } = await import('../store/store.js');
  const { DEFAULT_KILL_GRACE_MS, runSession } = await import('./runner.js');
  const store = openStore(home);
  try {
    const session = store.sessions.get(sessionId);
    if (!session) throw new Error(`no session ${sessionId}`);
    const graceEnv = Number(process.env.BUILDMON_KILL_GRACE_MS);
    const killGraceMs = Number.isFinite(graceEnv) && graceEnv >= 0 && process.env.BUILDMON_KILL_GRACE_MS !== '' ? graceEnv : DEFAULT_KILL_GRACE_MS;
    await runSession(store, session, { dialect, killGraceMs, now: Date.now, cancel, build, spawnError });
    removeIfEmpty(`${store.layout.logsDir}/${sessionId}.runner.err`);
    return 0;
  } finally {
    store.close();
  }
}

function removeIfEmpty(file: string): void {
  try {
    if (fs.statSync(file).size === 0) fs.unlinkSync(file);
  } catch {
    // Nothing to tidy.
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`runner failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
