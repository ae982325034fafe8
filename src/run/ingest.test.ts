import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../store/store.js';
import { fixture } from '../../test/helpers/paths.js';
import { tempDir, tempHome } from '../../test/helpers/cli.js';
import { ingestLog } from './ingest.js';

const HOUR_MS = 3_600_000;

/**
 * A fixture log as a 2-core machine recorded it under `command`, its stamps moved by `shiftMs` so
 * that one recording can be the history of another; `keepJobs` false drops its job count.
 */
function copyOf(dir: string, name: string, shiftMs: number, command: string, keepJobs: boolean): string {
  const out: string[] = [];
  for (const line of fs.readFileSync(fixture(name), 'utf8').split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# ')) {
      if (line.startsWith('# jobs:') && !keepJobs) continue;
      if (line.startsWith('# command:')) out.push(`# command: ${command}`, '# cores: 2');
      else if (/^# (started|ended): /.test(line)) out.push(line.replace(/\d+$/, (ms) => String(Number(ms) + shiftMs)));
      else out.push(line);
      continue;
    }
    const space = line.indexOf(' ');
    out.push(`${Number(line.slice(0, space)) + shiftMs}${line.slice(space)}`);
  }
  const file = path.join(dir, `${shiftMs}-${name}`);
  fs.writeFileSync(file, out.join('\n') + '\n');
  return file;
}

test('ingestLog: a build with no job limit is replayed on the cores of the machine it ran on, as the runner does', () => {
  const store = openStore(tempHome());
  try {
    const dir = tempDir();
    assert.equal(ingestLog(store, copyOf(dir, 'libuv-make-j2.log', -HOUR_MS, 'make -j2', true), {}, true).recorded, 'recorded');
    // The same build again as `make -j` on the same 2 cores: its expectations come from the -j2 one.
    const r = ingestLog(store, copyOf(dir, 'libuv-make-j2.log', 0, 'make -j', false), {}, false);
    assert.equal(r.session.historyKey, 'all_junlimited');
    assert.equal(r.session.cores, 2);
    assert.equal(r.session.endedMs! - r.session.startedMs, 30_187);
    // On one slot the history's work took twice as long: 60205 ms at the start, 41423 ms at half time.
    assert.equal(r.priorMs, 30_164);
    assert.equal(r.replay.checkpoints.find((c) => c.fraction === 0.5)?.predictedTotalMs, 30_197);
  } finally {
    store.close();
  }
});
