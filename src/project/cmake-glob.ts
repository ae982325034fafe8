import path from 'node:path';
import { listDir } from './cmakelists-files.js';

/** What one file(GLOB) pattern may do. */
export interface GlobOptions {
  /** GLOB_RECURSE: the last component matches file names in every directory below. */
  recurse: boolean;
  /** Whether matching directories are listed too. */
  listDirs: boolean;
  /** Directory entries the expansion may read before it stops with what it found. */
  maxEntries: number;
}

/** The paths a pattern matched (unsorted) and how many directory entries it read to find them. */
export interface GlobResult {
  paths: string[];
  entriesVisited: number;
}

/** Directories a recursive glob never descends into: they hold no sources of the build and can be huge. */
const SKIPPED_DIRS: ReadonlySet<string> = new Set(['.git', 'node_modules']);
const WILDCARD = /[*?[]/;

/**
 * file(GLOB) on an absolute pattern: wildcards (`*`, `?`, `[...]`, `[!...]`) in any component; with
 * `recurse`, the last component matches file names in every directory below except `.git` and
 * `node_modules`. Stops once `maxEntries` directory entries have been read. Never throws.
 */
export function expandGlob(pattern: string, options: GlobOptions): GlobResult {
  const parts = pattern.split('/').slice(1);
  const last = globRegExp(parts.pop() ?? '');
  let entriesVisited = 0;
  const read = (dir: string): ReturnType<typeof listDir> => {
    const entries = listDir(dir).slice(0, Math.max(0, options.maxEntries - entriesVisited));
    entriesVisited += entries.length;
    return entries;
  };
  let dirs = ['/'];
  for (const part of parts) {
    if (!WILDCARD.test(part)) dirs = dirs.map((d) => path.join(d, part));
    else dirs = dirs.flatMap((d) => read(d).filter((e) => e.isDirectory() && globRegExp(part).test(e.name)).map((e) => path.join(d, e.name)));
  }
  const paths: string[] = [];
  const visit = (dir: string, deeper: boolean): void => {
    for (const entry of read(dir)) {
      const full = path.join(dir, entry.name);
      if ((!entry.isDirectory() || options.listDirs) && last.test(entry.name)) paths.push(full);
      if (deeper && entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) visit(full, true);
    }
  };
  for (const dir of dirs) visit(dir, options.recurse);
  return { paths, entriesVisited };
}

/** The directory a pattern starts from: its components before the first one with a wildcard. */
export function globBase(pattern: string): string {
  const parts = pattern.split('/');
  const first = parts.findIndex((part) => WILDCARD.test(part));
  const fixed = first === -1 ? parts.slice(0, -1) : parts.slice(0, first);
  return fixed.join('/') || '/';
}

function globRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    const close = c === '[' ? glob.indexOf(']', i + 2) : -1;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (close > 0) {
      const body = glob.slice(i + 1, close).replaceAll('\\', '\\\\');
      source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = close;
    } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  try {
    return new RegExp(`^${source}$`, 's');
  } catch {
    return /(?!)/;
  }
}
