import { fileURLToPath } from 'node:url';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { RootsListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { reconcileLost, resolveSession } from '../run/session-manager.js';
import { BuildmonError } from '../store/errors.js';
import type { Store } from '../store/store.js';
import { registerBuildCancel } from './build-cancel.js';
import { registerBuildConflicts } from './build-conflicts.js';
import { registerBuildErrors } from './build-errors.js';
import { registerBuildHistory } from './build-history.js';
import { registerBuildList } from './build-list.js';
import { registerBuildOptimalJobs } from './build-optimal-jobs.js';
import { registerBuildOutput } from './build-output.js';
import { registerBuildPackageHistory } from './build-package-history.js';
import { registerBuildPackageStatus } from './build-package-status.js';
import { registerBuildPackages } from './build-packages.js';
import { registerBuildStart } from './build-start.js';
import { registerBuildStatus } from './build-status.js';
import { registerBuildWait } from './build-wait.js';
import type { McpContext } from './mcp-context.js';
import { BuildPolicy, resolveRoots, type AllowedRoots } from './safety.js';
import { SessionLogs } from './session-logs.js';
import { registerSessionResources } from './session-resources.js';

/** How the server is configured: from `buildmon mcp`'s options, or by a test. */
export interface BuildmonServerOptions {
  store: Store;
  /** The server's environment, which every build gets. */
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** `--root` directories, used when the client declares no roots. */
  roots: readonly string[];
  /** `--allow-tool` names, allowed besides make, gmake, cmake and ninja. */
  allowTools: readonly string[];
  /** `--allow-make-var` names a client may assign on make's command line. */
  allowMakeVars?: readonly string[];
  version: string;
}

/** Dead runners are looked for at most this often (it reads /proc once per active session). */
const SETTLE_EVERY_MS = 1000;
/** A client that declares roots but does not answer within this time gets no builds. */
const ROOTS_TIMEOUT_MS = 5000;

/**
 * The MCP server: every build tool and the session resources, over one store. Connect it to any
 * transport; `cleanup` stops its timers and closes the logs it reads (not the store, which the
 * caller owns).
 */
export function createBuildmonServer(opts: BuildmonServerOptions): { server: McpServer; cleanup: () => void } {
  const server = new McpServer({ name: 'buildmon', version: opts.version }, {
    capabilities: { tools: {}, resources: { subscribe: true, listChanged: true } },
    instructions: 'Builds run in the background: build_start returns at once; poll build_status or call build_wait (<= 50 s a call). ' +
      'build_errors gives structured errors; build_output pages the log. Only make, gmake, cmake and ninja run, inside the allowed roots.',
  });
  const logs = new SessionLogs();
  let clientRoots: AllowedRoots | null = null;
  server.server.setNotificationHandler(RootsListChangedNotificationSchema, () => {
    clientRoots = null;
  });
  let lastSettleMs = 0;
  const settle = (): void => {
    const now = Date.now();
    if (now - lastSettleMs < SETTLE_EVERY_MS) return;
    lastSettleMs = now;
    reconcileLost(opts.store, now);
  };
  const ctx: McpContext = {
    store: opts.store, env: opts.env, cwd: opts.cwd, policy: new BuildPolicy(opts.allowTools, opts.allowMakeVars ?? []), logs, now: Date.now,
    async roots(): Promise<AllowedRoots> {
      if (server.server.getClientCapabilities()?.roots) {
        if (clientRoots === null) {
          const listed = await server.server.listRoots(undefined, { timeout: ROOTS_TIMEOUT_MS }).catch((err: unknown) => {
            throw new BuildmonError('roots-unavailable', `refused: the client declares MCP roots but did not list them (${err instanceof Error ? err.message : String(err)}); try again, or check the client's roots`);
          });
          const dirs = listed.roots.filter((r) => r.uri.startsWith('file://')).map((r) => fileURLToPath(r.uri));
          clientRoots = resolveRoots(dirs, 'client');
        }
        if (clientRoots.dirs.length > 0) return clientRoots;
      }
      return opts.roots.length > 0 ? resolveRoots(opts.roots, 'option') : resolveRoots([opts.cwd], 'cwd');
    },
    settle,
    session: (idOrPrefix) => {
      settle();
      return resolveSession(opts.store, idOrPrefix);
    },
  };
  for (const register of [registerBuildStart, registerBuildStatus, registerBuildWait, registerBuildOutput, registerBuildErrors,
    registerBuildCancel, registerBuildList, registerBuildConflicts, registerBuildPackageStatus, registerBuildHistory, registerBuildPackages,
    registerBuildOptimalJobs, registerBuildPackageHistory]) {
    register(server, ctx);
  }
  const stopResources = registerSessionResources(server, ctx);
  return {
    server,
    cleanup: () => {
      stopResources();
      logs.close();
    },
  };
}
