import { scanOptions, type OptionSpec, type ScannedOption } from './command-getopt.js';
import {
  parseJobCount,
  scanOk,
  type JobResolution,
  type JobSetting,
  type NativeScan,
  type ScanResult,
} from './command-scan.js';

/** Ninja 1.11 options (`ninja -h`); `-t` ends the options and the rest belongs to the subtool. */
export const NINJA_OPTIONS: OptionSpec = {
  tool: 'ninja',
  short: {
    C: 'required',
    d: 'required',
    f: 'required',
    j: 'required',
    k: 'required',
    l: 'required',
    t: 'required',
    w: 'required',
  },
  long: {},
  stopAfter: 't',
};

/** Prefix of the pseudo-target recorded for `ninja -t <tool>`, which runs a subtool, not a build. */
export const NINJA_SUBTOOL_PREFIX = 'tool:';

/**
 * Ninja's default job count for a machine (GuessParallelism in ninja.cc): 2 for one processor,
 * 3 for two, else processors + 2.
 */
export function ninjaDefaultJobs(cores: number): number {
  if (cores <= 1) return 2;
  if (cores === 2) return 3;
  return cores + 2;
}

function ninjaJobOption(option: ScannedOption): ScanResult<JobSetting | null> {
  if (option.name !== 'j') return scanOk(null);
  if (option.value === '0') return scanOk({ kind: 'unlimited' });
  const count = parseJobCount(option.value ?? '');
  return count.ok ? scanOk({ kind: 'count', jobs: count.value }) : count;
}

/**
 * Reads a ninja command line (without the program name). `-j 0` means unlimited, as in ninja
 * since 1.9. The last `-C` and the last `-j` win. `-t clean` yields the target `tool:clean` so
 * that a subtool run is never mistaken for a build of the default target.
 */
export function scanNinjaArgs(args: readonly string[]): ScanResult<NativeScan> {
  const scanned = scanOptions(args, NINJA_OPTIONS);
  if (!scanned.ok) return scanned;
  let setting: JobSetting | null = null;
  for (const option of scanned.value.options) {
    const job = ninjaJobOption(option);
    if (!job.ok) return job;
    setting = job.value ?? setting;
  }
  const dirs = scanned.value.options.filter((o) => o.name === 'C').map((o) => o.value ?? '');
  const subtool = scanned.value.options.find((o) => o.name === 't');
  const targets = subtool === undefined ? scanned.value.operands : [`${NINJA_SUBTOOL_PREFIX}${subtool.value ?? ''}`];
  return scanOk({ setting, dirs: dirs.slice(-1), targets });
}

/** Job fields when ninja picks its own count. */
export function ninjaDefaultResolution(cores: number): JobResolution {
  return { jobs: ninjaDefaultJobs(cores), jobsUnlimited: false, jobsSource: 'tool-default' };
}
