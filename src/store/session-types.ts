/** Lifecycle of a build session. `lost`: its runner died before it could record the end. */
export type SessionStatus = 'starting' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'lost';

/** One build, live or imported from a log. Times are epoch milliseconds. */
export interface SessionRecord {
  id: string;
  command: string[];
  cwd: string;
  /** The build directory; history is looked up per project and key. */
  projectDir: string;
  tool: string;
  target: string;
  targets: string[];
  /** Parallel job count; null when unlimited or unknown. */
  jobs: number | null;
  historyKey: string;
  hostname: string;
  cores: number;
  memBytes: number;
  startedMs: number;
  endedMs: number | null;
  exitCode: number | null;
  signal: string | null;
  status: SessionStatus;
  source: 'live' | 'import';
  logPath: string;
  runnerPid: number | null;
  runnerStart: string | null;
  buildPid: number | null;
  buildStart: string | null;
  predictedMs: number | null;
  progressPct: number | null;
  lineCount: number;
  warningCount: number;
  errorCount: number;
  lastLine: string | null;
  message: string | null;
  /** CPU time (user + system) of the whole build process tree, once it ended. */
  buildCpuMs: number | null;
  /** buildmon's own cost for this build: CPU time of its runner. */
  runnerCpuMs: number | null;
  updatedMs: number;
  /** The runner's latest estimate of the whole build's wall time (ms) and its confidence (0-1), while it runs. */
  liveTotalMs?: number | null;
  liveConfidence?: number | null;
  /** The sampler's latest reading of the build's process tree, while it runs. */
  liveResources?: LiveResources | null;
}

/** One reading of a running build's process tree. */
export interface LiveResources {
  rssBytes: number;
  /** Percent of one core (200 = two cores busy); null for the first reading. */
  cpuPct: number | null;
  /** Files being compiled at that moment. */
  compilers: number;
  /** The largest total RSS so far in this build. */
  peakRssBytes?: number;
}

/** Live counters the runner writes while a build runs. */
export interface SessionProgress {
  progressPct: number | null;
  lineCount: number;
  warningCount: number;
  errorCount: number;
  lastLine: string | null;
  /** The engine's estimate of the whole build's wall time (ms) and its confidence; absent keeps the last one. */
  liveTotalMs?: number | null;
  liveConfidence?: number | null;
  /** The sampler's latest reading; absent keeps the last one. */
  liveResources?: LiveResources | null;
}

/** How a session ended. */
export interface SessionEnd {
  status: Exclude<SessionStatus, 'starting' | 'running'>;
  endedMs: number;
  exitCode: number | null;
  signal: string | null;
  message: string | null;
  buildCpuMs?: number | null;
  runnerCpuMs?: number | null;
}

/** A finished build used for prediction: its duration and when it ended. */
export interface HistoryEntry {
  sessionId: string;
  historyKey: string;
  jobs: number | null;
  durationMs: number;
  endedMs: number;
  status: SessionStatus;
}

/** Per-key summary for `buildmon history`. */
export interface HistoryKeySummary {
  projectDir: string;
  historyKey: string;
  target: string;
  jobs: number | null;
  builds: number;
  succeeded: number;
  avgDurationMs: number | null;
  lastDurationMs: number | null;
  lastEndedMs: number | null;
}
