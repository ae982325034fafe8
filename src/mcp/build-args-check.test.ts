import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkBuildArgs, type ArgsCheckContext } from './build-args-check.js';
import { BuildPolicy, resolveRoots } from './safety.js';

const ROOT = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'buildmon-args-')));
const OUT = '/etc';
after(() => fs.rmSync(ROOT, { recursive: true, force: true }));
const ANY_MAKE = 'To allow every make option, start the server with --allow-tool make-any.';

function outside(what: string, where: string, suggested: string): string {
  return `refused: the ${what} ${where} is outside the allowed roots (${ROOT}; from --root). ` +
    `To allow it, start the server with --root ${suggested} (next to the other --root options).`;
}

function context(generator: 'make' | 'ninja' | null = 'make', tools: string[] = [], vars: string[] = []): ArgsCheckContext {
  const policy = new BuildPolicy(tools, vars);
  return { cwd: ROOT, roots: resolveRoots([ROOT], 'option'), generator, allowedTools: policy.allowedTools, allowedMakeVars: policy.allowedMakeVars };
}

test('make, ninja and cmake --build arguments that reach outside the roots or run something else are refused, each naming the flag', () => {
  const makeVar = (word: string, name: string): string =>
    `refused: make variable assignment '${word}': every recipe would see ${name}, in its environment too. To allow it, start the server with --allow-make-var ${name}.`;
  const shellVar = (name: string): string =>
    `refused: make variable ${name} cannot be set by a client: it decides how make runs every recipe (SHELL, .SHELLFLAGS, MAKEFLAGS, MFLAGS and GNUMAKEFLAGS are never allowed). Set it in a makefile inside the roots instead.`;
  const evalText = `refused: make --eval (-E) runs make code given by the client, and make code can run any command; put it in a makefile inside the roots. ${ANY_MAKE}`;
  const browse = 'refused: ninja -t browse is not allowed (allowed subtools: clean, targets, commands, query). To allow every ninja subtool, start the server with --allow-tool ninja-any.';
  const cases: Array<[string[], string, 'make' | 'ninja' | null]> = [
    [['make', '-f', `${OUT}/Makefile`], outside('makefile (make -f)', `${OUT}/Makefile`, OUT), 'make'],
    [['make', `--file=${OUT}/Makefile`], outside('makefile (make -f)', `${OUT}/Makefile`, OUT), 'make'],
    [['make', '--makefile', `${OUT}/Makefile`], outside('makefile (make -f)', `${OUT}/Makefile`, OUT), 'make'],
    [['make', '-kf../x.mk'], outside('makefile (make -f)', `${path.dirname(ROOT)}/x.mk`, path.dirname(ROOT)), 'make'],
    [['make', '-I', OUT], outside('include directory (make -I)', OUT, OUT), 'make'],
    [['make', `--include-dir=${OUT}`], outside('include directory (make -I)', OUT, OUT), 'make'],
    [['make', '-o', `${OUT}/x`], outside('file marked old (make -o)', `${OUT}/x`, OUT), 'make'],
    [['make', `--assume-new=${OUT}/x`], outside('file marked new (make -W)', `${OUT}/x`, OUT), 'make'],
    [['make', '-W', `${OUT}/x`], outside('file marked new (make -W)', `${OUT}/x`, OUT), 'make'],
    [['make', '-C', 'sub', '-C', '../..'], outside('directory (make -C)', path.dirname(ROOT), path.dirname(ROOT)), 'make'],
    [['make', '--eval=X:=$(shell touch /tmp/p)'], evalText, 'make'],
    [['make', '-E', 'X:=1'], evalText, 'make'],
    [['make', '--ev=X:=$(shell touch /tmp/p)'], `refused: make option '--ev' is abbreviated or unknown; write long options in full (e.g. --directory). ${ANY_MAKE}`, 'make'],
    [['make', '--jobserver-auth=fifo:/tmp/f'], `refused: --jobserver-auth is make's own inter-process option, which a build started here does not need. ${ANY_MAKE}`, 'make'],
    [['make', 'SHELL=/tmp/evilsh'], shellVar('SHELL'), 'make'],
    [['make', '.SHELLFLAGS=-c touch /tmp/p;'], shellVar('.SHELLFLAGS'), 'make'],
    [['make', 'MAKEFLAGS+=-f/tmp/x'], shellVar('MAKEFLAGS'), 'make'],
    [['make', 'MFLAGS=x'], shellVar('MFLAGS'), 'make'],
    [['make', 'LD_PRELOAD=/tmp/evil.so'], makeVar('LD_PRELOAD=/tmp/evil.so', 'LD_PRELOAD'), 'make'],
    [['make', 'all', '--', 'PATH:=/tmp/bin'], makeVar('PATH:=/tmp/bin', 'PATH'), 'make'],
    [['make', '--', '-x'], "refused: target '-x' starts with '-': make and ninja would read it as an option or a variable assignment. Name a target only (no leading '-', no '=').", 'make'],
    [['cmake', '--build', 'build', '--', '-C', OUT], `refused: after cmake --build --: the directory (make -C) ${OUT} is outside the allowed roots (${ROOT}; from --root). To allow it, start the server with --root ${OUT} (next to the other --root options).`, 'make'],
    [['cmake', '--build', 'build', '--', '-f', `${OUT}/Makefile`], outside('makefile (make -f)', `${OUT}/Makefile`, OUT).replace('refused: ', 'refused: after cmake --build --: '), 'make'],
    [['cmake', '--build', 'build', '--', 'SHELL=/x'], `refused: after cmake --build --: ${shellVar('SHELL').slice('refused: '.length)}`, null],
    [['cmake', '--build', 'build', '--', '-t', 'browse'], `refused: after cmake --build --: ${browse.slice('refused: '.length)}`, 'ninja'],
    [['cmake', '--build', 'build', '--target', 'SHELL=/x'], "refused: target 'SHELL=/x' contains '=': make and ninja would read it as an option or a variable assignment. Name a target only (no leading '-', no '=').", 'make'],
    [['cmake', '--build', '--preset', 'p'], 'refused: cmake --build --preset is not allowed: the build directory a preset names cannot be checked against the roots. Name the build directory (cmake --build DIR), or start the server with --allow-tool cmake-any.', 'make'],
    [['ninja', '-f', `${OUT}/build.ninja`], outside('build file (ninja -f)', `${OUT}/build.ninja`, OUT), null],
    [['ninja', '-C', OUT], outside('directory (ninja -C)', OUT, OUT), null],
    [['ninja', '-t', 'browse', '--port=18765'], browse, null],
    [['ninja', '-t', 'restat'], browse.replace('-t browse', '-t restat'), null],
  ];
  for (const [argv, want, generator] of cases) assert.equal(checkBuildArgs(argv, context(generator)), want, argv.join(' '));
});

test('ordinary build commands stay accepted, and the allow options lift exactly what they name', () => {
  const accepted: Array<[string[], 'make' | 'ninja' | null]> = [
    [['make', '-j2'], null], [['make', '-C', 'build', 'all'], null], [['gmake', '-k', '-s', '--no-print-directory', 'core'], null],
    [['make', '-f', 'other.mk', '-I', 'include'], null], [['cmake', '--build', 'build', '-j', '2', '--target', 'x'], 'make'],
    [['cmake', '--build', 'build', '--', '-j2'], 'make'], [['cmake', '--build', 'build', '--', '-j2'], null],
    [['cmake', '--build', 'build', '--', '-k', '0'], 'ninja'], [['ninja', '-C', 'build', '-j2', 'target'], null],
    [['ninja', '-C', 'build', '-t', 'clean'], null], [['ninja', '-t', 'query', 'all'], null], [['bazel', 'build', '//...'], null],
  ];
  for (const [argv, generator] of accepted) assert.equal(checkBuildArgs(argv, context(generator)), null, argv.join(' '));
  assert.equal(checkBuildArgs(['make', 'CC=clang'], context('make', [], ['CC'])), null);
  assert.equal(checkBuildArgs(['make', 'CC=true;touch pwned;true'], context('make', [], ['CC'])),
    'refused: the value of make variable CC contains ";": a shell running the recipes would read it as code. ' +
    "A client's value may hold only letters, digits, spaces and _ - . / : = , + @ %; put anything else in a makefile inside the roots.");
  assert.match(checkBuildArgs(['make', 'CC=`touch pwned`'], context('make', [], ['CC'])) ?? '', /^refused: the value of make variable CC contains "`"/);
  assert.equal(checkBuildArgs(['make', 'CC=$(shell id)'], context('make', [], ['CC'])),
    "refused: the value in 'CC=$(shell id)' contains '$', which make expands (and $(shell ...) runs a command); give a literal value.");
  assert.equal(checkBuildArgs(['make', 'CC!=id'], context('make', [], ['CC'])), "refused: 'CC!=id' makes make run a shell command; give a literal value with '='.");
  assert.equal(checkBuildArgs(['make', 'SHELL=/bin/sh'], context('make', ['make-any'], ['SHELL'])),
    'refused: make variable SHELL cannot be set by a client: it decides how make runs every recipe (SHELL, .SHELLFLAGS, MAKEFLAGS, MFLAGS and GNUMAKEFLAGS are never allowed). Set it in a makefile inside the roots instead.');
  assert.equal(checkBuildArgs(['make', '--eval=X:=1', '-f', 'x.mk'], context('make', ['make-any'])), null);
  assert.equal(checkBuildArgs(['ninja', '-t', 'browse'], context(null, ['ninja-any'])), null);
  assert.equal(checkBuildArgs(['cmake', '--build', '--preset', 'p'], context('make', ['cmake-any'])), null);
});

test('a target outside the roots is refused for make, ninja and cmake --build, symlinks and .. followed as the kernel does', () => {
  const parent = path.dirname(ROOT);
  fs.mkdirSync(path.join(ROOT, 'build', 'sub'), { recursive: true });
  fs.symlinkSync(OUT, path.join(ROOT, 'etc-link'));
  const target = (where: string, suggested: string): string => outside('target', where, suggested);
  const cases: Array<[string[], string, 'make' | 'ninja' | null]> = [
    [['make', `${OUT}/x.o`], target(`${OUT}/x.o`, OUT), null],
    [['make', '../x.o'], target(`${parent}/x.o`, parent), null],
    [['make', 'build/../../x.o'], target(`${parent}/x.o`, parent), null],
    [['make', '-C', 'build', '../../x.o'], target(`${parent}/x.o`, parent), null],
    [['gmake', 'all', '--', `${OUT}/passwd.o`], target(`${OUT}/passwd.o`, OUT), null],
    [['make', 'etc-link/x.o'], target(`${OUT}/x.o`, OUT), null],
    // The kernel goes up from the link's target, not from the directory holding the link.
    [['make', 'etc-link/../x.o'], target('/x.o', '/'), null],
    [['make', '-C', 'etc-link/..'], outside('directory (make -C)', '/', '/'), null],
    [['ninja', '-C', 'build', '../../x.o'], target(`${parent}/x.o`, parent), null],
    [['ninja', `${OUT}/x.o`], target(`${OUT}/x.o`, OUT), null],
    [['cmake', '--build', 'build', '--target', `${OUT}/x.o`], target(`${OUT}/x.o`, OUT), 'make'],
    [['cmake', '--build', 'build', '--', '../../x.o'], `refused: after cmake --build --: ${target(`${parent}/x.o`, parent).slice('refused: '.length)}`, 'make'],
  ];
  for (const [argv, want, generator] of cases) assert.equal(checkBuildArgs(argv, context(generator)), want, argv.join(' '));
  const inside: string[][] = [
    ['make', 'build/sub/x.o'], ['make', 'build/../x.o'], ['make', `${ROOT}/build/x.o`], ['make', '-C', 'build/sub', '../x.o'],
    ['ninja', '-C', 'build', 'sub/../x.o'], ['cmake', '--build', 'build', '--target', '../x.o'],
  ];
  for (const argv of inside) assert.equal(checkBuildArgs(argv, context('make')), null, argv.join(' '));
});
