import type { SessionRecord } from '../store/session-types.js';
import type { Store } from '../store/store.js';
import type { AllowedRoots, BuildPolicy } from './safety.js';
import type { SessionLogs } from './session-logs.js';

/**
 * What every tool and resource handler works with. All state lives in the store and the logs, as
 * for the CLI, so a restarted server (or a CLI in another terminal) sees exactly the same builds.
 */
export interface McpContext {
  /**
   * The shared store. Reading it throws a BuildmonError (the database path and the way out) while
   * the database cannot be opened, and its queries throw one when SQLite fails: tools and resources
   * pass that on as their refusal.
   */
  readonly store: Store;
  /** The server's own environment: every build gets it; from the client only what `--allow-env` names. */
  env: NodeJS.ProcessEnv;
  /** The server's working directory: relative paths from the client are resolved against it. */
  cwd: string;
  policy: BuildPolicy;
  logs: SessionLogs;
  now(): number;
  /**
   * The directories builds may use now: the client's MCP roots when it declares them, else --root, else `cwd`.
   * `relatedRequestId` (the tool call asking) sends the roots request on that call's own response stream,
   * which an HTTP client that keeps no standalone stream still reads.
   */
  roots(relatedRequestId?: string | number): Promise<AllowedRoots>;
  /** Settles sessions whose runner died (at most about once a second: it reads /proc). */
  settle(): void;
  /** A session by id or unique prefix, settled first; throws a BuildmonError naming recent sessions. */
  session(idOrPrefix: string): SessionRecord;
}
