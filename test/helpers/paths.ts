import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Root of the repository, found from this file's compiled location (`<outDir>/test/helpers/paths.js`). */
export const REPO_ROOT: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Real build logs used by the tests (copied from the shared fixtures so a fresh clone is self-contained). */
export const FIXTURES_DIR: string = path.join(REPO_ROOT, 'test', 'fixtures');

/** Absolute path of a fixture file by name, e.g. `fixture('libuv-make-j2.log')`. */
export function fixture(name: string): string {
  return path.join(FIXTURES_DIR, name);
}
