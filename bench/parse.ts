import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createLineParser } from '../src/core/parse/index.js';
import type { Dialect } from '../src/core/parse/types.js';
import { FIXTURES_DIR } from '../test/helpers/paths.js';

/** Lines each dialect parser is timed over (the fixture lines, repeated). */
const TARGET_LINES = 2_000_000;
const DIALECTS: readonly Dialect[] = ['cmake-make', 'ninja', 'gnu-make'];
const ROUNDS = 3;

function fixtureLines(): string[] {
  const lines: string[] = [];
  for (const name of readdirSync(FIXTURES_DIR).filter((f) => f.endsWith('.log')).sort()) {
    for (const raw of readFileSync(path.join(FIXTURES_DIR, name), 'utf8').split('\n')) {
      if (raw === '' || raw.startsWith('#')) continue;
      const space = raw.indexOf(' ');
      lines.push(space === -1 ? '' : raw.slice(space + 1));
    }
  }
  return lines;
}

function repeatTo(lines: readonly string[], count: number): string[] {
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) out[i] = lines[i % lines.length]!;
  return out;
}

function timeDialect(dialect: Dialect, lines: readonly string[]): { linesPerSecond: number; unrecognised: number } {
  const parser = createLineParser(dialect);
  let unrecognised = 0;
  const startNs = process.hrtime.bigint();
  for (const line of lines) if (parser.parse(line).event.kind === 'unrecognised') unrecognised++;
  const elapsedNs = Number(process.hrtime.bigint() - startNs);
  return { linesPerSecond: lines.length / (elapsedNs / 1e9), unrecognised };
}

const base = fixtureLines();
const lines = repeatTo(base, TARGET_LINES);
console.log(`${base.length} fixture lines repeated to ${lines.length}; best of ${ROUNDS} rounds`);
for (const dialect of DIALECTS) {
  let best = 0;
  let unrecognised = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const result = timeDialect(dialect, lines);
    best = Math.max(best, result.linesPerSecond);
    unrecognised = result.unrecognised;
  }
  console.log(`${dialect.padEnd(10)} ${Math.round(best).toLocaleString('en-US').padStart(11)} lines/s  (${unrecognised} unrecognised: mostly the other dialects' lines)`);
}
