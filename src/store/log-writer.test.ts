import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseLog } from '../core/log-reader.js';
import { LogFollower, type FollowedLine } from './log-follower.js';
import { finishOrphanLog, LogWriter, streamsPathFor, type ArrivedLine } from './log-writer.js';

const START = { command: 'make -j2', cwd: '/p/build', jobs: 2, target: 'all', sessionId: 'abcd1234', historyKey: 'all_j2', startedMs: 1795995639928, hostname: 'box', cores: 2, memBytes: 1000 };
const out = (text: string, newline = true): ArrivedLine => ({ bytes: Buffer.from(text, 'latin1'), newline, stream: 'out' });

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
  w.appendLines(1795995639974, [out('[  0%] Building C object a.o'), { ...out('bad \xff byte'), stream: 'err' }]);
  w.appendLines(1795995640051, [out('progress 50%\r60%\r', false)]);
  const midway = parseLog(fs.readFileSync(file));
  assert.equal(midway.header.endedMs, null, 'blank slots read as unknown while the build runs');
  assert.equal(midway.header.exitCode, null);
  assert.equal(midway.problemCount, 0);
  w.finish({ endedMs: 1795995814572, exitCode: 0, status: 'succeeded' });
  w.close();
  const log = parseLog(fs.readFileSync(file));
  assert.deepEqual(log.header, {
    version: 1, command: 'make -j2', cwd: '/p/build', jobs: 2, target: 'all', startedMs: 1795995639928,
    endedMs: 1795995814572, exitCode: 0,
    extra: { session: 'abcd1234', history_key: 'all_j2', hostname: 'box', cores: '2', mem_bytes: '1000', signal: '', status: 'succeeded' },
  });
  assert.equal(fs.readFileSync(streamsPathFor(file), 'latin1'), 'oeO!', 'stream of each line (upper case: no newline followed), then the end mark');
  assert.deepEqual(log.lines, [
    { atMs: 1795995639974, text: '[  0%] Building C object a.o' },
    { atMs: 1795995639974, text: 'bad \ufffd byte' },
    { atMs: 1795995640051, text: 'progress 50%\r60%' },
  ]);
  assert.equal(log.problemCount, 0);
});

test('an orphaned log gets its end filled in, and a finished one is left as it is', () => {
  const file = tempLog();
  const w = LogWriter.create(file, { ...START, jobs: null });
  w.appendLines(1795995700000, [out('x')]);
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

test('a follower sees each line once, with its stream, and the end only after the last line', () => {
  const file = tempLog();
  const follower = new LogFollower(file);
  assert.deepEqual(follower.poll(), [], 'no log yet');
  const w = LogWriter.create(file, START);
  assert.deepEqual(follower.poll(), [], 'header only');
  w.appendLines(1795995639974, [out('one'), { ...out('two'), stream: 'err' }]);
  const seen = (lines: FollowedLine[]): Array<[number, string, string, boolean]> => lines.map((l) => [l.atMs, l.raw.toString('latin1'), l.stream, l.newline]);
  assert.deepEqual(seen(follower.poll()), [[1795995639974, 'one', 'out', true], [1795995639974, 'two', 'err', true]]);
  assert.deepEqual(follower.poll(), []);
  assert.equal(follower.ended, false);
  w.appendLines(1795995640000, [out('last \xff', false)]);
  w.finish({ endedMs: 1795995640001, exitCode: 0, status: 'succeeded' });
  w.close();
  assert.deepEqual(seen(follower.poll()), [[1795995640000, 'last \xff', 'out', false]]);
  assert.equal(follower.ended, true);
  follower.close();
});
