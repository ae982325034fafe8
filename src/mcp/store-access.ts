import { databaseError, isSqliteError } from '../store/database.js';
import type { Store } from '../store/store.js';

/** The parts of the store whose methods run SQL: a failure in any of them becomes a BuildmonError. */
const QUERIED = ['sessions', 'details', 'past', 'resources'] as const;

/**
 * The MCP server's way to its store. Given a function, it opens the store on first use and, while
 * that fails (a corrupt or unreadable database), tries again on every use: each tool call and
 * resource read is refused with the reason and the way out, the server stays connected, and once
 * the database is fixed (moved aside, `buildmon import`) the next call works.
 *
 * Every SQL failure of the open store (SQLITE_CORRUPT on a damaged page, SQLITE_FULL) is turned into
 * the same BuildmonError the CLI prints, naming the database file.
 */
export class StoreAccess {
  private guardedStore: Store | null = null;

  constructor(private readonly source: Store | (() => Store)) {}

  /** The store, or a BuildmonError saying why it cannot be used. */
  get(): Store {
    if (this.guardedStore) return this.guardedStore;
    const store = typeof this.source === 'function' ? this.source() : this.source;
    this.guardedStore = withDatabaseErrors(store);
    return this.guardedStore;
  }
}

/** `store` with the methods of its query objects rethrowing SQLite errors as BuildmonErrors that name the file. */
function withDatabaseErrors(store: Store): Store {
  const { dbPath, logsDir } = store.layout;
  const toKnown = (err: unknown): unknown => (isSqliteError(err) ? databaseError(dbPath, logsDir, err) : err);
  const wrapped = { ...store };
  for (const key of QUERIED) {
    const target = store[key] as object;
    (wrapped as Record<string, unknown>)[key] = new Proxy(target, {
      get(obj, prop) {
        const value: unknown = Reflect.get(obj, prop, obj);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]): unknown => {
          try {
            return (value as (...a: unknown[]) => unknown).apply(obj, args);
          } catch (err) {
            throw toKnown(err);
          }
        };
      },
    });
  }
  return wrapped;
}
