import type { BuildCommandInfo } from './command-types.js';

const SOURCE_TEXT = {
  flag: 'from command line',
  makeflags: 'from MAKEFLAGS',
  'cmake-env': 'from CMAKE_BUILD_PARALLEL_LEVEL',
} as const;

/** Processor count that makes ninja choose `jobs` by default (the inverse of GuessParallelism). */
function ninjaCoresFor(jobs: number): number {
  if (jobs <= 2) return 1;
  return jobs === 3 ? 2 : jobs - 2;
}

function describeDefault(info: BuildCommandInfo, jobs: number): string {
  if (info.tool !== 'ninja') return `-j${jobs} (${info.tool} default)`;
  const cores = ninjaCoresFor(jobs);
  return `-j${jobs} (ninja default for ${cores} core${cores === 1 ? '' : 's'})`;
}

function describeUnlimited(info: BuildCommandInfo): string {
  if (info.jobsSource === 'makeflags') return 'unlimited (-j in MAKEFLAGS)';
  if (info.jobsSource === 'cmake-env') return 'unlimited (CMAKE_BUILD_PARALLEL_LEVEL is empty)';
  return info.tool === 'ninja' ? 'unlimited (-j0)' : 'unlimited (-j)';
}

/**
 * One short phrase for the CLI saying how many jobs a build runs and why, e.g.
 * "-j4 (from command line)", "-j3 (ninja default for 2 cores)", "unlimited (-j)".
 */
export function describeJobs(info: BuildCommandInfo): string {
  if (info.jobsUnlimited) return describeUnlimited(info);
  if (info.jobs === null) {
    if (info.jobsSource === 'makeflags') return 'shared make jobserver (size not stated in MAKEFLAGS)';
    return info.tool === 'cmake' ? 'unknown (CMake generator not known)' : 'unknown';
  }
  if (info.jobsSource === 'tool-default') return describeDefault(info, info.jobs);
  if (info.jobsSource === 'unknown') return `-j${info.jobs}`;
  return `-j${info.jobs} (${SOURCE_TEXT[info.jobsSource]})`;
}
