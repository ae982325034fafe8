import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BuildEngine } from '../engine.js';
import { readStampedFixture } from '../../../test/helpers/fixture-log.js';


type Row = [name: string, status: string, filesDone: number, startedMs: number | null, endedMs: number | null, errors: number];

function rows(engine: BuildEngine, atMs: number): Row[] {
  return engine.packages(atMs).map((p) => [p.name, p.status, p.files_done, p.started_ms, p.ended_ms, p.errors]);
}

/** Replays a recorded log through the engine, calling `at` after each line. */
function replay(name: string, jobs: number, at?: (text: string, engine: BuildEngine, atMs: number) => void): BuildEngine {
  const log = readStampedFixture(name);
  const engine = new BuildEngine({ dialect: 'gnu-make', startedMs: Number(log.header.get('started')), jobs, priorTotalMs: null });
  for (const l of log.lines) {
    engine.onLine(l.atMs, l.text);
    at?.(l.text, engine, l.atMs);
  }
  engine.onExit(Number(log.header.get('ended')), Number(log.header.get('exit')), null);
  return engine;
}

const OK_LOG = 'recursive-make/plain-make-j2.log';
const FAIL_LOG = 'recursive-make/fail-plain-make-j2.log';

test('make -j2 of three sub-makes: each directory gets its four files, main.c the top, whatever was entered last', () => {
  const engine = replay(OK_LOG, 2);
  const ended = 1796010958013;
  assert.deepEqual(rows(engine, ended), [
    ['alpha', 'completed', 4, 1796010956739, 1796010957540, 0],
    ['beta', 'completed', 4, 1796010956726, 1796010957417, 0],
    ['gamma', 'completed', 4, 1796010957436, 1796010957947, 0],
    ['prog', 'completed', 0, 1796010957948, ended, 0],
    ['top', 'completed', 1, 1796010957542, 1796010957674, 0],
  ]);
  // Each source's run follows it; times stay those the output gave (start, and when its job slot was reused).
  assert.deepEqual(engine.fileRuns().map((f) => [f.package, f.source, f.startedMs, f.endedMs]), [
    ['beta', 'beta1.c', 1796010956726, 1796010956924],
    ['alpha', 'alpha1.c', 1796010956739, 1796010956940],
    ['beta', 'beta2.c', 1796010956924, 1796010957007],
    ['alpha', 'alpha2.c', 1796010956940, 1796010957101],
    ['beta', 'beta3.c', 1796010957007, 1796010957112],
    ['beta', 'beta4.c', 1796010957112, 1796010957206],
    ['alpha', 'alpha3.c', 1796010957101, 1796010957257],
    ['alpha', 'alpha4.c', 1796010957257, 1796010957339],
    ['gamma', 'gamma1.c', 1796010957436, 1796010957604],
    ['top', 'main.c', 1796010957542, 1796010957674],
    ['gamma', 'gamma2.c', 1796010957604, 1796010957730],
    ['gamma', 'gamma3.c', 1796010957674, 1796010957851],
    ['gamma', 'gamma4.c', 1796010957730, 1796010957851],
  ]);
});

test('make -j2 of three sub-makes: a guess stands until a library says otherwise', () => {
  const seen: [string, [string, string, number, string[]][]][] = [];
  const watched = new Set(['ar rcs libbeta.a', 'ar rcs libalpha.a', 'gcc -c main.c -o main.o', 'ar rcs libgamma.a']);
  replay(OK_LOG, 2, (text, engine, atMs) => {
    const key = text.startsWith('ar ') ? text.slice(0, text.indexOf('.a') + 2) : text;
    if (watched.has(key)) seen.push([key, engine.packages(atMs).map((p) => [p.name, p.status, p.files_done, p.current_files])]);
  });
  assert.deepEqual(seen, [
    // beta2.c, beta3.c and beta4.c were printed after alpha was entered: alpha's, until libbeta.a lists them.
    ['ar rcs libbeta.a', [['alpha', 'compiling', 2, ['alpha3.c']], ['beta', 'linking', 4, []]]],
    ['ar rcs libalpha.a', [['alpha', 'linking', 4, []], ['beta', 'linking', 4, []]]],
    // main.c, printed by the top-level make while gamma's make runs, looks like gamma's.
    ['gcc -c main.c -o main.o', [['alpha', 'completed', 4, []], ['beta', 'completed', 4, []], ['gamma', 'compiling', 0, ['gamma1.c', 'main.c']]]],
    // libgamma.a does not list main.o, and no other directory was open: the top level compiled it.
    ['ar rcs libgamma.a', [['alpha', 'completed', 4, []], ['beta', 'completed', 4, []], ['gamma', 'linking', 4, []], ['top', 'completed', 1, []]]],
  ]);
});

test('make -j2 with a syntax error in alpha3.c: the error and the failure are alpha\'s; beta, which linked, completed', () => {
  const engine = replay(FAIL_LOG, 2);
  assert.deepEqual(rows(engine, 1796010958933), [
    ['alpha', 'failed', 2, 1796010958520, 1796010958783, 1],
    ['beta', 'completed', 4, 1796010958539, 1796010958930, 0],
  ]);
  assert.deepEqual(engine.diagnostics().map((d) => [d.severity, d.file, d.line, d.package, d.message]), [
    ['error', 'alpha3.c', 1, 'alpha', 'expected ‘;’ before ‘}’ token'],
  ]);
  assert.deepEqual(engine.fileRuns().map((f) => [f.package, f.source]), [
    ['alpha', 'alpha1.c'], ['beta', 'beta1.c'], ['beta', 'beta2.c'], ['alpha', 'alpha2.c'], ['beta', 'beta3.c'], ['beta', 'beta4.c'],
  ]);
  assert.deepEqual([engine.snapshot(1796010958933).errorCount, engine.snapshot(1796010958933).packages.failed], [1, 1]);
});

test('make -j2 with a syntax error in alpha3.c: beta is failed by the guess, and restored when make names alpha', () => {
  const seen: [string, Row[]][] = [];
  replay(FAIL_LOG, 2, (text, engine, atMs) => {
    if (text.includes('***') || text.startsWith('ar rcs')) seen.push([text, rows(engine, atMs)]);
  });
  assert.deepEqual(seen, [
    ['make[1]: *** [Makefile:6: alpha3.o] Error 1', [
      ['alpha', 'compiling', 1, 1796010958520, null, 0], ['beta', 'failed', 3, 1796010958539, 1796010958780, 1],
    ]],
    ['make: *** [Makefile:6: alpha] Error 2', [
      ['alpha', 'failed', 1, 1796010958520, 1796010958783, 1], ['beta', 'compiling', 3, 1796010958539, null, 0],
    ]],
    ['make: *** Waiting for unfinished jobs....', [
      ['alpha', 'failed', 1, 1796010958520, 1796010958783, 1], ['beta', 'compiling', 3, 1796010958539, null, 0],
    ]],
    // alpha2.c was credited to beta; libbeta.a does not list it, and alpha was the other directory open.
    ['ar rcs libbeta.a beta1.o beta2.o beta3.o beta4.o', [
      ['alpha', 'failed', 2, 1796010958520, 1796010958783, 1], ['beta', 'linking', 4, 1796010958539, null, 0],
    ]],
  ]);
});

test('make -j2: a warning in a header goes to the package its translation unit was finally placed in', () => {
  const engine = new BuildEngine({ dialect: 'gnu-make', startedMs: 1000, jobs: 2, priorTotalMs: null });
  const lines = [
    "make[1]: Entering directory '/w/alpha'",
    'cc -c a1.c -o a1.o',
    "make[1]: Entering directory '/w/beta'",
    'cc -c a2.c -o a2.o',
    'In file included from a2.c:1:',
    "shared.h:2:5: warning: unused variable 'x' [-Wunused-variable]",
    'cc -c b1.c -o b1.o',
  ];
  lines.forEach((l, i) => engine.onLine(1000 + i * 100, l));
  const attributed = (): [string | null, string | null][] => engine.diagnostics().map((d) => [d.file, d.package]);
  assert.deepEqual(attributed(), [['shared.h', 'beta']]);
  engine.onLine(1700, 'ar rcs libbeta.a b1.o');
  assert.deepEqual(attributed(), [['shared.h', 'alpha']]);
  // libbeta.a does not list a2.o: alpha, the other directory open, compiles it (still running: no link has listed it).
  assert.deepEqual(engine.packages(1700).map((p) => [p.name, p.status, p.files_done, p.current_files, p.warnings]), [
    ['alpha', 'compiling', 1, ['a2.c'], 1], ['beta', 'linking', 1, [], 0],
  ]);
});
