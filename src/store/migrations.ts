/**
 * Versioned schema. Migration N (1-based) brings `PRAGMA user_version` from N-1 to N.
 * Append only: never edit a migration that has shipped.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE sessions (
    id            TEXT PRIMARY KEY,
    command       TEXT NOT NULL,            -- JSON argv
    cwd           TEXT NOT NULL,
    project_dir   TEXT NOT NULL,            -- the build directory; history is scoped to it
    tool          TEXT NOT NULL,
    target        TEXT NOT NULL,
    targets       TEXT NOT NULL,            -- JSON array
    jobs          INTEGER,                  -- NULL: unlimited or unknown
    history_key   TEXT NOT NULL,
    hostname      TEXT NOT NULL,
    cores         INTEGER NOT NULL,
    mem_bytes     INTEGER NOT NULL,
    started_ms    INTEGER NOT NULL,
    ended_ms      INTEGER,
    exit_code     INTEGER,
    signal        TEXT,
    status        TEXT NOT NULL CHECK (status IN ('starting','running','succeeded','failed','cancelled','lost')),
    source        TEXT NOT NULL DEFAULT 'live' CHECK (source IN ('live','import')),
    log_path      TEXT NOT NULL,
    runner_pid    INTEGER,
    runner_start  TEXT,                     -- /proc start time of the runner, guards against pid reuse
    build_pid     INTEGER,                  -- also the build's process group id
    predicted_ms  INTEGER,
    progress_pct  REAL,
    line_count    INTEGER NOT NULL DEFAULT 0,
    warning_count INTEGER NOT NULL DEFAULT 0,
    error_count   INTEGER NOT NULL DEFAULT 0,
    last_line     TEXT,
    message       TEXT,                     -- why it failed to start, was cancelled or lost
    build_cpu_ms  INTEGER,                  -- CPU time of the whole build process tree
    runner_cpu_ms INTEGER,                  -- buildmon's own cost: CPU time of the runner
    updated_ms    INTEGER NOT NULL
  );
  CREATE INDEX sessions_history ON sessions (project_dir, history_key, ended_ms);
  CREATE INDEX sessions_started ON sessions (started_ms);
  CREATE UNIQUE INDEX sessions_import_identity ON sessions (cwd, started_ms, command) WHERE source = 'import';
  `,
  `
  -- The build leader's /proc start time, so that a reused pid is never taken for the build.
  ALTER TABLE sessions ADD COLUMN build_start TEXT;
  -- Set by a cancel that may reach the runner before it listens for signals.
  ALTER TABLE sessions ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
  `,
];

export const SCHEMA_VERSION: number = MIGRATIONS.length;
