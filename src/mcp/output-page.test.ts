import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixture } from '../../test/helpers/paths.js';
import type { SessionRecord } from '../store/session-types.js';
import { pageOutput, PAGE_LINE_CHARS, PAGE_TEXT_BYTES, renderPage, type LineSource } from './output-page.js';
import { LogIndex } from './log-index.js';
import { SessionLogs } from './session-logs.js';

const LOG = fixture('fail-fmt-cxx-make-j2.log');

/** The output lines of a buildmon log, header skipped, stamps removed. */
function bodyLines(file: string): string[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#')).map((l) => l.slice(l.indexOf(' ') + 1));
}

function session(logPath: string): SessionRecord {
  return {
    id: 'fmtfail1', command: ['make', '-j2'], cwd: '/src/fmt/build', projectDir: '/src/fmt/build', tool: 'make', target: 'all', targets: ['all'],
    jobs: 2, historyKey: 'all_j2', hostname: 'h', cores: 2, memBytes: 0, startedMs: 1795996701675, endedMs: 1795996705063, exitCode: 2,
    signal: null, status: 'failed', source: 'import', logPath, runnerPid: null, runnerStart: null, buildPid: null, buildStart: null,
    predictedMs: null, progressPct: null, lineCount: 20, warningCount: 0, errorCount: 2, lastLine: null, message: null,
    buildCpuMs: null, runnerCpuMs: null, updatedMs: 0,
  };
}

/** The whole log indexed in one go (the clock stands still, so the budget never runs out). */
function indexWhole(s: SessionRecord): LogIndex {
  const index = new LogIndex(s);
  assert.equal(index.advance(s, true, 1, () => 0), true);
  return index;
}

const lines = indexWhole(session(LOG));
const ns = (page: { lines: { n: number }[] }): number[] => page.lines.map((l) => l.n);
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('a failed fmt build reads as 20 lines, the two Building lines routine and every line after them part of a diagnostic', () => {
  assert.deepEqual(lines.readLines(1, lines.lineCount), bodyLines(LOG));
  assert.deepEqual(lines.notableLines, range(3, 20));
});

test('the default page puts diagnostic lines first, then fills the rest with the other lines', () => {
  const page = pageOutput(lines, { cursor: null, limit: 50, grep: null, errorsOnly: false }, false);
  assert.deepEqual(ns(page), [...range(3, 20), 1, 2]);
  assert.deepEqual([page.total_lines, page.notable_lines, page.notable_omitted, page.next_cursor], [20, 18, 0, null]);
  assert.deepEqual(page.lines.map((l) => l.notable), [...range(3, 20).map(() => true), false, false]);
  const small = pageOutput(lines, { cursor: null, limit: 5, grep: null, errorsOnly: false }, false);
  assert.deepEqual(ns(small), [3, 4, 5, 6, 7]);
  assert.equal(small.notable_omitted, 13);
  // An ended build's short page points at the first line it did not show.
  assert.equal(small.next_cursor, '1');
  assert.deepEqual(renderPage('fmtfail1', 'failed', small).split('\n').slice(-2),
    ['(13 more diagnostic lines: errors_only:true, cursor:"8")', 'next_cursor: 1']);
  // While the build runs, the cursor points past the last line, to what it prints next.
  assert.equal(pageOutput(lines, { cursor: null, limit: 5, grep: null, errorsOnly: false }, true).next_cursor, '21');
});

test('pages from a cursor cover the whole output once, in order, and end with a null cursor', () => {
  const seen: number[] = [];
  let cursor: number | null = 1;
  let calls = 0;
  while (cursor !== null) {
    const page = pageOutput(lines, { cursor, limit: 8, grep: null, errorsOnly: false }, false);
    seen.push(...ns(page));
    cursor = page.next_cursor === null ? null : Number(page.next_cursor);
    calls++;
  }
  assert.deepEqual(seen, range(1, 20));
  assert.equal(calls, 3);
  assert.equal(pageOutput(lines, { cursor: 17, limit: 8, grep: null, errorsOnly: false }, true).next_cursor, '21');
});

test('grep is a case-insensitive substring; grep and errors_only filter, page and keep log order', () => {
  assert.deepEqual(ns(pageOutput(lines, { cursor: null, limit: 50, grep: '] ERROR ', errorsOnly: false }, false)), [17, 19, 20]);
  assert.deepEqual(ns(pageOutput(lines, { cursor: null, limit: 50, grep: '(=+)+$', errorsOnly: false }, false)), []);
  const two = pageOutput(lines, { cursor: null, limit: 2, grep: 'error', errorsOnly: false }, false);
  assert.deepEqual([ns(two), two.next_cursor], [[4, 14], '15']);
  const first = pageOutput(lines, { cursor: 1, limit: 3, grep: null, errorsOnly: true }, false);
  assert.deepEqual([ns(first), first.next_cursor], [[3, 4, 5], '6']);
  const none = pageOutput(lines, { cursor: null, limit: 3, grep: 'no such text', errorsOnly: false }, false);
  assert.deepEqual([ns(none), none.next_cursor], [[], null]);
});

test('a long line is cut with the count of what was left out', () => {
  const full = bodyLines(LOG)[10] as string;
  assert.ok(full.length > PAGE_LINE_CHARS);
  const page = pageOutput(lines, { cursor: 11, limit: 1, grep: null, errorsOnly: false }, false);
  assert.equal(page.lines[0]?.text, `${full.slice(0, PAGE_LINE_CHARS)}…(+${full.length - PAGE_LINE_CHARS} chars)`);
});

test('a log read while it grows gives the same lines and diagnostics as the whole log read at once', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buildmon-page-'));
  try {
    const file = path.join(dir, 'live.log');
    const data = fs.readFileSync(LOG);
    const cut = data.indexOf('\n', data.indexOf('413 |')) + 1;
    fs.writeFileSync(file, data.subarray(0, cut));
    const logs = new SessionLogs();
    const s = session(file);
    const early = await logs.read({ ...s, status: 'running', endedMs: null, exitCode: null }, false);
    assert.deepEqual([early.index.lineCount, early.ready, early.complete], [5, true, false]);
    fs.appendFileSync(file, data.subarray(cut));
    const late = (await logs.read(s, true)).index;
    const whole = indexWhole(s);
    assert.deepEqual([late.readLines(1, 20), late.notableLines], [whole.readLines(1, 20), whole.notableLines]);
    assert.deepEqual(late.diagnostics(), whole.diagnostics());
    assert.deepEqual(late.diagnostics().map((d) => [d.severity, d.file, d.line, d.column, d.package]), [
      ['error', '/src/fail/fmt-cxx/src/os.cc', 413, 5, 'fmt'],
      ['error', '/src/fail/fmt-cxx/include/fmt/base.h', 2273, 45, 'fmt'],
    ]);
    logs.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A log of `count` lines, line n being `text(n)`; `notable` lines are diagnostic. */
function syntheticLog(count: number, text: (n: number) => string, notable: number[] = []): LineSource {
  return { lineCount: count, notableLines: notable, readLines: (from, to) => range(from, to).map(text) };
}

test('a page holds at most 16 KB of line text: pages of long lines end early, and their cursors still cover every line once', () => {
  // 300 lines of 400 characters: 40 fit in 16384 bytes.
  const log = syntheticLog(300, (n) => `${String(n).padStart(4, '0')}${'a'.repeat(396)}`);
  const first = pageOutput(log, { cursor: 1, limit: 200, grep: null, errorsOnly: false }, false);
  assert.deepEqual([first.lines.length, first.next_cursor], [40, '41']);
  assert.ok(first.lines.reduce((sum, l) => sum + Buffer.byteLength(l.text), 0) <= PAGE_TEXT_BYTES);
  const seen: number[] = [];
  for (let cursor: number | null = 1; cursor !== null;) {
    const page = pageOutput(log, { cursor, limit: 200, grep: null, errorsOnly: false }, false);
    seen.push(...ns(page));
    cursor = page.next_cursor === null ? null : Number(page.next_cursor);
  }
  assert.deepEqual(seen, range(1, 300));
  // The default page keeps the last lines that fit.
  const tail = pageOutput(log, { cursor: null, limit: 200, grep: null, errorsOnly: false }, false);
  assert.deepEqual([ns(tail), tail.next_cursor], [range(261, 300), '1']);
});

test('the budget counts UTF-8 bytes, and a grep page cut by it goes on at the line that did not fit', () => {
  // Lines of 400 three-byte characters (1200 bytes): 13 fit. Every third line matches the grep.
  const log = syntheticLog(120, (n) => (n % 3 === 0 ? '€'.repeat(400) : 'other'));
  const page = pageOutput(log, { cursor: null, limit: 200, grep: '€', errorsOnly: false }, false);
  assert.deepEqual([ns(page), page.next_cursor], [range(1, 13).map((i) => 3 * i), '42']);
  const rest = pageOutput(log, { cursor: 42, limit: 200, grep: '€', errorsOnly: false }, false);
  assert.deepEqual([ns(rest), rest.next_cursor], [range(14, 26).map((i) => 3 * i), '81']);
});

test('the default page takes diagnostic lines first within the budget, counting those it leaves out', () => {
  const log = syntheticLog(100, (n) => (n <= 50 ? `error block line ${n} ${'e'.repeat(600)}` : `line ${n}`), range(1, 50));
  const page = pageOutput(log, { cursor: null, limit: 200, grep: null, errorsOnly: false }, false);
  // Each diagnostic line is cut to 400 characters and `…(+219 chars)`, 415 bytes: 39 fit. The 199 bytes
  // left take the last lines, from the end: `line 100` and 27 lines of 7 bytes.
  assert.deepEqual([ns(page), page.notable_omitted, page.next_cursor], [[...range(1, 39), ...range(73, 100)], 11, '40']);
  assert.equal(page.lines.reduce((sum, l) => sum + Buffer.byteLength(l.text), 0), 39 * 415 + 8 + 27 * 7);
});
