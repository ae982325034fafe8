import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter } from './line-splitter.js';

const s = (bufs: Buffer[]): string[] => bufs.map((b) => b.toString('latin1'));

test('lines split across chunks come out whole, bytes untouched', () => {
  const sp = new LineSplitter();
  assert.deepEqual(s(sp.push(Buffer.from('a\nbb'))), ['a']);
  assert.deepEqual(s(sp.push(Buffer.from('b\r\n\xff\xfe\n', 'latin1'))), ['bbb\r', '\xff\xfe']);
  assert.deepEqual(s(sp.push(Buffer.from('tail'))), []);
  assert.deepEqual(s(sp.end()), ['tail']);
  assert.deepEqual(sp.end(), []);
});

test('a line longer than the cap is cut into pieces, never buffered without bound', () => {
  const sp = new LineSplitter(10);
  const out = [...sp.push(Buffer.from('x'.repeat(25))), ...sp.push(Buffer.from('y\n'))];
  assert.deepEqual(s(out), ['x'.repeat(10), 'x'.repeat(10), 'xxxxxy']);
});

test('a chunk buffer reused by the caller does not corrupt a pending line', () => {
  const sp = new LineSplitter();
  const chunk = Buffer.from('abc');
  sp.push(chunk);
  chunk.fill(0x7a);
  assert.deepEqual(s(sp.push(Buffer.from('\n'))), ['abc']);
});
