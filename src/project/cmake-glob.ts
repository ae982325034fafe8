import path from 'node:path';
import { listDir } from './cmakelists-files.js';

const MAX_GLOB_ENTRIES = 100_000;

/**
 * file(GLOB) on an absolute pattern: wildcards (`*`, `?`, `[...]`, `[!...]`) in any component; with
 * `recurse`, the last component matches file names in every directory below. Directories are listed
 * only with `listDirs`. At most 100,000 paths, unsorted; never throws.
 */
export function expandGlob(pattern: string, recurse: boolean, listDirs: boolean): string[] {
  const parts = pattern.split('/').slice(1);
  const last = globRegExp(parts.pop() ?? '');
  let dirs = ['/'];
  for (const part of parts) {
    if (!/[*?[]/.test(part)) dirs = dirs.map((d) => path.join(d, part));
    else dirs = dirs.flatMap((d) => listDir(d).filter((e) => e.isDirectory() && globRegExp(part).test(e.name)).map((e) => path.join(d, e.name)));
  }
  const found: string[] = [];
  const visit = (dir: string, deeper: boolean): void => {
    for (const entry of listDir(dir)) {
      if (found.length >= MAX_GLOB_ENTRIES) return;
      const full = path.join(dir, entry.name);
      if ((!entry.isDirectory() || listDirs) && last.test(entry.name)) found.push(full);
      if (deeper && entry.isDirectory()) visit(full, true);
    }
  };
  for (const dir of dirs) visit(dir, recurse);
  return found;
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
