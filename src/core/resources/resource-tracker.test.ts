import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResourceTracker, type ProcSample } from './resource-tracker.js';

const MB = 1024 * 1024;
const words = (line: string): string[] => line.trim().split(/\s+/);

// gcc 12.2's own command lines (`c++ -###`) for a CMake Makefile compile of two files of package_core.
const OBJ = 'src/packages/core/CMakeFiles/package_core.dir';
const driver = (file: string): string[] => words(`/usr/bin/c++ -O3 -DNDEBUG -std=gnu++17 -MD -MT ${OBJ}/${file}.o -MF ${OBJ}/${file}.o.d
  -o ${OBJ}/${file}.o -c /p/src/packages/core/${file}`);
const cc1plus = (file: string): string[] => words(`/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus -quiet -imultiarch x86_64-linux-gnu
  -MD ${OBJ}/${file}.d -MF ${OBJ}/${file}.o.d -MT ${OBJ}/${file}.o -D_GNU_SOURCE -D NDEBUG /p/src/packages/core/${file} -quiet
  -dumpdir ${OBJ}/ -dumpbase ${file}.cc -dumpbase-ext .cc -mtune=generic -march=x86-64 -O3 -std=gnu++17 -fasynchronous-unwind-tables -o /tmp/ccNiL13y.s`);
const as = (file: string): string[] => words(`as --64 -o ${OBJ}/${file}.o /tmp/ccNiL13y.s`);

type Over = Partial<ProcSample> & Pick<ProcSample, 'pid' | 'ppid' | 'name'>;
const proc = (o: Over): ProcSample => ({ startTime: `${1000 + o.pid}`, cpuMs: 0, childCpuMs: 0, rssBytes: 0, zombie: false, argv: null, ...o });
const RUNNER = 50;
const make = (cpuMs: number, childCpuMs: number): ProcSample =>
  proc({ pid: 100, ppid: RUNNER, name: 'make', cpuMs, childCpuMs, rssBytes: 4 * MB, argv: ['make', '-j2'] });

/** Two files of package_core compiled at -j2 under make, sampled six times. */
function twoFileBuild(): ProcSample[][] {
  const d1 = { pid: 101, ppid: 100, name: 'c++', rssBytes: 2 * MB, argv: driver('core.cc') };
  const d2 = { pid: 103, ppid: 100, name: 'c++', rssBytes: 2 * MB, argv: driver('core_efuns.cc') };
  return [
    [make(10, 0), proc(d1), proc({ pid: 102, ppid: 101, name: 'cc1plus', cpuMs: 100, rssBytes: 50 * MB, argv: cc1plus('core.cc') })],
    [make(10, 0), proc(d1), proc({ pid: 102, ppid: 101, name: 'cc1plus', cpuMs: 190, rssBytes: 80 * MB, argv: cc1plus('core.cc') }),
      proc(d2), proc({ pid: 104, ppid: 103, name: 'cc1plus', cpuMs: 50, rssBytes: 30 * MB, argv: cc1plus('core_efuns.cc') })],
    // cc1plus of core.cc has ended and its driver reaped it; the assembler runs.
    [make(10, 0), proc({ ...d1, childCpuMs: 230 }), proc({ pid: 105, ppid: 101, name: 'as', rssBytes: 1 * MB, argv: as('core.cc') }),
      proc(d2), proc({ pid: 104, ppid: 103, name: 'cc1plus', cpuMs: 200, rssBytes: 40 * MB, argv: cc1plus('core_efuns.cc') })],
    // The first driver has exited (a zombie until make reaps it); its assembler used 10 ms.
    [make(10, 0), proc({ ...d1, childCpuMs: 240, rssBytes: 0, zombie: true, argv: [] }),
      proc(d2), proc({ pid: 104, ppid: 103, name: 'cc1plus', cpuMs: 290, rssBytes: 40 * MB, argv: cc1plus('core_efuns.cc') })],
    [make(10, 240), proc({ ...d2, childCpuMs: 300 })],
    // make has exited and the runner reaped it: nothing of the build is left.
    [],
  ];
}

test('a make -j2 build: memory, CPU over each interval, processes and files compiling', () => {
  const tracker = new ResourceTracker();
  const samples = twoFileBuild().map((procs, i) => tracker.onSample(1000 + [0, 100, 300, 400, 500, 600][i]!, procs));
  assert.deepEqual(samples, [
    { atMs: 1000, rssBytes: 56 * MB, cpuPct: null, procs: 3, compilers: 1 },
    { atMs: 1100, rssBytes: 118 * MB, cpuPct: 140, procs: 5, compilers: 2 },
    { atMs: 1300, rssBytes: 49 * MB, cpuPct: 95, procs: 5, compilers: 2 },
    { atMs: 1400, rssBytes: 46 * MB, cpuPct: 100, procs: 3, compilers: 1 },
    { atMs: 1500, rssBytes: 6 * MB, cpuPct: 10, procs: 2, compilers: 1 },
    { atMs: 1600, rssBytes: 0, cpuPct: 0, procs: 0, compilers: 0 },
  ]);
  const summary = tracker.summary();
  assert.deepEqual({ ...summary, samples: summary.samples.length }, {
    peakRssBytes: 118 * MB, avgCpuPct: 73.3, peakProcs: 5, peakCompilers: 2, sampleCount: 6, samples: 6,
    processRuns: [
      // Driver, cc1plus and assembler of one file are one run: their memory at once, their CPU together.
      { role: 'compile', package: 'package_core', source: '/p/src/packages/core/core.cc', startedMs: 1000, endedMs: 1300, peakRssBytes: 82 * MB, cpuMs: 240 },
      { role: 'compile', package: 'package_core', source: '/p/src/packages/core/core_efuns.cc', startedMs: 1100, endedMs: 1500, peakRssBytes: 42 * MB, cpuMs: 300 },
    ],
  });
  assert.deepEqual(tracker.latest(), samples[5]);
});

test('the resolver names packages first; the CMake object directory is the fallback', () => {
  const tracker = new ResourceTracker(({ source }) => (source?.endsWith('core.cc') ? 'core' : null));
  for (const [i, procs] of twoFileBuild().entries()) tracker.onSample(i * 100, procs);
  assert.deepEqual(tracker.summary().processRuns.map((r) => r.package), ['core', 'package_core']);
});

test('a source compiled for two targets is two runs; a compile without -o joins its compiler and assembler', () => {
  const tracker = new ResourceTracker();
  tracker.onSample(0, [
    proc({ pid: 1, ppid: 0, name: 'cc', argv: words('/usr/bin/cc -o lib/CMakeFiles/zstd_static.dir/debug.c.o -c /z/debug.c') }),
    proc({ pid: 2, ppid: 0, name: 'cc', argv: words('/usr/bin/cc -fPIC -o lib/CMakeFiles/zstd_shared.dir/debug.c.o -c /z/debug.c') }),
    proc({ pid: 3, ppid: 0, name: 'gcc', rssBytes: MB, argv: words('gcc -c m.c') }),
  ]);
  tracker.onSample(100, [
    proc({ pid: 4, ppid: 3, name: 'cc1', rssBytes: 9 * MB, argv: words('/usr/lib/gcc/x86_64-linux-gnu/12/cc1 -quiet m.c -quiet -dumpbase m.c -dumpbase-ext .c -o /tmp/ccHOCAHx.s') }),
    proc({ pid: 3, ppid: 0, name: 'gcc', rssBytes: MB, argv: words('gcc -c m.c') }),
  ]);
  tracker.onSample(200, [proc({ pid: 5, ppid: 3, name: 'as', rssBytes: 2 * MB, argv: words('as --64 -o m.o /tmp/ccHOCAHx.s') })]);
  assert.deepEqual(tracker.summary().processRuns.map((r) => [r.package, r.source, r.startedMs, r.endedMs, r.peakRssBytes]), [
    ['zstd_static', '/z/debug.c', 0, 0, 0],
    ['zstd_shared', '/z/debug.c', 0, 0, 0],
    [null, 'm.c', 0, 200, 10 * MB],
  ]);
});

test('a process is classified again when it execs; one first seen as a zombie only adds CPU', () => {
  const tracker = new ResourceTracker();
  const sh = { pid: 7, ppid: 6, startTime: '77' };
  tracker.onSample(0, [proc({ ...sh, name: 'sh', argv: ['/bin/sh', '-c', 'ar qc libx.a a.o'] })]);
  tracker.onSample(100, [proc({ ...sh, name: 'ar', cpuMs: 30, rssBytes: 3 * MB, argv: words('/usr/bin/ar qc libx.a a.o') }),
    proc({ pid: 8, ppid: 6, name: 'cc1plus', cpuMs: 500, zombie: true, argv: [] })]);
  const { processRuns, avgCpuPct } = tracker.summary();
  assert.deepEqual(processRuns, [{ role: 'link', package: null, source: 'libx.a', startedMs: 100, endedMs: 100, peakRssBytes: 3 * MB, cpuMs: 30 }]);
  assert.equal(avgCpuPct, 530);
});

test('CPU never goes backwards when a process is reaped outside the tree', () => {
  const tracker = new ResourceTracker();
  const orphan = (cpuMs: number): ProcSample => proc({ pid: 9, ppid: 100, name: 'sleep', cpuMs });
  tracker.onSample(0, [make(0, 0), orphan(200)]);
  // make exits first; the orphan is re-parented to init, which reaps it: both totals are kept.
  tracker.onSample(100, [proc({ pid: 9, ppid: 1, name: 'sleep', cpuMs: 250 })]);
  const last = tracker.onSample(200, []);
  assert.equal(last.cpuPct, 0);
  assert.deepEqual(tracker.summary().samples.map((s) => s.cpuPct), [null, 50, 0]);
  assert.equal(tracker.summary().avgCpuPct, 25);
});

test('a compile that ends within one interval: its time reaches make through the driver and counts once', () => {
  const tracker = new ResourceTracker();
  tracker.onSample(0, [make(0, 60), proc({ pid: 101, ppid: 100, name: 'c++', argv: driver('core.cc') }),
    proc({ pid: 102, ppid: 101, name: 'cc1plus', cpuMs: 500, rssBytes: 40 * MB, argv: cc1plus('core.cc') })]);
  // cc1plus ended with 550 ms, its assembler took 10 ms; the driver reaped both, then make reaped the driver.
  const after = tracker.onSample(100, [make(0, 620), proc({ pid: 103, ppid: 100, name: 'ar', argv: words('/usr/bin/ar qc libpackage_core.a x.o') })]);
  assert.equal(after.cpuPct, 60);
  assert.deepEqual(tracker.summary().processRuns.map((r) => [r.source, r.cpuMs]), [['/p/src/packages/core/core.cc', 500], ['libpackage_core.a', 0]]);
});

test('samples are thinned to every other one past the limit; totals still see every sample', () => {
  const tracker = new ResourceTracker(() => null, { maxSamples: 4 });
  for (let i = 0; i < 10; i++) tracker.onSample(i * 100, [make(i * 10, 0)]);
  const summary = tracker.summary();
  assert.deepEqual(summary.samples.map((s) => s.atMs), [0, 400, 800]);
  assert.equal(summary.sampleCount, 10);
  assert.equal(summary.avgCpuPct, 10);
  assert.equal(summary.peakRssBytes, 4 * MB);
});

test('process runs are capped; compiles past the cap still count as compiling', () => {
  const tracker = new ResourceTracker(() => null, { maxProcessRuns: 2 });
  const s = tracker.onSample(0, ['a.cc', 'b.cc', 'c.cc'].map((f, i) => proc({ pid: 10 + i, ppid: 100, name: 'c++', argv: driver(f) })));
  assert.equal(s.compilers, 3);
  assert.deepEqual(tracker.summary().processRuns.map((r) => r.source), ['/p/src/packages/core/a.cc', '/p/src/packages/core/b.cc']);
});

test('no samples: nothing used, no average', () => {
  assert.deepEqual(new ResourceTracker().summary(), {
    peakRssBytes: 0, avgCpuPct: null, peakProcs: 0, peakCompilers: 0, sampleCount: 0, samples: [], processRuns: [],
  });
});
