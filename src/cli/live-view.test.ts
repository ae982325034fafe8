import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { BuildSnapshot } from '../core/engine.js';
import { LiveView } from './live-view.js';
import type { FollowedLine } from '../store/log-follower.js';

const LINE: FollowedLine = { atMs: 0, raw: Buffer.alloc(0), stream: 'out', newline: true };

function snap(over: Partial<BuildSnapshot>): BuildSnapshot {
  return {
    atMs: Date.UTC(2026, 10, 30, 14, 0, 0), startedMs: 0, elapsedMs: 42_000, lineCount: 312, progressPct: 45,
    stepsDone: null, stepsTotal: null, activity: ['compiling package_core: a.cc', 'compiling package_db: b.cc'],
    warningCount: 2, errorCount: 0, predictedTotalMs: 93_000, remainingMs: 51_000, finished: false, endedMs: null,
    exitCode: null, signal: null, packages: { total: 0, completed: 0, failed: 0, active: [] }, ...over,
  };
}

/** Masks what depends on the clock and the local time zone. */
function mask(frame: string): string {
  return frame.replace(/@\d\d:\d\d/g, '@HH:MM').replace(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/g, '*');
}

function view(verbose = false): { v: LiveView; out: () => string; tick: (ms: number) => void } {
  const stream = new PassThrough();
  let text = '';
  let clockMs = 0;
  stream.on('data', (d: Buffer) => (text += d.toString()));
  const v = new LiveView(stream, { title: 'all_j2', verbose, frameMs: 100, now: () => clockMs, columns: () => 80 });
  return { v, out: () => text, tick: (ms) => (clockMs += ms) };
}

test('at the end, only notable lines stay above where the window was; routine lines are not printed', () => {
  const { v, out } = view();
  v.line(LINE, '[ 10%] Building CXX object a.o', 'routine');
  v.line(LINE, 'a.cc:3:1: warning: unused', 'notable');
  v.update(snap({}));
  v.finish();
  assert.equal(out(), 'a.cc:3:1: warning: unused\n');
});

test('the window shows elapsed, progress, ETA, what is running and counts', async () => {
  const { v, out, tick } = view();
  v.update(snap({}));
  await new Promise((r) => setTimeout(r, 20));
  const frame = mask(out());
  assert.equal(frame, [
    '* all_j2  42s █████████░░░░░░░░░░░  45%  ETA 51s@HH:MM',
    '  compiling package_db: b.cc · compiling package_core: a.cc',
    '  312 lines · 2 warnings · 0 errors',
    '',
  ].join('\n'));
  tick(100);
  v.line(LINE, 'x.cc:1:1: error: boom', 'notable');
  v.update(snap({ errorCount: 1, remainingMs: null, progressPct: null, activity: [] }));
  await new Promise((r) => setTimeout(r, 20));
  v.finish();
  const second = mask(out()).slice(frame.length);
  assert.equal(second, '\x1b[3A\r\x1b[Jx.cc:1:1: error: boom\n* all_j2  42s  ETA unknown\n  waiting for output…\n  312 lines · 2 warnings · 1 error\n\x1b[3A\r\x1b[J');
});

test('verbose prints every line, with carriage-return progress shown as a terminal would', () => {
  const { v, out } = view(true);
  v.line(LINE, 'step 10%\r50%\r', 'routine');
  v.finish();
  assert.equal(out(), '50%\n');
});

test('with packages known, a line shows how many are done and the ones building now', async () => {
  const { v, out } = view();
  v.update(snap({
    packages: {
      total: 12, completed: 5, failed: 1,
      active: [{ name: 'package_core', status: 'compiling', filesDone: 3, filesTotal: 8 }, { name: 'package_db', status: 'linking', filesDone: 4, filesTotal: 4 }],
    },
  }));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(mask(out()).split('\n')[1], '  packages 5/12 done · 1 failed · package_core 3/8 · package_db linking');
});

test("with the sampler's reading, the counts line shows the build's memory and CPU", async () => {
  const { v, out } = view();
  v.resources({ rssBytes: 458 * 1024 ** 2, cpuPct: 187.4, compilers: 2 });
  v.update(snap({}));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(mask(out()).split('\n')[2], '  312 lines · 2 warnings · 0 errors · mem 458MB · cpu 187%');
});
