import { readFileSync } from 'node:fs';
import { fixture } from './paths.js';

/** A fixture log as tests read it: header fields by name, and each line with its stamp. */
export interface StampedFixture {
  header: Map<string, string>;
  lines: { atMs: number; text: string }[];
}

/** Reads `test/fixtures/<name>` (epoch-ms stamps only, as the fixtures have). */
export function readStampedFixture(name: string): StampedFixture {
  const header = new Map<string, string>();
  const lines: { atMs: number; text: string }[] = [];
  for (const raw of readFileSync(fixture(name), 'utf8').split('\n')) {
    if (raw === '') continue;
    if (raw.startsWith('# ')) {
      const colon = raw.indexOf(': ');
      header.set(raw.slice(2, colon), raw.slice(colon + 2));
      continue;
    }
    const space = raw.indexOf(' ');
    lines.push({ atMs: Number(raw.slice(0, space)), text: raw.slice(space + 1) });
  }
  return { header, lines };
}
