import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRole, groupBuilds, type ProcRow } from './competing-builds.js';

test('names are told apart: drivers schedule, workers use a core, the rest is not a build', () => {
  const roles = ['make', 'ninja', 'cmake', 'cc1plus', 'cc1', 'ld', 'collect2', 'x86_64-linux-gnu-g++-12', 'g++-12', 'clang++', 'bash', 'node', 'sleep', 'cca']
    .map((n) => [n, buildRole(n)]);
  assert.deepEqual(roles, [
    ['make', 'driver'], ['ninja', 'driver'], ['cmake', 'driver'], ['cc1plus', 'worker'], ['cc1', 'worker'], ['ld', 'worker'], ['collect2', 'worker'],
    ['x86_64-linux-gnu-g++-12', 'worker'], ['g++-12', 'worker'], ['clang++', 'worker'], ['bash', null], ['node', null], ['sleep', null], ['cca', null],
  ]);
});

test('build processes are grouped under their topmost build ancestor, through shells, and excluded trees are left out', () => {
  const p = (pid: number, ppid: number, name: string, startTicks = pid): ProcRow => ({ pid, ppid, name, startTicks });
  const table = [
    p(1, 0, 'systemd'), p(100, 1, 'bash'),
    // cmake --build -> make -> sh -> g++ -> cc1plus, twice
    p(200, 100, 'cmake'), p(201, 200, 'make'), p(202, 201, 'sh'), p(203, 202, 'g++'), p(204, 203, 'cc1plus'), p(205, 201, 'g++'), p(206, 205, 'cc1plus'),
    // a compiler run by hand
    p(300, 100, 'cc1', 150), p(310, 100, 'vim'),
    // a buildmon session's tree, excluded
    p(400, 1, 'node'), p(401, 400, 'make'), p(402, 401, 'cc1plus'),
    // started in that tree after the tree was read
    p(403, 401, 'sh'), p(404, 403, 'g++'),
  ];
  assert.deepEqual(groupBuilds(table, new Set([401, 402])), [
    { pid: 300, program: 'cc1', workers: 1, processes: 1, startTicks: 150 },
    // Two compiles: each cc1plus under its g++ is the same job.
    { pid: 200, program: 'cmake', workers: 2, processes: 6, startTicks: 200 },
  ]);
});
