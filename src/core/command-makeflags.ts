import { scanOptions, type ScannedOption } from './command-getopt.js';
import { MAKE_OPTIONS, makeflagsOptionsSetting } from './command-make.js';
import { resolveSetting, type JobResolution, type JobSetting } from './command-scan.js';

/**
 * Splits a MAKEFLAGS value into words the way make does: on blanks, with a backslash escaping the
 * next character. A first word without a dash and without '=' is a group of flag letters (`ks`,
 * `kj4`), so it gets a dash.
 */
export function splitMakeflags(value: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < value.length; i++) {
    const char = value.charAt(i);
    if (/\s/.test(char)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      const escaped = char === '\\' && i + 1 < value.length;
      word = (word ?? '') + (escaped ? value.charAt(++i) : char);
    }
  }
  if (word !== null) words.push(word);
  const first = words[0];
  if (first !== undefined && !first.startsWith('-') && !first.includes('=')) words[0] = `-${first}`;
  return words;
}

function envOptions(value: string | undefined): ScannedOption[] {
  if (value === undefined) return [];
  const scanned = scanOptions(splitMakeflags(value), MAKE_OPTIONS);
  return scanned.ok ? scanned.value.options : [];
}

/**
 * The job setting make takes from its environment. GNUMAKEFLAGS is read first and MAKEFLAGS
 * after it, so a `-j` in MAKEFLAGS wins; a `-j` on the command line wins over both.
 */
export function makeflagsSetting(env: Readonly<Record<string, string | undefined>>): JobSetting | null {
  return makeflagsOptionsSetting([...envOptions(env['GNUMAKEFLAGS']), ...envOptions(env['MAKEFLAGS'])]);
}

/** Make's job count when its command line sets none: from the environment, else make's default of 1. */
export function makeEnvJobs(env: Readonly<Record<string, string | undefined>>): JobResolution {
  const setting = makeflagsSetting(env);
  if (setting === null) return { jobs: 1, jobsUnlimited: false, jobsSource: 'tool-default' };
  return resolveSetting(setting, 'makeflags');
}
