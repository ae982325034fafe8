import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../core/diagnostics/diagnostic.js';
import { DEFAULT_DIAGNOSTICS, errorsPage, MAX_MESSAGE_CHARS, renderErrors } from './build-errors.js';

/** A compiler diagnostic as the collector gives it; `n` makes each one different. */
function diagnostic(severity: Diagnostic['severity'], n: number, message = `problem ${n}`): Diagnostic {
  return {
    severity, tool: 'compiler', file: `src/f${n}.c`, line: n, column: 1, message, package: 'core', category: severity === 'warning' ? 'unused' : 'syntax',
    text: `src/f${n}.c:${n}:1: ${severity}: ${message}`, atMs: 1000 + n,
  };
}

// 45 diagnostics as printed: a warning, then an error, in turn; 22 errors and 23 warnings.
const printed = Array.from({ length: 45 }, (_, i) => diagnostic(i % 2 === 0 ? 'warning' : 'error', i));
const where = (a: { diagnostics: { line: number | null }[] }): (number | null)[] => a.diagnostics.map((d) => d.line);
const odd = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + 2 * i);

test('pages come errors first, 20 by default, and their cursors walk every diagnostic once', () => {
  const first = errorsPage('s1', 'failed', printed, 0, DEFAULT_DIAGNOSTICS, false);
  assert.deepEqual([first.error_count, first.warning_count, first.omitted, first.next_cursor], [22, 23, 25, '20']);
  assert.deepEqual(where(first), odd(1, 20));
  assert.equal(renderErrors(first).split('\n').at(-1), '(25 more: build_errors cursor:"20")');
  const second = errorsPage('s1', 'failed', printed, 20, DEFAULT_DIAGNOSTICS, false);
  assert.deepEqual(where(second), [41, 43, ...odd(0, 18)]);
  const third = errorsPage('s1', 'failed', printed, 40, DEFAULT_DIAGNOSTICS, false);
  assert.deepEqual([where(third), third.omitted, third.next_cursor], [odd(36, 5), 0, undefined]);
  assert.deepEqual([...where(first), ...where(second), ...where(third)].sort((a, b) => (a as number) - (b as number)), Array.from({ length: 45 }, (_, i) => i));
  // A cursor past the end gives an empty last page.
  assert.deepEqual([where(errorsPage('s1', 'failed', printed, 99, 50, false)), errorsPage('s1', 'failed', printed, 99, 50, false).omitted], [[], 0]);
});

test('a long message is cut to 500 characters with the count cut, and the text says where the whole block is', () => {
  const long = 'x'.repeat(MAX_MESSAGE_CHARS + 1234);
  const page = errorsPage('s2', 'failed', [diagnostic('error', 7, long), diagnostic('error', 8)], 0, 20, false);
  assert.equal(page.diagnostics[0]?.message, `${'x'.repeat(MAX_MESSAGE_CHARS)}…(+1234 chars)`);
  assert.equal(page.diagnostics[1]?.message, 'problem 8');
  assert.deepEqual(renderErrors(page).split('\n').slice(-1), ['(long messages are cut: build_output errors_only:true shows whole blocks)']);
  assert.equal('next_cursor' in page, false);
});
