import path from 'node:path';
import Database from 'better-sqlite3';
import { BuildmonError } from './errors.js';
import { ensureDir } from './ensure-dir.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

export type Db = Database.Database;

const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed) the SQLite database in WAL mode and brings its schema up to date.
 * Several processes (runners, the CLI, the MCP server) share it; WAL lets readers run beside a writer.
 * A corrupt or too-new file is never modified: the error names the file and the way out.
 */
export function openDatabase(dbPath: string, logsDir: string): Db {
  ensureDir(path.dirname(dbPath));
  let db: Db | null = null;
  try {
    db = new Database(dbPath, { timeout: BUSY_TIMEOUT_MS });
    checkNotTooNew(db.pragma('user_version', { simple: true }) as number, dbPath);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, dbPath, logsDir);
    return db;
  } catch (err) {
    db?.close();
    throw databaseError(dbPath, logsDir, err);
  }
}

/** True for an error SQLite raised (its code is `SQLITE_...`): the database, not buildmon, failed. */
export function isSqliteError(err: unknown): boolean {
  return String((err as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_');
}

/** Turns any failure to use the database into a message that names the file and the fix. */
export function databaseError(dbPath: string, logsDir: string, err: unknown): BuildmonError {
  if (err instanceof BuildmonError) return err;
  const code = (err as { code?: string }).code ?? '';
  const detail = err instanceof Error ? err.message : String(err);
  if (/^SQLITE_(CANTOPEN|READONLY|PERM|AUTH|FULL|IOERR)/.test(code)) {
    return new BuildmonError('db-unavailable', `cannot use the database ${dbPath} (${code}: ${detail}). Check that its folder is writable and has space, or point BUILDMON_HOME elsewhere.`, { cause: err });
  }
  if (code.startsWith('SQLITE_BUSY')) {
    return new BuildmonError('db-busy', `the database ${dbPath} stayed locked by another buildmon process for ${BUSY_TIMEOUT_MS / 1000} s; try again.`, { cause: err });
  }
  if (code !== '' && !/^SQLITE_(CORRUPT|NOTADB)/.test(code)) {
    return new BuildmonError('db-error', `database error in ${dbPath} (${code}: ${detail}).`, { cause: err });
  }
  return corruptError(dbPath, logsDir, err);
}

function checkNotTooNew(version: number, dbPath: string): void {
  if (version > SCHEMA_VERSION) {
    throw new BuildmonError(
      'db-too-new',
      `${dbPath} was written by a newer buildmon (schema v${version}; this one knows up to v${SCHEMA_VERSION}). ` +
        'Upgrade buildmon, or point BUILDMON_HOME at another folder.',
    );
  }
}

function migrate(db: Db, dbPath: string, logsDir: string): void {
  const readVersion = (): number => db.pragma('user_version', { simple: true }) as number;
  // Each step re-reads the version inside its write lock, so two processes starting at once
  // never apply the same migration twice.
  const step = db.transaction((): boolean => {
    const version = readVersion();
    checkNotTooNew(version, dbPath);
    if (version === SCHEMA_VERSION) return false;
    try {
      db.exec(MIGRATIONS[version] as string);
    } catch (err) {
      // A schema this buildmon never wrote (a hand edit, a development build): the step is rolled
      // back and the file left as it was; the logs still hold every build.
      if (!isSqliteError(err) || /^SQLITE_(BUSY|FULL|IOERR|READONLY|CORRUPT|NOTADB)/.test(String((err as { code?: unknown }).code))) throw err;
      throw new BuildmonError('db-migration',
        `cannot bring the database ${dbPath} from schema v${version} to v${version + 1}: ${err instanceof Error ? err.message : String(err)} ` +
        `(its tables do not match schema v${version}; it was left unchanged).\n` +
        `Move it aside (mv '${dbPath}' '${dbPath}.bad') and rebuild it from the logs in ${logsDir} with: buildmon import`, { cause: err });
    }
    db.pragma(`user_version = ${version + 1}`);
    return true;
  });
  if (readVersion() === SCHEMA_VERSION) return;
  while (step.immediate()) {
    /* one migration per transaction */
  }
}

function corruptError(dbPath: string, logsDir: string, cause: unknown): BuildmonError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new BuildmonError(
    'db-corrupt',
    `cannot use the database ${dbPath}: ${detail}.\n` +
      `Move it aside (mv '${dbPath}' '${dbPath}.bad') and rebuild it from the logs in ${logsDir} with: buildmon import`,
    { cause },
  );
}
