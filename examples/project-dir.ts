import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Name of the file that marks a directory as written by the example generator. */
export const EXAMPLE_MARKER = '.buildmon-example';

/**
 * Makes `dir` an empty directory ready for a project. A missing directory is created; an existing
 * one is emptied only when it carries {@link EXAMPLE_MARKER}, so the generator never deletes files
 * it did not write.
 */
export async function prepareExampleDir(dir: string): Promise<void> {
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (info === undefined) {
    await mkdir(dir, { recursive: true });
    return;
  }
  if (!info.isDirectory()) {
    throw new Error(`cannot write an example project to ${dir}: it exists and is not a directory`);
  }
  const entries = await readdir(dir);
  if (entries.length === 0) return;
  if (!entries.includes(EXAMPLE_MARKER)) {
    throw new Error(
      `refusing to write an example project to ${dir}: it is a non-empty directory that the generator ` +
        `did not write (no ${EXAMPLE_MARKER} marker); choose an empty or new directory`,
    );
  }
  await Promise.all(entries.map((entry) => rm(path.join(dir, entry), { recursive: true, force: true })));
}

/** Writes the marker first (so a half-written tree can still be regenerated), then every file. */
export async function writeProjectFiles(dir: string, marker: string, files: ReadonlyMap<string, string>): Promise<void> {
  await writeFile(path.join(dir, EXAMPLE_MARKER), marker);
  const dirs = new Set([...files.keys()].map((file) => path.dirname(path.join(dir, file))));
  for (const sub of [...dirs].sort()) await mkdir(sub, { recursive: true });
  const entries = [...files];
  for (let i = 0; i < entries.length; i += WRITE_BATCH) {
    const batch = entries.slice(i, i + WRITE_BATCH);
    await Promise.all(batch.map(([file, content]) => writeFile(path.join(dir, file), content)));
  }
}

const WRITE_BATCH = 64;
