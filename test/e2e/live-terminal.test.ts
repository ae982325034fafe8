import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, cliEnv, tempDir, tempHome } from '../helpers/cli.js';

/** A tiny C project: one file with a warning, one clean, linked into a program. */
function warnProject(): string {
  const dir = tempDir('buildmon-tty-');
  fs.writeFileSync(path.join(dir, 'a.c'), 'int a(void) { int unused = 1; return 0; }\n');
  fs.writeFileSync(path.join(dir, 'b.c'), 'int a(void);\nint main(void) { return a(); }\n');
  fs.writeFileSync(path.join(dir, 'Makefile'), 'prog: a.o b.o\n\tcc -o prog a.o b.o\n%.o: %.c\n\tcc -Wall -c $< -o $@\n');
  return dir;
}

/** Runs buildmon under a pseudo-terminal (util-linux `script`), returning what the terminal received. */
function runInTerminal(args: string[], home: string, cwd: string): { code: number | null; screen: string } {
  const cmd = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd, env: cliEnv(home, { COLUMNS: '100', LINES: '30' }), encoding: 'utf8' });
  return { code: r.status, screen: r.stdout };
}

/** Removes what depends on time (durations, clock times, spinner frames, session ids) and marks each redraw. */
function mask(screen: string): string {
  return screen
    .replace(/\r\n/g, '\n')
    .replace(/\x1b\[(\d)A\r\x1b\[J/g, '<redraw $1>\n')
    .replace(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/g, '*')
    .replace(/\d+(\.\d)?s\b/g, 'Ns')
    .replace(/@\d\d:\d\d/g, '@HH:MM')
    .replace(/session [0-9a-z]{8}/g, 'session ID')
    .replace(/^buildmon: [0-9a-z]{8} · /m, 'buildmon: ID · ')
    .replace(/logs\/[0-9a-z]{8}\.log/g, 'logs/ID.log');
}

/**
 * What stays on the terminal once every window frame is erased: each redraw erases the N lines
 * its escape moves up over; the end of the build erases the last frame.
 */
function scrollback(masked: string): string {
  const parts = masked.split(/<redraw (\d)>\n/);
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    out = out.split('\n').slice(0, -(Number(parts[i]) + 1)).concat('').join('\n') + parts[i + 1]!;
  }
  return out;
}

test('on a terminal: warnings in full above a live window, routine lines summarised, summary at the end', { timeout: 60_000 }, () => {
  const home = tempHome();
  const dir = warnProject();
  const { code, screen } = runInTerminal(['run', '--', 'make', '-j2'], home, dir);
  assert.equal(code, 0, screen);
  const text = mask(screen);
  // The warning block is printed whole, exactly as gcc wrote it, and nothing else stays on screen.
  assert.equal(scrollback(text), [
    'buildmon: ID · all_j2 · -j2 (from command line) · no history for this target yet',
    'a.c: In function ‘a’:',
    'a.c:1:19: warning: unused variable ‘unused’ [-Wunused-variable]',
    '    1 | int a(void) { int unused = 1; return 0; }',
    '      |                   ^~~~~~',
    'buildmon: ✔ succeeded in Ns · all_j2 · session ID · first build of this key: no prediction yet · 1 warning, 0 errors',
    `          log: ${home}/logs/ID.log`,
    '',
  ].join('\n').replace('buildmon: ✔', '\x1b[32mbuildmon: ✔').replace('0 errors\n', '0 errors\x1b[0m\n'));
  // Routine command lines are not printed above the window.
  assert.doesNotMatch(text, /^cc -Wall -c a\.c -o a\.o$/m);
  // The window was drawn (title line with elapsed time) and erased in place.
  assert.match(text, /\* all_j2  Ns/);
  assert.match(text, /<redraw [34]>\n/);
  // The summary says the result, key and counts.
  assert.match(text, /buildmon: ✔ succeeded in Ns · all_j2 · session ID · first build of this key: no prediction yet · 1 warning, 0 errors/);
});

test('on a terminal with --verbose every line is printed', { timeout: 60_000 }, () => {
  const home = tempHome();
  const dir = warnProject();
  const { code, screen } = runInTerminal(['run', '--verbose', '--', 'make', '-j2'], home, dir);
  assert.equal(code, 0, screen);
  const text = mask(screen);
  assert.match(text, /^cc -Wall -c a\.c -o a\.o$/m);
  assert.match(text, /^cc -o prog a\.o b\.o$/m);
});
