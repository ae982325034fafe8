import type { PackageStatus } from './package-state.js';
import type { PlacedCompile } from './plain-make-placement.js';

/** A file (or, under plain make, a link) that holds one of make's job slots; times in ms since the epoch. */
export interface RunningFile {
  pkg: string;
  file: string;
  startedMs: number;
  /** Plain make only: a link holds a job slot too, and ends when make has started more than it has slots for. */
  link?: boolean;
  /** Plain make only: the compile as placed, so that evidence can move it. */
  compile?: PlacedCompile;
}

/** A failure credited by a guess, and what the package was before it, to go back to. */
export interface GuessedFailure {
  count: number;
  status: PackageStatus;
  reason: string | null;
  endedMs: number | null;
}

/** What the tracker knows of one package; `PackageState` is its view. Times in ms since the epoch. */
export interface PackageRecord {
  name: string;
  status: PackageStatus;
  reason: string | null;
  current: RunningFile[];
  done: Set<string>;
  total: number | null;
  startedMs: number | null;
  endedMs: number | null;
  dependsOn: string[];
  guessedFailure: GuessedFailure | null;
  /** When a step of it last started or ended; null before any. */
  lastActivityMs: number | null;
}

/** A package nothing has happened to yet: queued, no files, no times. */
export function newPackageRecord(name: string): PackageRecord {
  return {
    name, status: 'queued', reason: null, current: [], done: new Set(), total: null, startedMs: null, endedMs: null,
    dependsOn: [], guessedFailure: null, lastActivityMs: null,
  };
}

/** The package's first step began at `atMs`; later starts change nothing. */
export function markStarted(p: PackageRecord, atMs: number): void {
  if (p.startedMs !== null) return;
  p.startedMs = atMs;
  if (p.status === 'queued') p.status = 'compiling';
}

/** The package was built at `atMs`, unless it had failed. Its running files must be finished first. */
export function markCompleted(p: PackageRecord, atMs: number): void {
  if (p.status === 'failed') return;
  if (p.startedMs === null) p.startedMs = atMs;
  p.status = 'completed';
  p.reason = null;
  p.endedMs = atMs;
}

/**
 * The build ended at `atMs`: a package still open finished (`ok`) or was stopped; one never started was
 * up to date, or, when the targets asked for could not be placed (`scopeKnown` false), perhaps not asked for.
 */
export function settleAtExit(p: PackageRecord, atMs: number, ok: boolean, scopeKnown: boolean): void {
  p.current = [];
  if (p.status === 'completed' || p.status === 'failed') return;
  if (ok && p.startedMs === null && !scopeKnown) {
    p.reason = 'not built: outside the targets asked for, or up to date';
  } else if (ok) {
    const seen = p.startedMs !== null;
    p.status = 'completed';
    p.reason = seen ? null : 'up to date';
    if (seen) p.endedMs = atMs;
  } else if (p.startedMs !== null) {
    p.status = 'failed';
    p.reason = 'stopped: the build ended before it finished';
    p.endedMs = atMs;
  } else {
    p.reason = 'not built: the build stopped first';
  }
  p.current = [];
}
