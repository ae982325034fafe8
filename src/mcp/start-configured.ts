import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileApiQuery } from '../project/cmake-file-api.js';
import { launchPlannedSession, type PlannedBuild, type StartedSession } from '../run/session-manager.js';
import type { Store } from '../store/store.js';
import type { ConfigureStep } from './configure-step.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CONFIGURE_MAIN = path.join(HERE, 'configure-then-build.js');

/**
 * Starts a session exactly as `startSession` does (the same record, the same detached runner), but
 * the runner's process is `configure-then-build`, so that the CMake configure step and the build are
 * one session with one log. The session's command, key and dialect are the build's. Returns at once.
 */
export async function startConfiguredSession(store: Store, plan: PlannedBuild, step: ConfigureStep, env: NodeJS.ProcessEnv, nowMs: number = Date.now()): Promise<StartedSession> {
  // The configure step then leaves a File API reply: later builds of the directory know its packages exactly.
  writeFileApiQuery(step.buildDir);
  const command = [process.execPath, CONFIGURE_MAIN, JSON.stringify({ configure: step.argv, build: plan.argv })];
  return launchPlannedSession(store, plan, env, command, nowMs);
}
