import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter, type OutputLine } from './line-splitter.js';

const s = (lines: OutputLine[]): Array<[string, boolean]> => lines.map((l) => [l.bytes.toString('latin1'), l.newline]);

test('lines split across chunks come out whole, bytes untouched', () => {
  const sp = new LineSplitter();
  assert.deepEqual(s(sp.push(Buffer.from('a\nbb'))), [['a', true]]);
  assert.deepEqual(s(sp.push(Buffer.from('b\r\n\xff\xfe\n', 'latin1'))), [['bbb\r', true], ['\xff\xfe', true]]);
  assert.deepEqual(s(sp.push(Buffer.from('tail'))), []);
  assert.deepEqual(s(sp.end()), [['tail', false]]);
  assert.deepEqual(sp.end(), []);
});

test('a line longer than the cap is cut into pieces, never buffered without bound', () => {
  const sp = new LineSplitter(10);
  const out = [...sp.push(Buffer.from('x'.repeat(25))), ...sp.push(Buffer.from('y\n'))];
  assert.deepEqual(s(out), [['x'.repeat(10), false], ['x'.repeat(10), false], ['xxxxxy', true]]);
});

test('a chunk buffer reused by the caller does not corrupt a pending line', () => {
  const sp = new LineSplitter();
  const chunk = Buffer.from('abc');
  sp.push(chunk);
  chunk.fill(0x7a);
  assert.deepEqual(s(sp.push(Buffer.from('\n'))), [['abc', true]]);
});
