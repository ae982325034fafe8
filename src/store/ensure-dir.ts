import fs from 'node:fs';
import path from 'node:path';
import { BuildmonError } from './errors.js';

/**
 * Creates a folder and its missing parents, one level at a time: `mkdirSync(..., { recursive })`
 * can spin forever on paths it cannot create (e.g. under /proc). Errors name the folder and the fix.
 */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  let current = path.resolve(dir);
  for (;;) {
    try {
      if (!fs.statSync(current).isDirectory()) throw unusable(dir, `${current} is not a directory`);
      break;
    } catch (err) {
      if (err instanceof BuildmonError) throw err;
      const parent = path.dirname(current);
      if (parent === current) throw unusable(dir, 'no parent folder exists');
      missing.push(current);
      current = parent;
    }
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw unusable(dir, `cannot create ${d} (${code ?? (err as Error).message})`);
    }
  }
}

function unusable(dir: string, why: string): BuildmonError {
  return new BuildmonError('home-unusable', `cannot use ${dir} for buildmon's data: ${why}. Set BUILDMON_HOME to a writable folder.`);
}
