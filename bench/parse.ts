import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createLineParser, detectDialect } from '../src/core/parse/index.js';
import { BuildEngine } from '../src/core/engine.js';
import type { Dialect } from '../src/core/parse/types.js';
import { FIXTURES_DIR } from '../test/helpers/paths.js';

/** Lines each dialect parser is timed over (the fixture lines, repeated). */
const TARGET_LINES = 2_000_000;
const DIALECTS: readonly Dialect[] = ['cmake-make', 'ninja', 'gnu-make'];
const ROUNDS = 3;

function logLines(name: string): { command: string; lines: string[] } {
  const lines: string[] = [];
  let command = '';
  for (const raw of readFileSync(path.join(FIXTURES_DIR, name), 'utf8').split('\n')) {
    if (raw.startsWith('# command: ')) command = raw.slice(11);
    if (raw === '' || raw.startsWith('#')) continue;
    const space = raw.indexOf(' ');
    lines.push(space === -1 ? '' : raw.slice(space + 1));
  }
  return { command, lines };
}

const LOG_NAMES = readdirSync(FIXTURES_DIR).filter((f) => f.endsWith('.log')).sort();

function fixtureLines(): string[] {
  return LOG_NAMES.flatMap((name) => logLines(name).lines);
}

/** The whole engine (parser, package tracker, diagnostic collector) over one log, repeated; lines per second. */
function timeEngine(name: string, count: number): number {
  const { command, lines } = logLines(name);
  const tool = command.startsWith('ninja') ? 'ninja' : command.startsWith('make') ? 'make' : command.startsWith('cmake') ? 'cmake' : 'unknown';
  const dialect = detectDialect({ tool }, lines.slice(0, 50));
  const all = repeatTo(lines, Math.max(count, lines.length));
  const engine = new BuildEngine({ dialect, startedMs: 0, jobs: 2, priorTotalMs: null });
  const startNs = process.hrtime.bigint();
  for (let i = 0; i < all.length; i++) engine.onLine(i, all[i]!);
  engine.onExit(all.length, 0, null);
  engine.packages(all.length);
  const elapsedNs = Number(process.hrtime.bigint() - startNs);
  return all.length / (elapsedNs / 1e9);
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

const ENGINE_LINES = 200_000;
console.log(`\nwhole engine (parse + packages + diagnostics), each log repeated to ${ENGINE_LINES.toLocaleString('en-US')} lines, best of ${ROUNDS}`);
for (const name of LOG_NAMES) {
  let best = 0;
  for (let round = 0; round < ROUNDS; round++) best = Math.max(best, timeEngine(name, ENGINE_LINES));
  console.log(`${name.padEnd(36)} ${Math.round(best).toLocaleString('en-US').padStart(11)} lines/s`);
}
