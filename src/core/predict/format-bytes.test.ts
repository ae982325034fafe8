import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes } from './format-bytes.js';

const MB = 1024 ** 2;
const GB = 1024 ** 3;

test('formatBytes: table of sizes', () => {
  const rows: Array<[number, string]> = [
    [0, '0B'],
    [999, '999B'],
    [1000, '1KB'],
    [512 * 1024, '512KB'],
    [71 * MB, '71MB'],
    [615 * MB, '615MB'],
    [999 * MB, '999MB'],
    [1000 * MB, '1.0GB'],
    [GB, '1.0GB'],
    [6.2 * GB, '6.2GB'],
    [31.2 * GB, '31.2GB'],
    [2048 * GB, '2.0TB'],
    [-1, '?'],
    [Number.NaN, '?'],
  ];
  for (const [bytes, text] of rows) assert.equal(formatBytes(bytes), text, String(bytes));
});
