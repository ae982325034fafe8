import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../src/store/store.js';
import { fixture } from '../helpers/paths.js';
import { runCli, showJson, tempDir, tempHome } from '../helpers/cli.js';

interface JsonPackage {
  name: string; status: string; reason: string | null; current_files: string[]; files_done: number; files_total: number | null;
  progress_pct: number | null; elapsed_ms: number | null; started_ms: number | null; ended_ms: number | null; depends_on: string[];
  errors: number; warnings: number;
}
interface JsonDiagnostic {
  severity: string; tool: string; file: string | null; line: number | null; column: number | null; message: string;
  package: string | null; category: string; text: string; at_ms: number;
}
interface ReplayJson {
  session_id: string; status: string; exit_code: number; dialect: string; warning_count: number; error_count: number;
  packages: JsonPackage[]; diagnostics: JsonDiagnostic[]; recorded: string;
}

interface LogLine { atMs: number; text: string }

function readLog(name: string): { header: Record<string, string>; lines: LogLine[] } {
  const header: Record<string, string> = {};
  const lines: LogLine[] = [];
  for (const raw of fs.readFileSync(fixture(name), 'utf8').split('\n')) {
    const h = /^# ([a-z_]+): (.*)$/.exec(raw);
    if (h) header[h[1]!] = h[2]!.trim();
    else if (raw !== '' && !raw.startsWith('#')) lines.push({ atMs: Number(raw.slice(0, raw.indexOf(' '))), text: raw.slice(raw.indexOf(' ') + 1) });
  }
  return { header, lines };
}

function replay(args: string[], home: string): ReplayJson {
  const r = runCli(['replay', '--json', ...args], { home });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.toString('utf8')) as ReplayJson;
}

const OBJECT = /^(?:\[\s*\d+%\]|\[\d+\/\d+\]) Building (?:C|CXX|ASM) object \S*?CMakeFiles\/([^/]+)\.dir\/(\S+)\.o$/;
const UNDEFINED = /^(?:\/usr\/bin\/ld: )?([^:\s]+):\(\S+\): (undefined reference to .*)$/;
const GCC_WARNING = /^(\/\S+?):\d+:\d+: warning: /;
const IS_LINKER = /^(\/usr\/bin\/ld: |collect2: )|undefined reference/;

/**
 * Errors and warnings as the log shows them. A source compiled by two targets prints the same
 * warnings twice: the n-th set (a new set begins where a warning repeats) belongs to the n-th target
 * that compiles it. A linker block belongs to the link that failed: the `make[2]: ***` line after it,
 * or the `FAILED:` line before it.
 */
function problemsOf(lines: readonly LogLine[], linkOwner: (i: number) => string): {
  errors: Array<Pick<JsonDiagnostic, 'severity' | 'tool' | 'file' | 'line' | 'column' | 'message' | 'package' | 'category' | 'at_ms'> & { last: string }>;
  warnings: Map<string, number>;
  warningLines: number;
} {
  const errors: ReturnType<typeof problemsOf>['errors'] = [];
  const warnings = new Map<string, number>();
  const compilers = new Map<string, string[]>();
  const sets = new Map<string, { index: number; seen: Set<string> }>();
  let warningLines = 0;
  const count = (pkg: string): void => void warnings.set(pkg, (warnings.get(pkg) ?? 0) + 1);
  lines.forEach((l, i) => {
    const obj = OBJECT.exec(l.text);
    if (obj) {
      const source = obj[2]!.replace(/^src\/fail\/zstd-link\//, '');
      compilers.set(source, [...(compilers.get(source) ?? []), obj[1]!]);
    }
    if (l.text.includes('warning: ')) warningLines++;
    const gcc = GCC_WARNING.exec(l.text);
    if (gcc) {
      const source = gcc[1]!.replace(/^\/src\/fail\/zstd-link\//, '');
      const set = sets.get(source) ?? { index: 0, seen: new Set<string>() };
      if (set.seen.has(l.text)) Object.assign(set, { index: set.index + 1, seen: new Set<string>() });
      set.seen.add(l.text);
      sets.set(source, set);
      count(compilers.get(source)![set.index]!);
    }
    else if (IS_LINKER.test(l.text) && l.text.includes('warning: ')) count(linkOwner(i));
    // collect2's summary ends the block of the link's last error.
    if (l.text.startsWith('collect2: ') && errors.length > 0) errors[errors.length - 1]!.last = l.text;
    const undef = UNDEFINED.exec(l.text);
    if (undef) {
      errors.push({
        severity: 'error', tool: 'linker', file: undef[1]!, line: null, column: null, message: undef[2]!, package: linkOwner(i),
        category: 'undefined-reference', at_ms: l.atMs, last: l.text,
      });
    }
  });
  return { errors, warnings, warningLines };
}

function assertDiagnostics(r: ReplayJson, problems: ReturnType<typeof problemsOf>, undefinedLines: number): void {
  const errors = r.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'fatal');
  assert.equal(errors.length, undefinedLines);
  assert.equal(r.error_count, undefinedLines);
  assert.deepEqual(
    errors.map((d) => ({ severity: d.severity, tool: d.tool, file: d.file, line: d.line, column: d.column, message: d.message, package: d.package, category: d.category, at_ms: d.at_ms, last: d.text.split('\n').at(-1) })),
    problems.errors,
  );
  const warnings = r.diagnostics.filter((d) => d.severity === 'warning');
  assert.equal(warnings.length, problems.warningLines);
  assert.equal(r.warning_count, problems.warningLines);
  for (const p of r.packages) {
    assert.equal(p.warnings, problems.warnings.get(p.name) ?? 0, `${p.name} warnings`);
    assert.equal(p.warnings, warnings.filter((d) => d.package === p.name).length, `${p.name} warning diagnostics`);
    assert.equal(p.errors, problems.errors.filter((e) => e.package === p.name).length, `${p.name} errors`);
  }
}

function pkgState(name: string, over: Partial<JsonPackage>): JsonPackage {
  const p: JsonPackage = {
    name, status: 'completed', reason: null, current_files: [], files_done: 0, files_total: null, progress_pct: 100, elapsed_ms: null,
    started_ms: null, ended_ms: null, depends_on: [], errors: 0, warnings: 0, ...over,
  };
  p.elapsed_ms = p.ended_ms! - p.started_ms!;
  return p;
}

const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

test('replay of the failing zstd make -j2 log: packages and the four undefined references, attributed', () => {
  const name = 'fail-zstd-link-make-j2.log';
  const { lines } = readLog(name);
  const r = replay(['--no-record', fixture(name)], tempHome());
  assert.deepEqual([r.dialect, r.status, r.exit_code, r.recorded], ['cmake-make', 'failed', 2, 'skipped']);

  const undefinedLines = lines.filter((l) => l.text.includes('undefined reference')).length;
  assert.equal(undefinedLines, 4);
  const failures = lines.map((l, i) => ({ i, atMs: l.atMs, m: /^make\[2\]: \*\*\* \[\S*CMakeFiles\/([^/]+)\.dir\/build\.make:\d+: /.exec(l.text) }))
    .filter((f) => f.m !== null).map((f) => ({ i: f.i, atMs: f.atMs, target: f.m![1]! }));
  assert.deepEqual(failures.map((f) => f.target), ['zstd-frugal', 'zstd']);
  const problems = problemsOf(lines, (i) => failures.find((f) => f.i > i)!.target);
  assertDiagnostics(r, problems, undefinedLines);

  // Make says when a step starts: a package starts at its first line and ends at "Built target" or at its failure.
  const expected = new Map<string, JsonPackage>();
  const seen = (target: string, atMs: number): JsonPackage => {
    const p = expected.get(target) ?? pkgState(target, { started_ms: atMs });
    expected.set(target, p);
    return p;
  };
  for (const l of lines) {
    const obj = OBJECT.exec(l.text);
    if (obj) seen(obj[1]!, l.atMs).files_done++;
    const built = /^\[\s*\d+%\] Built target (\S+)$/.exec(l.text);
    if (built) seen(built[1]!, l.atMs).ended_ms = l.atMs;
  }
  for (const f of failures) Object.assign(seen(f.target, f.atMs), { status: 'failed', progress_pct: null, ended_ms: f.atMs });
  for (const p of expected.values()) {
    p.elapsed_ms = p.ended_ms! - p.started_ms!;
    p.errors = problems.errors.filter((e) => e.package === p.name).length;
    p.warnings = problems.warnings.get(p.name) ?? 0;
  }
  assert.deepEqual(r.packages, [...expected.values()].sort(byName));
  assert.deepEqual(r.packages.map((p) => [p.name, p.status, p.files_done, p.errors, p.warnings]), [
    ['libzstd_shared', 'completed', 38, 0, 6], ['libzstd_static', 'completed', 38, 0, 6], ['unzstd.1', 'completed', 0, 0, 0],
    ['zstd', 'failed', 11, 2, 2], ['zstd-frugal', 'failed', 5, 2, 2], ['zstd.1', 'completed', 0, 0, 0],
    ['zstdcat.1', 'completed', 0, 0, 0], ['zstdgrep.1', 'completed', 0, 0, 0], ['zstdless.1', 'completed', 0, 0, 0],
  ]);
});

test('replay of the failing zstd ninja -j2 log: packages, the stopped one, and the two undefined references', () => {
  const name = 'fail-zstd-link-ninja-j2.log';
  const { header, lines } = readLog(name);
  const r = replay(['--no-record', fixture(name)], tempHome());
  assert.deepEqual([r.dialect, r.status, r.exit_code, r.recorded], ['ninja', 'failed', 1, 'skipped']);

  const undefinedLines = lines.filter((l) => l.text.includes('undefined reference')).length;
  assert.equal(undefinedLines, 2);
  const failed = lines.map((l, i) => ({ i, atMs: l.atMs, m: /^FAILED: (\S+)/.exec(l.text) })).filter((f) => f.m !== null);
  assert.deepEqual(failed.map((f) => f.m![1]), ['programs/zstd']);
  const problems = problemsOf(lines, (i) => path.basename([...failed].reverse().find((f) => f.i < i)!.m![1]!));
  assertDiagnostics(r, problems, undefinedLines);

  // Ninja says when a step ends: a package starts where the step before its first one ended.
  const LINKS: Record<string, string> = { 'lib/libzstd.so.1.5.6': 'libzstd_shared', 'lib/libzstd.a': 'libzstd_static', 'programs/zstd': 'zstd' };
  const expected = new Map<string, JsonPackage>();
  let previousStepMs: number | null = null;
  for (const l of lines) {
    const obj = OBJECT.exec(l.text);
    const link = /^\[\d+\/\d+\] Linking C (?:shared library|static library|executable) (\S+)$/.exec(l.text);
    const target = obj ? obj[1]! : link ? LINKS[link[1]!]! : null;
    if (target === null) continue;
    const p = expected.get(target) ?? pkgState(target, { started_ms: previousStepMs ?? l.atMs });
    expected.set(target, p);
    if (obj) p.files_done++;
    else p.ended_ms = l.atMs;
    previousStepMs = l.atMs;
  }
  Object.assign(expected.get('zstd')!, { status: 'failed', progress_pct: null, ended_ms: failed[0]!.atMs });
  Object.assign(expected.get('zstd-frugal')!, {
    status: 'failed', progress_pct: null, reason: 'stopped: the build ended before it finished', ended_ms: Number(header.ended),
  });
  for (const p of expected.values()) {
    p.elapsed_ms = p.ended_ms! - p.started_ms!;
    p.errors = problems.errors.filter((e) => e.package === p.name).length;
    p.warnings = problems.warnings.get(p.name) ?? 0;
  }
  assert.deepEqual(r.packages, [...expected.values()].sort(byName));
  assert.deepEqual(r.packages.map((p) => [p.name, p.status, p.files_done, p.errors, p.warnings]), [
    ['libzstd_shared', 'completed', 38, 0, 6], ['libzstd_static', 'completed', 38, 0, 6], ['zstd', 'failed', 11, 2, 2], ['zstd-frugal', 'failed', 1, 0, 0],
  ]);
});

/** The compiled objects of the last run in a `.ninja_log`: a new run starts where end times go back or an output repeats. */
function lastNinjaRun(text: string): Array<{ startMs: number; endMs: number; output: string }> {
  let run: Array<{ startMs: number; endMs: number; output: string }> = [];
  for (const line of text.split('\n').slice(1)) {
    if (line === '') continue;
    const [start, end, , output] = line.split('\t') as [string, string, string, string];
    const row = { startMs: Number(start), endMs: Number(end), output };
    if (run.length > 0 && (row.endMs < run.at(-1)!.endMs || run.some((x) => x.output === output))) run = [];
    run.push(row);
  }
  return run;
}

test('replay of fmt-ninja-j2 with its .ninja_log beside it records exact file times', () => {
  const dir = tempDir('buildmon-replay-');
  const home = tempHome();
  const log = path.join(dir, 'fmt-ninja-j2.log');
  fs.copyFileSync(fixture('fmt-ninja-j2.log'), log);
  fs.copyFileSync(fixture('fmt-ninja-j2.ninja_log'), path.join(dir, 'fmt-ninja-j2.ninja_log'));
  const { header, lines } = readLog('fmt-ninja-j2.log');
  const startedMs = Number(header.started);
  assert.equal(startedMs, 1795996947561);

  const r = replay([log], home);
  assert.deepEqual([r.status, r.dialect, r.recorded], ['succeeded', 'ninja', 'recorded']);
  const ninjaLog = fs.readFileSync(fixture('fmt-ninja-j2.ninja_log'), 'utf8');
  const objects = lastNinjaRun(ninjaLog).filter((row) => /CMakeFiles\/[^/]+\.dir\/.+\.o$/.test(row.output));
  const compiled = lines.filter((l) => OBJECT.test(l.text));
  assert.equal(objects.length, 51);
  assert.equal(compiled.length, objects.length, 'one object per compile the log shows');
  const expected = objects.map((row) => {
    const m = /CMakeFiles\/([^/]+)\.dir\/(.+)\.o$/.exec(row.output)!;
    return { package: m[1]!, source: m[2]!, startedMs: startedMs + row.startMs, endedMs: startedMs + row.endMs, exact: true };
  });
  const order = (a: { startedMs: number | null; endedMs: number | null; source: string }, b: typeof a): number =>
    a.startedMs! - b.startedMs! || a.endedMs! - b.endedMs! || a.source.localeCompare(b.source);

  const store = openStore(home);
  try {
    assert.equal(store.sessions.get(r.session_id)?.startedMs, startedMs);
    const runs = store.details.fileRuns(r.session_id);
    assert.deepEqual([...runs].sort(order), expected.sort(order));
    const at = (source: string, pkg: string): unknown => runs.find((f) => f.source === source && f.package === pkg);
    // Rows of the .ninja_log read by hand: "3 452 ... CMakeFiles/fmt.dir/src/os.cc.o", "2 3294 ... format.cc.o",
    // "23380 46394 ... test/CMakeFiles/format-test.dir/format-test.cc.o".
    assert.deepEqual(at('src/os.cc', 'fmt'), { package: 'fmt', source: 'src/os.cc', startedMs: 1795996947564, endedMs: 1795996948013, exact: true });
    assert.deepEqual(at('src/format.cc', 'fmt'), { package: 'fmt', source: 'src/format.cc', startedMs: 1795996947563, endedMs: 1795996950855, exact: true });
    assert.deepEqual(at('format-test.cc', 'format-test'), { package: 'format-test', source: 'format-test.cc', startedMs: 1795996970941, endedMs: 1795996993955, exact: true });
  } finally {
    store.close();
  }

  // The stored outcome is what the replay printed.
  const shown = showJson(home, r.session_id);
  assert.deepEqual(shown.packages, r.packages);
  assert.deepEqual(shown.diagnostics, r.diagnostics);
  // Recording the same log again changes nothing.
  assert.equal(replay([log], home).recorded, 'already');
  const again = openStore(home);
  try {
    assert.equal(again.details.fileRuns(r.session_id).length, 51);
  } finally {
    again.close();
  }
});

test('without a .ninja_log beside it, the same replay records the file times inferred from the output', () => {
  const dir = tempDir('buildmon-replay-');
  const home = tempHome();
  const log = path.join(dir, 'fmt-ninja-j2.log');
  fs.copyFileSync(fixture('fmt-ninja-j2.log'), log);
  const { lines } = readLog('fmt-ninja-j2.log');
  const r = replay([log], home);
  assert.equal(r.recorded, 'recorded');
  // Ninja prints a step when it ends: the end is the status line's time, the start is unknown.
  const expected = lines.flatMap((l) => {
    const m = OBJECT.exec(l.text);
    return m ? [{ package: m[1]!, source: m[2]!, startedMs: null, endedMs: l.atMs, exact: false }] : [];
  });
  const store = openStore(home);
  try {
    assert.deepEqual(store.details.fileRuns(r.session_id), expected);
  } finally {
    store.close();
  }
});
