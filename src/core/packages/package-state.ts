/** Where a package is in its build: `queued -> compiling -> linking -> completed | failed`. */
export type PackageStatus = 'queued' | 'compiling' | 'linking' | 'completed' | 'failed';

/** One package's live state, in the shape the CLI, replay and MCP tools return (times in ms since the epoch). */
export interface PackageState {
  name: string;
  status: PackageStatus;
  /** Why it is queued, or why it ended as it did (`waiting for autogen`, `up to date`); null when nothing to say. */
  reason: string | null;
  /** The files it is compiling now (base names). Under ninja (which reports a step when it ends) this stays empty. */
  current_files: string[];
  files_done: number;
  /** From the project model, else from history, else null (unknown rather than guessed). */
  files_total: number | null;
  /** 0-100; 100 once completed; null while the total is unknown. */
  progress_pct: number | null;
  elapsed_ms: number | null;
  started_ms: number | null;
  ended_ms: number | null;
  depends_on: string[];
  /** Errors and warnings attributed to it. */
  errors: number;
  warnings: number;
}
