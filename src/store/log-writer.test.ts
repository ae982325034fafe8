import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseLog } from '../core/log-reader.js';
import { finishOrphanLog, lastStampMs, LogWriter } from './log-writer.js';

const START = { command: 'make -j2', cwd: '/p/build', jobs: 2, target: 'all', sessionId: 'abcd1234', historyKey: 'all_j2', startedMs: 1795995639928 };

const made: string[] = [];
after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempLog(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buildmon-log-'));
  made.push(dir);
  return path.join(dir, 'x.log');
}

test('a log written live reads back with its header filled in at the end', () => {
  const file = tempLog();
  const w = LogWriter.create(file, START);
  w.appendLines(1795995639974, [Buffer.from('[  0%] Building C object a.o'), Buffer.from('bad \xff byte', 'latin1')]);
  w.appendLines(1795995640051, [Buffer.from('progress 50%\r60%\r')]);
  const midway = parseLog(fs.readFileSync(file));
  assert.equal(midway.header.endedMs, null, 'blank slots read as unknown while the build runs');
  assert.equal(midway.header.exitCode, null);
  assert.equal(midway.problemCount, 0);
  w.finish({ endedMs: 1795995814572, exitCode: 0, status: 'succeeded' });
  w.close();
  const log = parseLog(fs.readFileSync(file));
  assert.deepEqual(log.header, {
    version: 1, command: 'make -j2', cwd: '/p/build', jobs: 2, target: 'all', startedMs: 1795995639928,
    endedMs: 1795995814572, exitCode: 0, extra: { session: 'abcd1234', history_key: 'all_j2', status: 'succeeded' },
  });
  assert.deepEqual(log.lines, [
    { atMs: 1795995639974, text: '[  0%] Building C object a.o' },
    { atMs: 1795995639974, text: 'bad \ufffd byte' },
    { atMs: 1795995640051, text: 'progress 50%\r60%' },
  ]);
  assert.equal(log.problemCount, 0);
  assert.equal(lastStampMs(file), 1795995640051);
});

test('an orphaned log gets its end filled in, and a finished one is left as it is', () => {
  const file = tempLog();
  const w = LogWriter.create(file, { ...START, jobs: null });
  w.appendLines(1795995700000, [Buffer.from('x')]);
  w.close();
  assert.equal(finishOrphanLog(file, { endedMs: 1795995700000, exitCode: null, status: 'lost' }), true);
  const log = parseLog(fs.readFileSync(file));
  assert.equal(log.header.jobs, null);
  assert.equal(log.header.endedMs, 1795995700000);
  assert.equal(log.header.exitCode, null);
  assert.equal(log.header.extra.status, 'lost');
  finishOrphanLog(file, { endedMs: 1, exitCode: 3, status: 'failed' });
  assert.equal(parseLog(fs.readFileSync(file)).header.endedMs, 1795995700000, 'filled slots are not overwritten');
  assert.equal(finishOrphanLog(path.join(path.dirname(file), 'missing.log'), { endedMs: 1, exitCode: 0, status: 'lost' }), false);
});
