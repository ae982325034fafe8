import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayText, emptyHeader, formatHeader, formatStampedLine, parseLineStamp } from './log-format.js';
import type { LineStamp } from './log-format.js';

function stampOf(line: string | Buffer): LineStamp | null {
  const buf = Buffer.isBuffer(line) ? line : Buffer.from(line);
  return parseLineStamp(buf, 0, buf.length);
}

test('emptyHeader has every value unknown', () => {
  assert.deepEqual(emptyHeader(), {
    version: null,
    command: null,
    cwd: null,
    jobs: null,
    target: null,
    startedMs: null,
    endedMs: null,
    exitCode: null,
    extra: {},
  });
});

test('formatHeader writes known keys in FORMAT.md order, then extra keys', () => {
  const text = formatHeader({
    exitCode: 2,
    endedMs: 1795996671931,
    startedMs: 1795996642523,
    target: 'all',
    jobs: 2,
    cwd: '/src/zstd/build',
    command: 'make -j2',
    extra: { signal: 'SIGTERM', history_key: 'all_j2' },
  });
  assert.equal(
    text,
    '# buildmon-log 1\n# command: make -j2\n# cwd: /src/zstd/build\n# jobs: 2\n# target: all\n' +
      '# started: 1795996642523\n# ended: 1795996671931\n# exit: 2\n# signal: SIGTERM\n# history_key: all_j2\n',
  );
});

test('formatHeader leaves out unknown values, and keys or line breaks that could not be read back', () => {
  assert.equal(formatHeader({ command: 'ninja', startedMs: 5 }), '# buildmon-log 1\n# command: ninja\n# started: 5\n');
  assert.equal(
    formatHeader({
      command: 'make \\\n  -j2',
      startedMs: 7,
      endedMs: null,
      exitCode: 0,
      extra: { 'bad key': 'x', 'also:bad': 'y', command: 'shadow', 'buildmon-log': '9', status: 'failed\r\n' },
    }),
    '# buildmon-log 1\n# command: make \\   -j2\n# started: 7\n# exit: 0\n# status: failed  \n',
  );
});

test('formatStampedLine copies raw bytes exactly, whatever their encoding', () => {
  assert.deepEqual(
    formatStampedLine(1795995639974, Buffer.from([0xff, 0x41, 0x00, 0x0d])),
    Buffer.concat([Buffer.from('1795995639974 '), Buffer.from([0xff, 0x41, 0x00, 0x0d, 0x0a])]),
  );
  assert.equal(formatStampedLine(1795995639974.9, Buffer.alloc(0)).toString(), '1795995639974 \n');
});

test('parseLineStamp reads epoch milliseconds followed by one space or the end of the line', () => {
  assert.deepEqual(stampOf('1795995639974 [  0%] Building'), { atMs: 1795995639974, textStart: 14 });
  assert.deepEqual(stampOf('1795995639974   indented'), { atMs: 1795995639974, textStart: 14 });
  assert.deepEqual(stampOf('1795995639974 '), { atMs: 1795995639974, textStart: 14 });
  assert.deepEqual(stampOf('1795995639974'), { atMs: 1795995639974, textStart: 13 });
  assert.deepEqual(stampOf('100000000000 x'), { atMs: 100000000000, textStart: 13 });
  assert.deepEqual(stampOf('999999999999999 x'), { atMs: 999999999999999, textStart: 16 });
});

test('parseLineStamp reads moreutils ts seconds, rounding down to the millisecond', () => {
  assert.deepEqual(stampOf('1795995639.974123 text'), { atMs: 1795995639974, textStart: 18 });
  assert.deepEqual(stampOf('1795995639.9 text'), { atMs: 1795995639900, textStart: 13 });
  assert.deepEqual(stampOf('1795995639.05'), { atMs: 1795995639050, textStart: 13 });
  assert.deepEqual(stampOf('1795995639.999999999 x'), { atMs: 1795995639999, textStart: 21 });
  assert.deepEqual(stampOf('179599563.5 x'), { atMs: 179599563500, textStart: 12 });
});

test('parseLineStamp reads ISO-8601 with a zone', () => {
  assert.deepEqual(stampOf('2026-11-29T14:30:00.1234567Z text'), { atMs: 1795962600123, textStart: 29 });
  assert.deepEqual(stampOf('2026-11-29T14:30:00Z text'), { atMs: 1795962600000, textStart: 21 });
  assert.deepEqual(stampOf('2026-11-29T14:30:00+02:00 text'), { atMs: 1795955400000, textStart: 26 });
  assert.deepEqual(stampOf('2026-11-29T14:30:00.5-05:30'), { atMs: 1795982400500, textStart: 27 });
  assert.deepEqual(stampOf('2026-11-29T14:30:00+0200 x'), { atMs: 1795955400000, textStart: 25 });
  assert.deepEqual(stampOf('2026-11-29t14:30:00,25z x'), { atMs: 1795962600250, textStart: 24 });
  assert.deepEqual(stampOf('2026-12-31T23:59:60Z x'), { atMs: 1798761600000, textStart: 21 });
});

test('parseLineStamp finds no stamp in ordinary output', () => {
  const notStamps = [
    '',
    ' 1795995639974 leading space',
    '5 warnings generated.',
    '12345678901 eleven digits',
    '1234567890123456 sixteen digits (microseconds)',
    '1795995639974x',
    '1795995639974\tx',
    '1795995639974:x',
    '17959956.974 eight-digit seconds',
    '1795995639. no fraction',
    '1795995639.1234567890 ten fraction digits',
    '1795995639.974123x',
    '2026-11-29T14:30:00 no zone',
    '2026-11-29 14:30:00Z space instead of T',
    '2026-13-29T14:30:00Z month 13',
    '2026-11-29T24:00:00Z hour 24',
    '2026-11-29T14:30:00.Z',
    '2026-11-29T14:30:00+2:00 x',
    '2026-11-29T14:30:00Zx',
    '2026-11-29',
    '2026-1-29T14:30:00Z',
    '0050-11-29T14:30:00Z two-digit year',
  ];
  for (const line of notStamps) assert.equal(stampOf(line), null, line);
});

test('parseLineStamp reads only inside the given range', () => {
  const buf = Buffer.from('xx1795995639974 text\nyy');
  assert.deepEqual(parseLineStamp(buf, 2, 20), { atMs: 1795995639974, textStart: 16 });
  assert.deepEqual(parseLineStamp(buf, 2, 15), { atMs: 1795995639974, textStart: 15 });
  assert.equal(parseLineStamp(buf, 2, 10), null);
});

test('displayText keeps what a terminal shows after carriage returns', () => {
  const cases: Array<[string, string]> = [
    ['plain text', 'plain text'],
    ['', ''],
    ['50%\r60%', '60%'],
    ['50%\r60%\r', '60%'],
    ['10%\r20%\r30%\r\r', '30%'],
    ['\r', ''],
    ['\r\r\r', ''],
    ['done\r', 'done'],
    ['\rstart', 'start'],
  ];
  for (const [input, shown] of cases) assert.equal(displayText(input), shown, JSON.stringify(input));
});

test('displayText removes ANSI escape sequences', () => {
  const cases: Array<[string, string]> = [
    ['\x1b[1m\x1b[31merror:\x1b[0m \x1b[01;35mfoo\x1b[m bar', 'error: foo bar'],
    ['\x1b]0;window title\x07text', 'text'],
    ['\x1b]8;;file:///a.c\x1b\\a.c\x1b]8;;\x1b\\', 'a.c'],
    ['[1/3] a.c\r\x1b[K[2/3] b.c', '[2/3] b.c'],
    ['\x1b[2K\r 40%', ' 40%'],
    ['\x1b(Bx\x1b=y', 'xy'],
    ['\x9b31mred\x9b0m', 'red'],
    ['abc\x1b', 'abc'],
    ['abc\x1b[', 'abc'],
    ['\x1b[31\nz', '\nz'],
  ];
  for (const [input, shown] of cases) assert.equal(displayText(input), shown, JSON.stringify(input));
});
