import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { FIXTURES_DIR, fixture } from '../../test/helpers/paths.js';
import { displayText, emptyHeader, formatHeader, formatStampedLine } from './log-format.js';
import type { LogHeader, StampedLine } from './log-format.js';
import { LogReader, MAX_KEPT_PROBLEMS, parseLog } from './log-reader.js';
import type { ParsedLog } from './log-reader.js';

interface FixtureExpectation {
  name: string;
  header: Omit<LogHeader, 'version' | 'extra'>;
  lineCount: number;
  first: StampedLine;
  last: StampedLine;
}

const FIXTURES: FixtureExpectation[] = [
  {
    name: 'configure-fail-missing-libzstd.log',
    header: {
      command: 'cmake -G Unix Makefiles -DCMAKE_BUILD_TYPE=Debug -DMARCH_NATIVE=OFF -DPACKAGE_DWLIB=ON -DPACKAGE_DB_SQLITE=2 ..',
      cwd: '/src/fluffos/build',
      jobs: 1,
      target: 'all',
      startedMs: 1795995574276,
      endedMs: 1795995602939,
      exitCode: 1,
    },
    lineCount: 764,
    first: { atMs: 1795995574347, text: '-- The C compiler identification is GNU 12.2.0' },
    last: { atMs: 1795995602910, text: 'CMake Generate step failed.  Build files cannot be regenerated correctly.' },
  },
  {
    name: 'fail-fmt-cxx-make-j2.log',
    header: { command: 'make -j2', cwd: '/src/fmt/build', jobs: 2, target: 'all', startedMs: 1795996701675, endedMs: 1795996705063, exitCode: 2 },
    lineCount: 20,
    first: { atMs: 1795996701720, text: '[ 20%] Building CXX object CMakeFiles/fmt.dir/src/format.cc.o' },
    last: { atMs: 1795996705060, text: 'make: *** [Makefile:156: all] Error 2' },
  },
  {
    name: 'fail-fmt-cxx-ninja-j2.log',
    header: { command: 'ninja -j2', cwd: '/src/fmt/build', jobs: 2, target: 'all', startedMs: 1795996705242, endedMs: 1795996708375, exitCode: 1 },
    lineCount: 19,
    first: { atMs: 1795996705633, text: '[1/5] Building CXX object CMakeFiles/fmt.dir/src/os.cc.o' },
    last: { atMs: 1795996708373, text: 'ninja: build stopped: subcommand failed.' },
  },
  {
    name: 'fail-zstd-link-make-j2.log',
    header: { command: 'make -j2', cwd: '/src/zstd/build', jobs: 2, target: 'all', startedMs: 1795996642523, endedMs: 1795996671931, exitCode: 2 },
    lineCount: 214,
    first: { atMs: 1795996642572, text: '[  0%] Building C object lib/CMakeFiles/libzstd_shared.dir/src/fail/zstd-link/lib/common/debug.c.o' },
    last: { atMs: 1795996671929, text: 'make: *** [Makefile:136: all] Error 2' },
  },
  {
    name: 'fail-zstd-link-ninja-j2.log',
    header: { command: 'ninja -j2', cwd: '/src/zstd/build', jobs: 2, target: 'all', startedMs: 1795996673248, endedMs: 1795996701445, exitCode: 1 },
    lineCount: 189,
    first: { atMs: 1795996673265, text: '[1/105] Building C object lib/CMakeFiles/libzstd_shared.dir/src/fail/zstd-link/lib/common/debug.c.o' },
    last: { atMs: 1795996701442, text: 'ninja: build stopped: subcommand failed.' },
  },
  {
    name: 'fmt-make-j1.log',
    header: { command: 'make -j1', cwd: '/src/fmt/build', jobs: 1, target: 'all', startedMs: 1795997076235, endedMs: 1795997321507, exitCode: 0 },
    lineCount: 108,
    first: { atMs: 1795997076286, text: '[  1%] Building CXX object CMakeFiles/fmt.dir/src/format.cc.o' },
    last: { atMs: 1795997321489, text: '[100%] Built target c-test' },
  },
  {
    name: 'fmt-make-j2.log',
    header: { command: 'make -j2', cwd: '/src/fmt/build', jobs: 2, target: 'all', startedMs: 1795996811451, endedMs: 1795996947102, exitCode: 0 },
    lineCount: 108,
    first: { atMs: 1795996811501, text: '[  1%] Building CXX object test/gtest/CMakeFiles/gtest.dir/gmock-gtest-all.cc.o' },
    last: { atMs: 1795996947083, text: '[100%] Built target printf-test' },
  },
  {
    name: 'fmt-ninja-j2.log',
    header: { command: 'ninja -j2', cwd: '/src/fmt/build', jobs: 2, target: 'all', startedMs: 1795996947561, endedMs: 1795997075744, exitCode: 0 },
    lineCount: 82,
    first: { atMs: 1795996948015, text: '[1/77] Building CXX object CMakeFiles/fmt.dir/src/os.cc.o' },
    last: { atMs: 1795997075742, text: '[77/77] Linking CXX executable bin/os-test' },
  },
  {
    name: 'libuv-make-j1.log',
    header: { command: 'make -j1', cwd: '/src/libuv/build', jobs: 1, target: 'all', startedMs: 1795996548642, endedMs: 1795996608883, exitCode: 0 },
    lineCount: 481,
    first: { atMs: 1795996548700, text: '[  0%] Building C object CMakeFiles/uv.dir/src/fs-poll.c.o' },
    last: { atMs: 1795996608860, text: '[100%] Built target uv_run_tests_a' },
  },
  {
    name: 'libuv-make-j2.log',
    header: { command: 'make -j2', cwd: '/src/libuv/build', jobs: 2, target: 'all', startedMs: 1795996517251, endedMs: 1795996547438, exitCode: 0 },
    lineCount: 481,
    first: { atMs: 1795996517318, text: '[  0%] Building C object CMakeFiles/uv_a.dir/src/fs-poll.c.o' },
    last: { atMs: 1795996547413, text: '[100%] Built target uv_run_tests_a' },
  },
  {
    name: 'libuv-ninja-j2.log',
    header: { command: 'ninja -j2', cwd: '/src/libuv/build', jobs: 2, target: 'all', startedMs: 1795996609836, endedMs: 1795996636610, exitCode: 0 },
    lineCount: 477,
    first: { atMs: 1795996609948, text: '[1/469] Building C object CMakeFiles/uv.dir/src/fs-poll.c.o' },
    last: { atMs: 1795996636607, text: '[469/469] Linking C executable uv_run_tests_a' },
  },
];

function parse(text: string | Buffer, maxLineBytes?: number): ParsedLog {
  return parseLog(Buffer.isBuffer(text) ? text : Buffer.from(text), maxLineBytes === undefined ? {} : { maxLineBytes });
}

function parseInChunks(data: Buffer, chunkBytes: number, maxLineBytes?: number): ParsedLog {
  const reader = new LogReader(maxLineBytes === undefined ? {} : { maxLineBytes });
  const lines: StampedLine[] = [];
  for (let start = 0; start < data.length; start += chunkBytes) {
    lines.push(...reader.push(data.subarray(start, start + chunkBytes)));
  }
  lines.push(...reader.end());
  return { header: reader.header, lines, problems: reader.problems, problemCount: reader.problemCount };
}

test('the expectations cover every fixture log', () => {
  const logs = readdirSync(FIXTURES_DIR).filter((name) => name.endsWith('.log')).sort();
  assert.deepEqual(logs, FIXTURES.map((expected) => expected.name).sort());
});

for (const expected of FIXTURES) {
  test(`parses fixture ${expected.name}`, () => {
    const raw = readFileSync(fixture(expected.name));
    const parsed = parseLog(raw);
    assert.deepEqual(parsed.header, { ...expected.header, version: 1, extra: {} });
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.problemCount, 0);

    const rawLines = raw.toString('utf8').split('\n');
    assert.equal(rawLines.pop(), '');
    const body = rawLines.filter((line) => !line.startsWith('#'));
    assert.equal(body.length, expected.lineCount);
    assert.equal(parsed.lines.length, expected.lineCount);
    assert.deepEqual(parsed.lines[0], expected.first);
    assert.deepEqual(parsed.lines.at(-1), expected.last);
    const independent = body.map((line) => {
      const space = line.indexOf(' ');
      return space === -1 ? { atMs: Number(line), text: '' } : { atMs: Number(line.slice(0, space)), text: line.slice(space + 1) };
    });
    assert.deepEqual(parsed.lines, independent);
  });
}

test('a fixture written back with formatHeader and formatStampedLine is byte for byte the original', () => {
  for (const { name } of FIXTURES) {
    const raw = readFileSync(fixture(name));
    const parsed = parseLog(raw);
    const { header } = parsed;
    assert.ok(header.command !== null && header.startedMs !== null, name);
    const written = Buffer.concat([
      Buffer.from(formatHeader({ ...header, command: header.command, startedMs: header.startedMs })),
      ...parsed.lines.map((line) => formatStampedLine(line.atMs, Buffer.from(line.text))),
    ]);
    assert.ok(written.equals(raw), name);
    assert.deepEqual(parseLog(written), parsed, name);
  }
});

test('the configure log keeps its one stamped line with empty text', () => {
  const { lines } = parseLog(readFileSync(fixture('configure-fail-missing-libzstd.log')));
  assert.deepEqual(lines[761], { atMs: 1795995602671, text: '' });
  assert.equal(lines.filter((line) => line.text === '').length, 1);
});

test('the three stamp forms and empty text read alike', () => {
  const parsed = parse(
    '1795995639974 epoch ms\n1795995639.974123 ts seconds\n2026-11-29T14:30:00.1234567Z iso\n' +
      '2026-11-29T14:30:00+02:00 iso offset\n2026-11-29T14:30:00Z\n1795995639975 \n1795995639976\n1795995639977   kept spaces\n',
  );
  assert.deepEqual(parsed.lines, [
    { atMs: 1795995639974, text: 'epoch ms' },
    { atMs: 1795995639974, text: 'ts seconds' },
    { atMs: 1795962600123, text: 'iso' },
    { atMs: 1795955400000, text: 'iso offset' },
    { atMs: 1795962600000, text: '' },
    { atMs: 1795995639975, text: '' },
    { atMs: 1795995639976, text: '' },
    { atMs: 1795995639977, text: '  kept spaces' },
  ]);
  assert.deepEqual(parsed.problems.map((problem) => problem.kind), ['time-went-backwards', 'time-went-backwards']);
});

const MIXED_INPUT = Buffer.concat([
  Buffer.from('# buildmon-log 1\r\n# command: make -j2\n# started: 1795995639900\n# status: failed\n'),
  Buffer.from('before any stamp\n1795995639974 ‘quoted’ 😀 naïve\r\n1795995639975 50%\r60%\r\n'),
  Buffer.from([0x31, 0x37, 0x39, 0x35, 0x39, 0x39, 0x35, 0x36, 0x33, 0x39, 0x39, 0x37, 0x36, 0x20, 0xe2, 0x82, 0xff, 0x00, 0x0a]),
  Buffer.from('no stamp here\n# ended: 5\n1795995639.977 last line without newline'),
]);

test('mixed input: header, unstamped lines, UTF-8, CRLF, carriage returns, invalid bytes, no final newline', () => {
  const parsed = parse(MIXED_INPUT);
  assert.deepEqual(parsed.header, {
    ...emptyHeader(),
    version: 1,
    command: 'make -j2',
    startedMs: 1795995639900,
    extra: { status: 'failed' },
  });
  assert.deepEqual(parsed.lines, [
    { atMs: 1795995639900, text: 'before any stamp' },
    { atMs: 1795995639974, text: '‘quoted’ 😀 naïve' },
    { atMs: 1795995639975, text: '50%\r60%' },
    { atMs: 1795995639976, text: '\uFFFD\uFFFD\u0000' },
    { atMs: 1795995639976, text: 'no stamp here' },
    { atMs: 1795995639976, text: '# ended: 5' },
    { atMs: 1795995639977, text: 'last line without newline' },
  ]);
  assert.deepEqual(parsed.problems, [
    { lineNumber: 5, kind: 'no-timestamp', detail: 'line has no timestamp: "before any stamp"' },
    { lineNumber: 9, kind: 'no-timestamp', detail: 'line has no timestamp: "no stamp here"' },
    { lineNumber: 10, kind: 'no-timestamp', detail: 'line has no timestamp: "# ended: 5"' },
  ]);
  assert.equal(displayText(parsed.lines[2]?.text ?? ''), '60%');
});

test('any chunking gives the same result as one push: byte by byte and every two-chunk split', () => {
  const whole = parse(MIXED_INPUT);
  assert.deepEqual(parseInChunks(MIXED_INPUT, 1), whole);
  for (let cut = 1; cut < MIXED_INPUT.length; cut++) {
    const reader = new LogReader();
    const lines = [...reader.push(MIXED_INPUT.subarray(0, cut)), ...reader.push(MIXED_INPUT.subarray(cut)), ...reader.end()];
    assert.deepEqual(lines, whole.lines, `cut at ${cut}`);
  }
  const fixtureBytes = readFileSync(fixture('fail-fmt-cxx-make-j2.log'));
  const fixtureWhole = parseLog(fixtureBytes);
  for (const chunkBytes of [1, 2, 3, 7, 64, 4096]) assert.deepEqual(parseInChunks(fixtureBytes, chunkBytes), fixtureWhole);
});

test('push returns completed lines only; end flushes the last one once', () => {
  const reader = new LogReader();
  assert.deepEqual(reader.push(Buffer.from('1795995639974 a\n17959956')), [{ atMs: 1795995639974, text: 'a' }]);
  assert.deepEqual(reader.push(Buffer.from('39975 b')), []);
  assert.deepEqual(reader.end(), [{ atMs: 1795995639975, text: 'b' }]);
  assert.deepEqual(reader.end(), []);
  assert.deepEqual(reader.push(Buffer.from('\n')), [{ atMs: 1795995639975, text: '' }]);
});

test('a caller may reuse its chunk buffer after push returns', () => {
  const reader = new LogReader();
  const buffer = Buffer.from('1795995639974 par');
  assert.deepEqual(reader.push(buffer), []);
  buffer.fill('z');
  assert.deepEqual(reader.push(Buffer.from('tial\n')), [{ atMs: 1795995639974, text: 'partial' }]);
});

test('unstamped lines take the previous stamp, else the header start, else 0', () => {
  assert.deepEqual(parse('orphan\n\n').lines, [
    { atMs: 0, text: 'orphan' },
    { atMs: 0, text: '' },
  ]);
  assert.deepEqual(parse('# started: 1000\nfirst\n1795995639974 a\n  continued\n').lines, [
    { atMs: 1000, text: 'first' },
    { atMs: 1795995639974, text: 'a' },
    { atMs: 1795995639974, text: '  continued' },
  ]);
});

test('header: missing, unknown keys, bad numbers, versions, and # lines that are not headers', () => {
  assert.deepEqual(parse('1795995639974 a\n').header, emptyHeader());
  const parsed = parse(
    '# buildmon-log 2\n# jobs: two\n# started: 12x\n# ended:\n# exit: -15\n# signal: SIGTERM\n# cwd:/tmp\n# just a comment\n' +
      '# target: all\n1795995639974 a\n# target: late\n',
  );
  assert.deepEqual(parsed.header, {
    ...emptyHeader(),
    version: 2,
    cwd: '/tmp',
    target: 'all',
    exitCode: -15,
    extra: { signal: 'SIGTERM' },
  });
  assert.deepEqual(parsed.problems, [
    { lineNumber: 1, kind: 'bad-header', detail: 'log format version 2, read as version 1' },
    { lineNumber: 2, kind: 'bad-header', detail: `'jobs' is not a valid number: "two"` },
    { lineNumber: 3, kind: 'bad-header', detail: `'started' is not a valid number: "12x"` },
    { lineNumber: 8, kind: 'no-timestamp', detail: 'line has no timestamp: "# just a comment"' },
    { lineNumber: 11, kind: 'no-timestamp', detail: 'line has no timestamp: "# target: late"' },
  ]);
  assert.deepEqual(parsed.lines, [
    { atMs: 0, text: '# just a comment' },
    { atMs: 1795995639974, text: 'a' },
    { atMs: 1795995639974, text: '# target: late' },
  ]);
  const reserved = parse('# ended:                \n# exit:       \n# status:           \n1795995639974 a\n');
  assert.deepEqual([reserved.header.endedMs, reserved.header.exitCode, reserved.header.extra.status, reserved.problemCount], [null, null, '', 0], 'blank reserved slots are unknown, not errors');
  const filled = parse('# ended: 1795995814572   \n# exit: 2     \n1795995639974 a\n');
  assert.deepEqual([filled.header.endedMs, filled.header.exitCode, filled.problemCount], [1795995814572, 2, 0]);
  const badVersion = parse('# buildmon-log one\n# jobs: -2\n');
  assert.equal(badVersion.header.version, null);
  assert.equal(badVersion.header.jobs, null);
  assert.deepEqual(badVersion.problems.map((problem) => problem.kind), ['bad-header', 'bad-header']);
});

test('the header getter returns a copy', () => {
  const reader = new LogReader();
  reader.push(Buffer.from('# command: make\n# key: value\n'));
  const header = reader.header;
  header.command = 'changed';
  header.extra['key'] = 'changed';
  assert.equal(reader.header.command, 'make');
  assert.deepEqual(reader.header.extra, { key: 'value' });
});

test('time going backwards is kept and reported', () => {
  const parsed = parse('1795995639974 a\n1795995639000 b\n1795995639500 c\n');
  assert.deepEqual(parsed.lines.map((line) => line.atMs), [1795995639974, 1795995639000, 1795995639500]);
  assert.deepEqual(parsed.problems, [
    { lineNumber: 2, kind: 'time-went-backwards', detail: 'time went from 1795995639974 to 1795995639000 ms' },
  ]);
});

test('problems are capped but counted', () => {
  const parsed = parse('garbage\n'.repeat(250));
  assert.equal(parsed.lines.length, 250);
  assert.equal(parsed.problems.length, MAX_KEPT_PROBLEMS);
  assert.equal(parsed.problemCount, 250);
  assert.deepEqual(parsed.problems.at(-1), { lineNumber: 100, kind: 'no-timestamp', detail: 'line has no timestamp: "garbage"' });
});

test('random garbage with NUL bytes reads without throwing, whatever the chunking', () => {
  const garbage = Buffer.alloc(64 * 1024);
  let seed = 12345;
  for (let i = 0; i < garbage.length; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    garbage[i] = seed >> 23;
  }
  const newlines = garbage.filter((byte) => byte === 0x0a).length;
  const whole = parse(garbage);
  assert.equal(whole.lines.length, newlines + (garbage.at(-1) === 0x0a ? 0 : 1));
  assert.equal(whole.problemCount, whole.lines.length);
  assert.deepEqual(parseInChunks(garbage, 1000), whole);
  assert.deepEqual(parseInChunks(garbage, 1), whole);
});

test('a 10 MB line is read whole, in one push or in chunks', () => {
  const textBytes = 10 * 1024 * 1024;
  const data = Buffer.concat([Buffer.from('1795995639974 '), Buffer.alloc(textBytes, 'x'), Buffer.from('\n1795995639975 next\n')]);
  const expected = [
    { atMs: 1795995639974, text: 'x'.repeat(textBytes) },
    { atMs: 1795995639975, text: 'next' },
  ];
  const whole = parse(data);
  assert.deepEqual(whole.lines, expected);
  assert.equal(whole.problemCount, 0);
  assert.deepEqual(parseInChunks(data, 64 * 1024).lines, expected);
});

test('lines over maxLineBytes are cut on a character boundary and flagged, in one push or byte by byte', () => {
  const data = Buffer.from('1795995639974 abcdefghijklmnop\n1795995639975 ok\n1795995639976 ab€€\n1795995639977 abcdefghij');
  const expected: ParsedLog = {
    header: emptyHeader(),
    lines: [
      { atMs: 1795995639974, text: 'abcdef' },
      { atMs: 1795995639975, text: 'ok' },
      { atMs: 1795995639976, text: 'ab€' },
      { atMs: 1795995639977, text: 'abcdef' },
    ],
    problems: [
      { lineNumber: 1, kind: 'line-too-long', detail: 'line of 30 bytes cut to 20' },
      { lineNumber: 3, kind: 'line-too-long', detail: 'line of 22 bytes cut to 19' },
      { lineNumber: 4, kind: 'line-too-long', detail: 'line of 24 bytes cut to 20' },
    ],
    problemCount: 3,
  };
  assert.deepEqual(parse(data, 20), expected);
  assert.deepEqual(parseInChunks(data, 1, 20), expected);
  assert.deepEqual(parseInChunks(data, 5, 20), expected);
});

test('a line longer than the limit is not buffered whole', () => {
  const reader = new LogReader({ maxLineBytes: 1024 });
  const megabyte = Buffer.alloc(1024 * 1024, 'y');
  reader.push(Buffer.from('1795995639974 '));
  for (let i = 0; i < 8; i++) assert.deepEqual(reader.push(megabyte), []);
  const [line] = reader.push(Buffer.from('\n'));
  assert.deepEqual(line, { atMs: 1795995639974, text: 'y'.repeat(1024 - 14) });
  assert.deepEqual(reader.problems, [{ lineNumber: 1, kind: 'line-too-long', detail: `line of ${14 + 8 * 1024 * 1024} bytes cut to 1024` }]);
});
