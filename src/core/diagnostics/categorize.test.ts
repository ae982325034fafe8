import { test } from 'node:test';
import assert from 'node:assert/strict';
import { categorizeDiagnostic } from './categorize.js';
import type { DiagnosticStart } from '../parse/types.js';

const CASES: [DiagnosticStart['severity'], DiagnosticStart['tool'], string, string][] = [
  ['fatal', 'compiler', 'zstd.h: No such file or directory', 'missing-header'],
  ['fatal', 'compiler', 'vector: No such file or directory', 'missing-header'],
  ['fatal', 'compiler', "'event2/event.h' file not found", 'missing-header'],
  ['error', 'compiler', 'src/main.cc: No such file or directory', 'missing-file'],
  ['error', 'compiler', '‘uv_foo’ was not declared in this scope; did you mean ‘uv_fs’?', 'undeclared'],
  ['error', 'compiler', "use of undeclared identifier 'x'", 'undeclared'],
  ['error', 'compiler', '‘std::string’ {aka ‘class std::__cxx11::basic_string<char>’} has no member named ‘no_such_member’', 'undeclared'],
  ['error', 'compiler', '‘y’ does not name a type', 'undeclared'],
  ['error', 'compiler', 'expected ‘;’ before ‘}’ token', 'syntax'],
  ['error', 'compiler', 'stray ‘\\302’ in program', 'syntax'],
  ['error', 'compiler', 'invalid conversion from ‘int’ to ‘int*’ [-fpermissive]', 'type'],
  ['error', 'compiler', 'no matching function for call to ‘f(int)’', 'type'],
  ['error', 'compiler', '‘fmt::v12::detail::type_is_unformattable_for<T, char> _’ has incomplete type', 'type'],
  ['error', 'compiler', 'redefinition of ‘int x’', 'redefinition'],
  ['error', 'compiler', 'static assertion failed: Cannot format an argument', 'static-assert'],
  ['error', 'compiler', 'unused variable ‘v’ [-Werror=unused-variable]', 'warning-as-error'],
  ['fatal', 'compiler', 'Killed signal terminated program cc1plus', 'out-of-memory'],
  ['error', 'compiler', 'unrecognized command-line option ‘-fno-such-thing’', 'bad-option'],
  ['fatal', 'compiler', 'internal compiler error: Segmentation fault', 'compiler-crash'],
  ['error', 'compiler', '#error "unsupported platform"', 'compile-error'],
  ['error', 'linker', "undefined reference to `ZSTD_injectedMissingSymbol'", 'undefined-reference'],
  ['error', 'linker', "multiple definition of `g'; a.o:(.bss+0x0): first defined here", 'multiple-definition'],
  ['error', 'linker', 'cannot find -lzstd: No such file or directory', 'missing-library'],
  ['error', 'linker', 'ld returned 1 exit status', 'link-failed'],
  ['error', 'linker', 'final link failed: bad value', 'link-error'],
  ['error', 'make', "No rule to make target 'x.h', needed by 'a.o'.  Stop.", 'missing-rule'],
  ['error', 'make', 'src/version.h failed: Error 1', 'build-step-failed'],
  ['error', 'ninja', "'x.h', needed by 'a.o', missing and no known rule to make it", 'missing-rule'],
  ['error', 'ninja', 'src/version.h failed', 'build-step-failed'],
  ['warning', 'compiler', 'unused variable ‘v’ [-Wunused-variable]', 'warning'],
  ['warning', 'linker', 'creating DT_TEXTREL in a PIE', 'warning'],
  ['note', 'compiler', 'the ABI of passing union with ‘long double’ has changed in GCC 4.4', 'note'],
];

test('compiler, linker, make and ninja messages map to their categories', () => {
  const actual = CASES.map(([severity, tool, message]) => categorizeDiagnostic(severity, tool, message, message));
  assert.deepEqual(actual, CASES.map((c) => c[3]));
});

test('CMake errors are categorized by their whole block', () => {
  const header = 'The following variables are used in this project, but they are set to NOTFOUND.';
  const notFound = (variable: string): string => [`CMake Error: ${header}`, 'Please set them or make sure they are set and tested correctly in the CMake files:', variable, '    linked by target "libdriver" in directory /src/fluffos/src'].join('\n');
  assert.equal(categorizeDiagnostic('error', 'cmake', header, notFound('LIBZSTD_LIBRARY')), 'missing-library');
  assert.equal(categorizeDiagnostic('error', 'cmake', header, notFound('LIBDW_INCLUDE_DIR (ADVANCED)')), 'missing-header');
  const zlib = 'CMake Error at /usr/share/cmake-3.25/Modules/FindPackageHandleStandardArgs.cmake:230 (message):\n  Could NOT find ZLIB (missing: ZLIB_LIBRARY ZLIB_INCLUDE_DIR)';
  assert.equal(categorizeDiagnostic('error', 'cmake', zlib.split('\n')[0]!, zlib), 'missing-package');
  const unknown = 'CMake Error at CMakeLists.txt:4 (add_exe):\n  Unknown CMake command "add_exe".';
  assert.equal(categorizeDiagnostic('error', 'cmake', unknown.split('\n')[0]!, unknown), 'cmake-config');
  assert.equal(categorizeDiagnostic('warning', 'cmake', 'CMake Warning (dev) at CMakeLists.txt:3 (project)', ''), 'warning');
});
