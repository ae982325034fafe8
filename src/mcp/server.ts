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
import { StoreAccess } from './store-access.js';

/** How the server is configured: from `buildmon mcp`'s options, or by a test. */
export interface BuildmonServerOptions {
  /**
   * The store, or how to open it: then it is opened on first use and, while that fails (a corrupt
   * database), every tool call and resource read is refused with the reason, and opening is tried
   * again on the next one.
   */
  store: Store | (() => Store);
  /** The server's environment, which every build gets. */
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** `--root` directories, used when the client declares no roots. */
  roots: readonly string[];
  /** `--allow-tool` names, allowed besides make, gmake, cmake and ninja. */
  allowTools: readonly string[];
  /** `--allow-make-var` names a client may assign on make's command line. */
  allowMakeVars?: readonly string[];
  /** `--allow-env` names a client may set in a build's environment (build_start's `env`). */
  allowEnv?: readonly string[];
  version: string;
  /** How often subscribed sessions and new sessions are looked for (default 1000 ms; tests use less). */
  resourcePollMs?: number;
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
  const access = new StoreAccess(opts.store);
  let clientRoots: AllowedRoots | null = null;
  server.server.setNotificationHandler(RootsListChangedNotificationSchema, () => {
    clientRoots = null;
  });
  let lastSettleMs = 0;
  const settle = (): void => {
    const now = Date.now();
    if (now - lastSettleMs < SETTLE_EVERY_MS) return;
    lastSettleMs = now;
    reconcileLost(access.get(), now);
  };
  const ctx: McpContext = {
    get store() {
      return access.get();
    },
    env: opts.env, cwd: opts.cwd, policy: new BuildPolicy(opts.allowTools, opts.allowMakeVars ?? [], opts.allowEnv ?? []), logs, now: Date.now,
    async roots(relatedRequestId?: string | number): Promise<AllowedRoots> {
      if (server.server.getClientCapabilities()?.roots) {
        if (clientRoots === null) {
          const listed = await server.server.listRoots(undefined, { timeout: ROOTS_TIMEOUT_MS, relatedRequestId }).catch((err: unknown) => {
            throw new BuildmonError('roots-unavailable', `refused: the client declares MCP roots but did not list them (${err instanceof Error ? err.message : String(err)}); try again, or check the client's roots`);
          });
          clientRoots = resolveRoots(localRootDirs(listed.roots.map((r) => r.uri)), 'client');
        }
        if (clientRoots.dirs.length > 0) return clientRoots;
      }
      return opts.roots.length > 0 ? resolveRoots(opts.roots, 'option') : resolveRoots([opts.cwd], 'cwd');
    },
    settle,
    session: (idOrPrefix) => {
      settle();
      return resolveSession(access.get(), idOrPrefix);
    },
  };
  for (const register of [registerBuildStart, registerBuildStatus, registerBuildWait, registerBuildOutput, registerBuildErrors,
    registerBuildCancel, registerBuildList, registerBuildConflicts, registerBuildPackageStatus, registerBuildHistory, registerBuildPackages,
    registerBuildOptimalJobs, registerBuildPackageHistory]) {
    register(server, ctx);
  }
  const stopResources = registerSessionResources(server, ctx, { pollMs: opts.resourcePollMs });
  return {
    server,
    cleanup: () => {
      stopResources();
      logs.close();
    },
  };
}

/**
 * The directories of the client's `file:` roots. A file URL naming another host (`file://host/dir`)
 * is no directory here and is left out; when that leaves none, builds are refused rather than
 * allowed under the server's own roots, with a sentence saying which roots were not usable.
 * Roots of other schemes are not directories and are ignored.
 */
export function localRootDirs(uris: readonly string[]): string[] {
  const dirs: string[] = [];
  const remote: string[] = [];
  for (const uri of uris.filter((u) => u.startsWith('file://'))) {
    try {
      dirs.push(fileURLToPath(uri));
    } catch {
      remote.push(uri);
    }
  }
  if (dirs.length === 0 && remote.length > 0) {
    throw new BuildmonError('roots-not-local', `refused: the client's MCP roots (${remote.join(', ')}) are not directories on this machine ` +
      "(a root must be file:///PATH or file://localhost/PATH). To allow builds, add a local directory as a root in your MCP client.");
  }
  return dirs;
}
