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
  `
  -- The packages' live state (JSON array), written with the live counters so other processes can read it.
  ALTER TABLE sessions ADD COLUMN packages_json TEXT;
  CREATE TABLE package_runs (
    session_id  TEXT NOT NULL,
    package     TEXT NOT NULL,
    status      TEXT NOT NULL,
    started_ms  INTEGER,
    ended_ms    INTEGER,
    files_done  INTEGER NOT NULL,
    files_total INTEGER,
    errors      INTEGER NOT NULL,
    warnings    INTEGER NOT NULL,
    PRIMARY KEY (session_id, package)
  );
  CREATE INDEX package_runs_package ON package_runs (package);
  -- One compiled file: exact times where the tool says so (.ninja_log), else inferred from the output.
  CREATE TABLE file_runs (
    session_id TEXT NOT NULL,
    package    TEXT,
    source     TEXT NOT NULL,
    started_ms INTEGER,
    ended_ms   INTEGER,
    exact      INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX file_runs_session ON file_runs (session_id);
  CREATE INDEX file_runs_package ON file_runs (package, source);
  CREATE TABLE diagnostics (
    session_id TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    at_ms      INTEGER NOT NULL,
    severity   TEXT NOT NULL,
    tool       TEXT NOT NULL,
    file       TEXT,
    line       INTEGER,
    col        INTEGER,
    message    TEXT NOT NULL,
    package    TEXT,
    category   TEXT NOT NULL,
    text       TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
  );
  -- What a project's packages are, as last learned (plain Makefile projects learn them from the output).
  CREATE TABLE project_packages (
    project_dir TEXT NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    files_total INTEGER,
    depends_on  TEXT NOT NULL,              -- JSON array
    source      TEXT NOT NULL,
    updated_ms  INTEGER NOT NULL,
    PRIMARY KEY (project_dir, name)
  );
  `,
  `
  -- Resource use of the whole build process tree, sampled from /proc while it ran.
  ALTER TABLE sessions ADD COLUMN peak_rss_bytes INTEGER;
  ALTER TABLE sessions ADD COLUMN avg_cpu_pct REAL;           -- percent of one core (200 = two cores busy)
  ALTER TABLE sessions ADD COLUMN peak_procs INTEGER;
  ALTER TABLE sessions ADD COLUMN peak_compilers INTEGER;
  ALTER TABLE sessions ADD COLUMN sample_count INTEGER;
  ALTER TABLE sessions ADD COLUMN sampler_cpu_ms REAL;        -- what the sampling itself cost
  -- The runner's live estimate of the whole build's wall time, written with the live counters.
  ALTER TABLE sessions ADD COLUMN live_total_ms INTEGER;
  ALTER TABLE sessions ADD COLUMN live_confidence REAL;
  -- The sampler's latest reading while the build runs: total RSS, CPU (percent of one core), files compiling.
  ALTER TABLE sessions ADD COLUMN live_rss_bytes INTEGER;
  ALTER TABLE sessions ADD COLUMN live_cpu_pct REAL;
  ALTER TABLE sessions ADD COLUMN live_compilers INTEGER;
  CREATE TABLE resource_samples (
    session_id TEXT NOT NULL,
    at_ms      INTEGER NOT NULL,
    rss_bytes  INTEGER NOT NULL,
    cpu_pct    REAL,                                          -- NULL for the first sample (no interval yet)
    procs      INTEGER NOT NULL,
    compilers  INTEGER NOT NULL,
    PRIMARY KEY (session_id, at_ms)
  );
  -- One compiler or linker process of a build, attributed to its file and package from its command line.
  CREATE TABLE process_runs (
    session_id     TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('compile','link')),
    package        TEXT,
    source         TEXT,                                      -- the file compiled, or the artifact linked
    started_ms     INTEGER NOT NULL,
    ended_ms       INTEGER NOT NULL,                          -- last seen
    peak_rss_bytes INTEGER NOT NULL,
    cpu_ms         INTEGER NOT NULL
  );
  CREATE INDEX process_runs_session ON process_runs (session_id);
  `,
];

export const SCHEMA_VERSION: number = MIGRATIONS.length;
