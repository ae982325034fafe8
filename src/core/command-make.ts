import { scanOptions, type OptionSpec, type ScannedOption } from './command-getopt.js';
import { parseJobCount, scanOk, type JobSetting, type NativeScan, type ScanResult } from './command-scan.js';

const JOBSERVER = 'jobserver';

/** GNU make 4.x options that take an argument (`make --help`); all other letters are flags. */
export const MAKE_OPTIONS: OptionSpec = {
  tool: 'make',
  short: {
    C: 'required',
    E: 'required',
    f: 'required',
    I: 'required',
    o: 'required',
    W: 'required',
    j: 'optional-numeric',
    l: 'optional-numeric',
    O: 'optional-attached',
  },
  long: {
    directory: { name: 'C', arg: 'required' },
    eval: { name: 'E', arg: 'required' },
    file: { name: 'f', arg: 'required' },
    makefile: { name: 'f', arg: 'required' },
    'include-dir': { name: 'I', arg: 'required' },
    'old-file': { name: 'o', arg: 'required' },
    'assume-old': { name: 'o', arg: 'required' },
    'new-file': { name: 'W', arg: 'required' },
    'what-if': { name: 'W', arg: 'required' },
    'assume-new': { name: 'W', arg: 'required' },
    jobs: { name: 'j', arg: 'optional-numeric' },
    'load-average': { name: 'l', arg: 'optional-numeric' },
    'max-load': { name: 'l', arg: 'optional-numeric' },
    'output-sync': { name: 'O', arg: 'optional-attached' },
    debug: { name: 'debug', arg: 'optional-attached' },
    shuffle: { name: 'shuffle', arg: 'optional-attached' },
    'jobserver-auth': { name: JOBSERVER, arg: 'required' },
    'jobserver-fds': { name: JOBSERVER, arg: 'required' },
    'sync-mutex': { name: 'sync-mutex', arg: 'required' },
  },
};

/** The job setting of one make option, or null when the option is not about jobs. */
export function makeJobOption(option: ScannedOption): ScanResult<JobSetting | null> {
  if (option.name !== 'j') return scanOk(null);
  if (option.value === undefined) return scanOk({ kind: 'unlimited' });
  const count = parseJobCount(option.value);
  return count.ok ? scanOk({ kind: 'count', jobs: count.value }) : count;
}

/**
 * Reads a make command line (without the program name). The last `-j` wins; words containing
 * '=' are variable assignments, not targets, even after `--`.
 */
export function scanMakeArgs(args: readonly string[]): ScanResult<NativeScan> {
  const scanned = scanOptions(args, MAKE_OPTIONS);
  if (!scanned.ok) return scanned;
  let setting: JobSetting | null = null;
  for (const option of scanned.value.options) {
    const job = makeJobOption(option);
    if (!job.ok) return job;
    setting = job.value ?? setting;
  }
  const dirs = scanned.value.options.filter((o) => o.name === 'C').map((o) => o.value ?? '');
  const targets = scanned.value.operands.filter((word) => !word.includes('='));
  return scanOk({ setting, dirs, targets });
}

/**
 * The job setting that make options found in MAKEFLAGS imply. A bad `-j` there is skipped, as
 * make does (it warns and goes on). A jobserver with a bare `-j` (make before 4.2 wrote
 * `--jobserver-fds=3,4 -j`) or without any `-j` means a shared pool of unstated size.
 */
export function makeflagsOptionsSetting(options: readonly ScannedOption[]): JobSetting | null {
  let setting: JobSetting | null = null;
  for (const option of options) {
    const job = makeJobOption(option);
    if (job.ok && job.value !== null) setting = job.value;
  }
  const shared = options.some((o) => o.name === JOBSERVER);
  if (shared && (setting === null || setting.kind === 'unlimited')) return { kind: 'shared' };
  return setting;
}

/** Joins `-C` directories the way successive chdir calls would, keeping them as written. */
export function joinMakeDirs(dirs: readonly string[]): string | null {
  let joined: string | null = null;
  for (const dir of dirs) {
    joined = joined === null || dir.startsWith('/') ? dir : `${joined.replace(/\/+$/, '')}/${dir}`;
  }
  return joined;
}
