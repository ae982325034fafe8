import type { JobsSource } from './command-types.js';

/** How the arguments set the job count, before a tool's default applies. */
export type JobSetting =
  | { kind: 'count'; jobs: number }
  | { kind: 'unlimited' }
  /** A make jobserver is shared with a parent whose size is not stated. */
  | { kind: 'shared' }
  /** `cmake --build -j` without a number: whatever the native tool does by default. */
  | { kind: 'native-default' };

/** A value, or a message saying why the command cannot run. */
export type ScanResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** What a make or ninja argument list says about jobs, directories and targets. */
export interface NativeScan {
  setting: JobSetting | null;
  /** Directories changed into, in order, as written. */
  dirs: string[];
  targets: string[];
}

/** The job fields of a BuildCommandInfo. */
export interface JobResolution {
  jobs: number | null;
  jobsUnlimited: boolean;
  jobsSource: JobsSource;
}

const MAX_JOBS = 2147483647;

/** Wraps a value as a successful scan. */
export function scanOk<T>(value: T): ScanResult<T> {
  return { ok: true, value };
}

/** Parses a job count as make, ninja and cmake accept it: decimal digits, at least 1. */
export function parseJobCount(text: string): ScanResult<number> {
  const jobs = /^\d+$/.test(text) ? Number(text) : 0;
  if (jobs < 1) return { ok: false, error: `job count must be a positive integer, got '${text}'` };
  if (jobs > MAX_JOBS) return { ok: false, error: `job count is too large, got '${text}'` };
  return scanOk(jobs);
}

/** Turns a definite setting into job fields; 'native-default' has no meaning without a tool. */
export function resolveSetting(setting: JobSetting, jobsSource: JobsSource): JobResolution {
  switch (setting.kind) {
    case 'count':
      return { jobs: setting.jobs, jobsUnlimited: false, jobsSource };
    case 'unlimited':
      return { jobs: null, jobsUnlimited: true, jobsSource };
    default:
      return { jobs: null, jobsUnlimited: false, jobsSource };
  }
}

/** Job fields for a count that nothing on the command line or in the environment decided. */
export function unknownJobs(): JobResolution {
  return { jobs: null, jobsUnlimited: false, jobsSource: 'unknown' };
}
