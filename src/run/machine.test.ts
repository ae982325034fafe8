import { test } from 'node:test';
import assert from 'node:assert/strict';
import { machineInfo, memAvailableBytes } from './machine.js';

test('MemAvailable is read in kB and returned in bytes', () => {
  const text = 'MemTotal:       24576000 kB\nMemFree:         1000000 kB\nMemAvailable:   20480000 kB\nBuffers:          1000 kB\n';
  assert.equal(memAvailableBytes(text), 20480000 * 1024);
});

test('a kernel without MemAvailable gives null, not a guess', () => {
  assert.equal(memAvailableBytes('MemTotal:       24576000 kB\nMemFree:         1000000 kB\n'), null);
});

test('this machine reports available memory no larger than its total', () => {
  const m = machineInfo();
  assert.ok(m.cores >= 1);
  assert.ok(m.availableMemBytes > 0 && m.availableMemBytes <= m.totalMemBytes, `${m.availableMemBytes} of ${m.totalMemBytes}`);
});
