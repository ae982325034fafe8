import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { remainingWork, type RemainingWorkInput } from './remaining-work.js';
import { fileKey, type WorkExpectations } from './work-expectations.js';
import type { PackageState } from '../packages/package-state.js';

interface PackageSpec {
  files: Record<string, number>;
  linkMs: number;
  deps?: string[];
}

/** Expectations written by hand: each package's files with their ms, its link, what it waits for. */
function expectations(packages: Record<string, PackageSpec>, extra: Partial<WorkExpectations> = {}): WorkExpectations {
  const fileMs = new Map<string, number>();
  const all: number[] = [];
  for (const [pkg, spec] of Object.entries(packages)) {
    for (const [src, ms] of Object.entries(spec.files)) {
      fileMs.set(fileKey(pkg, src), ms);
      all.push(ms);
    }
  }
  const entries = Object.entries(packages);
  const mean = (xs: number[]): number => Math.round(xs.reduce((s, v) => s + v, 0) / xs.length);
  return {
    jobs: 2, samples: 1, sameJobsSamples: 1, fileMs,
    packageSources: new Map(entries.map(([n, s]) => [n, Object.keys(s.files)])),
    packageFileMs: new Map(entries.map(([n, s]) => [n, mean(Object.values(s.files))])),
    linkMs: new Map(entries.map(([n, s]) => [n, s.linkMs])),
    packageFiles: new Map(entries.map(([n, s]) => [n, Object.keys(s.files).length])),
    dependsOn: new Map(entries.map(([n, s]) => [n, s.deps ?? []])),
    meanFileMs: mean(all), meanLinkMs: mean(entries.map(([, s]) => s.linkMs)), setupMs: 0, teardownMs: 0, totalMs: null, ...extra,
  };
}

function state(name: string, over: Partial<PackageState>): PackageState {
  return {
    name, status: 'queued', reason: null, current_files: [], files_done: 0, files_total: null, progress_pct: null, elapsed_ms: null,
    started_ms: null, ended_ms: null, depends_on: [], errors: 0, warnings: 0, ...over,
  };
}

// lib: one 4 s file and a 1 s link; app waits for lib: a 4 s file, a 0.5 s link; tool: a 2 s file, no link.
const GRAPH = expectations({
  lib: { files: { 'lib.c': 4000 }, linkMs: 1000 },
  app: { files: { 'app.c': 4000 }, linkMs: 500, deps: ['lib'] },
  tool: { files: { 'tool.c': 2000 }, linkMs: 0 },
});

function plan(over: Partial<RemainingWorkInput>): ReturnType<typeof remainingWork> {
  return remainingWork({ atMs: 0, startedMs: 0, dialect: 'cmake-make', slots: 2, packages: [], expectations: GRAPH, ...over });
}

test('schedule, make: a package waits for its dependencies before its first file', () => {
  // Slot 1: lib.c 0-4000, lib's link 4000-5000, app.c 5000-9000, app's link 9000-9500. Slot 2: tool.c 0-2000.
  assert.deepEqual(plan({}), {
    remainingMs: 9500, workMs: 11_500, doneWorkMs: 0, slots: 2, slotsFrom: 'jobs', steps: 5, criticalPath: ['lib', 'app'],
  });
});

test('schedule, ninja: a package compiles beside its dependencies and only its link waits', () => {
  // Longest chain first: lib.c (4000 + 1500 after it) and app.c (4000 + 500) at 0; at 4000 tool.c (2000) beats
  // lib's link (1000 + 500), which takes the other slot; app links 5000-5500; tool.c ends last at 6000.
  assert.deepEqual(plan({ dialect: 'ninja' }), {
    remainingMs: 6000, workMs: 11_500, doneWorkMs: 0, slots: 2, slotsFrom: 'jobs', steps: 5, criticalPath: ['tool'],
  });
});

test('schedule: a running file counts with what is left of it; done work is what history expects of it', () => {
  const packages = [state('lib', { status: 'compiling', current_files: ['lib.c'], started_ms: 8500 })];
  const r = plan({ atMs: 10_000, packages, running: [{ package: 'lib', source: 'lib.c', startedMs: 8500 }] });
  // lib.c ends at 2500, tool.c fills the other slot 0-2000; lib links 2500-3500, then app 3500-7500-8000.
  assert.deepEqual([r.remainingMs, r.workMs, r.doneWorkMs, r.criticalPath], [8000, 10_000, 1500, ['lib', 'app']]);
  // A running file past its expected time is given the floor, not a negative time.
  const late = plan({ atMs: 20_000, packages, running: [{ package: 'lib', source: 'lib.c', startedMs: 8500 }] });
  assert.deepEqual([late.remainingMs, late.doneWorkMs], [5600, 3900]);
});

test('schedule: progress by expected work, not by file count', () => {
  const e = expectations({ p: { files: { 'big.c': 9000, 'small.c': 1000 }, linkMs: 0 } });
  const packages = [state('p', { status: 'compiling', files_done: 1, files_total: 2, started_ms: 0 })];
  const r = remainingWork({
    atMs: 9000, startedMs: 0, dialect: 'ninja', slots: 1, packages, expectations: e, doneSources: new Map([['p', new Set(['big.c'])]]),
  });
  // One file of two is done, but it was nine tenths of the work.
  assert.deepEqual([r.remainingMs, r.doneWorkMs, r.workMs], [1000, 9000, 1000]);
  assert.equal(r.doneWorkMs / (r.doneWorkMs + r.workMs), 0.9);
});

test('schedule: files the history does not know take its package mean, then the build running mean', () => {
  const e = expectations({ p: { files: { 'a.c': 1000, 'b.c': 3000 }, linkMs: 0 } });
  // The model says p now has four files, two of them done without their names known: two of the history's are left.
  const packages = [state('p', { status: 'compiling', files_done: 2, files_total: 4, started_ms: 0 }), state('new', { status: 'queued', files_total: 3 })];
  const r = remainingWork({ atMs: 0, startedMs: 0, dialect: 'cmake-make', slots: 1, packages, expectations: e, runningMeanFileMs: 700 });
  // p: a.c and b.c are still to do (none is named done): 1000 + 3000; 'new': three files at this build's mean 700.
  assert.equal(r.remainingMs, 1000 + 3000 + 3 * 700);
  const unknown = remainingWork({ atMs: 0, startedMs: 0, dialect: 'cmake-make', slots: 1, packages: [state('new', { files_total: 3 })], expectations: null });
  assert.equal(unknown.remainingMs, null, 'files left with nothing to say how long they take');
});

test('schedule: slots come from the job count, else the cores, else one', () => {
  assert.deepEqual([plan({ slots: null, cores: 4 }).slotsFrom, plan({ slots: null, cores: 4 }).remainingMs], ['cores', 9500]);
  assert.deepEqual([plan({ slots: null }).slotsFrom, plan({ slots: null }).remainingMs], ['one', 11_500]);
});

test('schedule: ninja without the sampler takes the time the busy slots have run off the first steps placed', () => {
  const r = plan({ dialect: 'ninja', atMs: 1500, busySinceMs: [0, 1000] });
  // lib.c gets the 1500 credit (2500 left), app.c the 500 (3500 left); tool.c takes lib.c's slot at 2500, lib links
  // 3500-4500 and app 4500-5000.
  assert.deepEqual([r.remainingMs, r.workMs], [5000, 9500]);
});

test('schedule: an incremental ninja build runs fewer steps than the history planned: each is shortened in proportion', () => {
  // Five steps planned (three files, two links), two left by ninja's count: every step takes 0.4 of its time.
  // lib.c and app.c 0-1600, tool.c 1600-2400 beside lib's link 1600-2000 and app's 2000-2200.
  const r = plan({ dialect: 'ninja', stepsLeft: 2 });
  assert.deepEqual([r.remainingMs, r.workMs], [2400, 4600]);
  assert.equal(plan({ dialect: 'ninja', stepsLeft: 9 }).remainingMs, 6000, 'more steps left than planned: nothing to shrink');
});

test('schedule: 2000 files in 20 packages on 8 slots', (t) => {
  const packages: Record<string, PackageSpec> = {};
  for (let p = 0; p < 20; p++) {
    const files: Record<string, number> = {};
    for (let f = 0; f < 100; f++) files[`src/p${p}/f${f}.c`] = 1000;
    packages[`p${p}`] = { files, linkMs: 0, deps: p === 0 ? [] : ['p0'] };
  }
  const e = expectations(packages);
  const t0 = performance.now();
  const r = remainingWork({ atMs: 0, startedMs: 0, dialect: 'ninja', slots: 8, packages: [], expectations: e });
  t.diagnostic(`2000 files scheduled in ${(performance.now() - t0).toFixed(1)} ms`);
  // Equal files, no waits (ninja: p0 compiles, only links wait): 2000 / 8 rounds of one second.
  assert.deepEqual([r.remainingMs, r.steps, r.workMs], [250_000, 2000, 2_000_000]);
  const make = remainingWork({ atMs: 0, startedMs: 0, dialect: 'cmake-make', slots: 8, packages: [], expectations: e });
  // Make: p0's 100 files first (13 rounds, the last with 4 of 8 slots busy), then the other 1900 files.
  assert.equal(make.remainingMs, 13_000 + Math.ceil(1900 / 8) * 1000);
});
