import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PackageModel, ProjectModel } from '../core/project-model.js';
import { readCmakeLists } from './cmakelists-reader.js';

const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'buildmon-cmakelists-'));
after(() => fs.rmSync(tempRoot, { recursive: true, force: true }));
let projectCount = 0;

/** Writes `files` (relative path -> content) into a fresh directory and returns it. */
function project(files: Record<string, string | Buffer>): string {
  const dir = path.join(tempRoot, `p${++projectCount}`);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

type Brief = Record<string, [PackageModel['kind'], string[], string[]]>;

/** name -> [kind, sources, dependsOn]: the part of a package most tests check. */
function brief(model: ProjectModel): Brief {
  return Object.fromEntries(model.packages.map((p) => [p.name, [p.kind, p.sources, p.dependsOn]]));
}

test('a whole small project: every field of every package', () => {
  const dir = project({
    'CMakeLists.txt': 'project(demo C)\nadd_subdirectory(lib)\nadd_executable(app main.c util.h)\ntarget_link_libraries(app PRIVATE core)\n',
    'lib/CMakeLists.txt': 'add_library(core STATIC core.c core.h)\n',
  });
  assert.deepEqual(readCmakeLists(dir), {
    source: 'cmakelists',
    sourceDir: dir,
    buildDir: null,
    packages: [
      { name: 'app', kind: 'executable', dir: '', sources: ['main.c'], artifacts: ['app'], dependsOn: ['core'] },
      { name: 'core', kind: 'static', dir: 'lib', sources: ['lib/core.c'], artifacts: ['libcore.a'], dependsOn: [] },
    ],
  });
});

test('comments, bracket comments, quoted, bracket and unquoted list arguments', () => {
  const dir = project({
    'CMakeLists.txt': [
      '# add_library(commented a.c)',
      '#[[ add_library(in_bracket_comment a.c) ]]',
      '#[==[ add_library(in_level_two ]] a.c) ]==]',
      'add_library(args "my file.c" [[b.c]] c.c;d.cpp  # trailing comment )',
      '  [=[e.cc]=] "f\\".c" g.cxx#comment',
      '  h.C i.S j.f90 k.hpp l.txt)',
      'ADD_EXECUTABLE(Upper main.c)',
    ].join('\n'),
  });
  assert.deepEqual(brief(readCmakeLists(dir)), {
    Upper: ['executable', ['main.c'], []],
    args: ['static', ['b.c', 'c.c', 'd.cpp', 'e.cc', 'f".c', 'g.cxx', 'h.C', 'i.S', 'j.f90', 'my file.c'], []],
  });
});

test('variables: set, nested references, list(APPEND), CMake directories, PROJECT_NAME, $ENV, CMAKE_BINARY_DIR', () => {
  const dir = project({
    'CMakeLists.txt': [
      'project(engine CXX)',
      'set(KIND core)',
      'set(SRC_core a.cc b.cc)',
      'set(GEN ${CMAKE_BINARY_DIR}/gen)',
      'list(APPEND SRC_core ${CMAKE_CURRENT_SOURCE_DIR}/c.cc "${GEN}/generated.cc")',
      'option(WITH_FOO "ignored" ON)',
      'add_library(${PROJECT_NAME}_${KIND} ${SRC_${KIND}} $ENV{HOME}/x.cc)',
      'add_executable(tool ${CMAKE_SOURCE_DIR}/tool.cc ${PROJECT_SOURCE_DIR}/../outside.cc)',
    ].join('\n'),
  });
  assert.deepEqual(brief(readCmakeLists(dir)), {
    engine_core: ['static', ['/x.cc', 'a.cc', 'b.cc', 'c.cc'], []],
    tool: ['executable', [path.join(path.dirname(dir), 'outside.cc'), 'tool.cc'], []],
  });
});

test('directory scopes: a subdirectory sees its parent, the parent sees only PARENT_SCOPE', () => {
  const dir = project({
    'CMakeLists.txt': 'set(COMMON common.c)\nadd_subdirectory(sub)\nadd_library(top ${COMMON} ${FROM_SUB} ${LOCAL_ONLY})\n',
    'sub/CMakeLists.txt': 'set(LOCAL_ONLY local.c)\nset(FROM_SUB sub/exported.c PARENT_SCOPE)\nadd_library(child ${COMMON} ${LOCAL_ONLY} ${CMAKE_CURRENT_LIST_DIR}/x.c)\n',
  });
  assert.deepEqual(brief(readCmakeLists(dir)), {
    child: ['static', ['sub/common.c', 'sub/local.c', 'sub/x.c'], []],
    top: ['static', ['common.c', 'sub/exported.c'], []],
  });
});

test('add_library kinds, aliases, interface pass-through; imported and unknown names do not count', () => {
  const dir = project({
    'CMakeLists.txt': [
      'add_library(plain a.c)',
      'add_library(st STATIC b.c)',
      'add_library(sh SHARED c.c)',
      'add_library(mo MODULE d.c)',
      'add_library(ob OBJECT e.c)',
      'add_library(iface INTERFACE)',
      'add_library(ext::zlib UNKNOWN IMPORTED)',
      'add_library(imp STATIC IMPORTED GLOBAL)',
      'add_library(my::st ALIAS st)',
      'add_executable(gen IMPORTED)',
      'add_executable(app EXCLUDE_FROM_ALL WIN32 main.c)',
      'target_link_libraries(iface INTERFACE sh)',
      'target_link_libraries(app PUBLIC my::st PRIVATE iface LINK_PRIVATE ext::zlib imp pthread -lm debug mo optimized ob $<LINK_ONLY:plain>)',
      'set_target_properties(sh PROPERTIES OUTPUT_NAME shiny VERSION 1)',
    ].join('\n'),
  });
  const model = readCmakeLists(dir);
  assert.deepEqual(brief(model), {
    app: ['executable', ['main.c'], ['mo', 'ob', 'plain', 'sh', 'st']],
    mo: ['module', ['d.c'], []],
    ob: ['object', ['e.c'], []],
    plain: ['static', ['a.c'], []],
    sh: ['shared', ['c.c'], []],
    st: ['static', ['b.c'], []],
  });
  assert.deepEqual(model.packages.map((p) => p.artifacts), [['app'], ['libmo.so'], [], ['libplain.a'], ['libshiny.so'], ['libst.a']]);
});

test('BUILD_SHARED_LIBS makes untyped libraries shared; a second definition of a name is ignored', () => {
  const dir = project({ 'CMakeLists.txt': 'set(BUILD_SHARED_LIBS ON)\nadd_library(x a.c)\nadd_library(x STATIC other.c)\n' });
  assert.deepEqual(brief(readCmakeLists(dir)), { x: ['shared', ['a.c'], []] });
});

test('custom commands and targets: DEPENDS on an output waits for what makes it; DEPENDS on a target too', () => {
  const dir = project({
    'CMakeLists.txt': [
      'set(GEN ${CMAKE_BINARY_DIR}/gen)',
      'add_executable(make_tables tables.c)',
      'add_executable(stamp stamp.c)',
      'add_custom_command(OUTPUT ${GEN}/tables.h COMMAND make_tables ${GEN}/tables.h DEPENDS make_tables spec.txt)',
      'add_custom_command(OUTPUT version.h COMMAND stamp > version.h)',
      'add_custom_command(OUTPUT both.txt DEPENDS ${GEN}/tables.h version.h)',
      'add_custom_target(tables ALL DEPENDS ${GEN}/tables.h)',
      'add_custom_target(chain DEPENDS both.txt)',
      'add_custom_target(direct DEPENDS stamp COMMAND echo hi SOURCES notes.c)',
      'add_custom_target(implicit make_tables --all BYPRODUCTS out.c)',
      'add_custom_command(TARGET direct POST_BUILD COMMAND make_tables)',
      'add_library(uses_output lib.c ${GEN}/tables.h)',
      'add_library(uses_byproduct out.c)',
    ].join('\n'),
  });
  assert.deepEqual(brief(readCmakeLists(dir)), {
    chain: ['utility', [], ['make_tables', 'stamp']],
    direct: ['utility', [], ['make_tables', 'stamp']],
    implicit: ['utility', [], ['make_tables']],
    make_tables: ['executable', ['tables.c'], []],
    stamp: ['executable', ['stamp.c'], []],
    tables: ['utility', [], ['make_tables']],
    uses_byproduct: ['static', [], ['implicit']],
    uses_output: ['static', ['lib.c'], ['make_tables']],
  });
});

test('target_sources, add_dependencies and the reduced graph', () => {
  const dir = project({
    'CMakeLists.txt': [
      'add_library(base base.c)',
      'add_library(mid mid.c)',
      'add_library(top)',
      'target_sources(top PRIVATE t1.c PUBLIC t2.c INTERFACE consumer_only.c FILE_SET HEADERS BASE_DIRS inc FILES inc/t.h)',
      'target_link_libraries(mid PUBLIC base)',
      'target_link_libraries(top mid base)',
      'add_dependencies(base codegen)',
      'add_custom_target(codegen)',
      'add_dependencies(top not_a_target)',
    ].join('\n'),
  });
  assert.deepEqual(brief(readCmakeLists(dir)), {
    base: ['static', ['base.c'], ['codegen']],
    codegen: ['utility', [], []],
    mid: ['static', ['mid.c'], ['base']],
    top: ['static', ['t1.c', 't2.c'], ['mid']],
  });
});

test('file(GLOB) and file(GLOB_RECURSE) expand against the disk', () => {
  const dir = project({
    'CMakeLists.txt': [
      'file(GLOB TOP_SRCS *.c)',
      'file(GLOB_RECURSE ALL_SRCS CONFIGURE_DEPENDS src/*.cpp)',
      'file(GLOB REL RELATIVE ${CMAKE_CURRENT_SOURCE_DIR} src/[ab]?.cpp)',
      'add_library(top ${TOP_SRCS})',
      'add_library(all ${ALL_SRCS})',
      'add_library(rel ${REL})',
    ].join('\n'),
    'one.c': '', 'two.c': '', 'three.h': '',
    'src/a1.cpp': '', 'src/b2.cpp': '', 'src/c3.cpp': '', 'src/deep/er/x.cpp': '', 'src/deep/y.c': '',
  });
  assert.deepEqual(brief(readCmakeLists(dir)), {
    all: ['static', ['src/a1.cpp', 'src/b2.cpp', 'src/c3.cpp', 'src/deep/er/x.cpp'], []],
    rel: ['static', ['src/a1.cpp', 'src/b2.cpp'], []],
    top: ['static', ['one.c', 'two.c'], []],
  });
});

test('if() bodies are all read as if true; foreach, function and macro run; an override reaches the built-in as _name', () => {
  const dir = project({
    'CMakeLists.txt': [
      'if(WIN32)',
      '  add_library(win win.c)',
      'elseif(APPLE)',
      '  add_library(mac mac.c)',
      'else()',
      '  add_library(posix posix.c)',
      'endif()',
      'while(FALSE)',
      '  add_library(in_while w.c)',
      'endwhile()',
      'function(make_pkg name)',
      '  add_library(pkg_${name} ${name}.c ${ARGN})',
      '  set(LAST ${name} PARENT_SCOPE)',
      'endfunction()',
      'macro(link_all target)',
      '  foreach(dep IN LISTS ARGN ITEMS win)',
      '    target_link_libraries(${target} ${dep})',
      '  endforeach()',
      'endmacro()',
      'foreach(n alpha beta)',
      '  make_pkg(${n} extra_${n}.c)',
      'endforeach()',
      'foreach(i RANGE 1 3)',
      '  list(APPEND NUMS n${i}.c)',
      'endforeach()',
      'add_executable(app ${NUMS} ${LAST}_last.c)',
      'link_all(app pkg_alpha pkg_beta)',
      'function(add_executable name)',
      '  _add_executable(${name} ${ARGN} wrapped.c)',
      'endfunction()',
      'add_executable(overridden main.c)',
    ].join('\n'),
  });
  assert.deepEqual(brief(readCmakeLists(dir)), {
    app: ['executable', ['beta_last.c', 'n1.c', 'n2.c', 'n3.c'], ['pkg_alpha', 'pkg_beta', 'win']],
    in_while: ['static', ['w.c'], []],
    mac: ['static', ['mac.c'], []],
    overridden: ['executable', ['main.c', 'wrapped.c'], []],
    pkg_alpha: ['static', ['alpha.c', 'extra_alpha.c'], []],
    pkg_beta: ['static', ['beta.c', 'extra_beta.c'], []],
    posix: ['static', ['posix.c'], []],
    win: ['static', ['win.c'], []],
  });
});

test('include() reads a file in the same scope, by path or through CMAKE_MODULE_PATH', () => {
  const dir = project({
    'CMakeLists.txt': 'list(APPEND CMAKE_MODULE_PATH ${CMAKE_CURRENT_SOURCE_DIR}/cmake)\ninclude(Sources)\ninclude(cmake/more.cmake)\ninclude(GNUInstallDirs)\nadd_library(lib ${SOURCES} ${MORE})\n',
    'cmake/Sources.cmake': 'set(SOURCES s.c)\n',
    'cmake/more.cmake': 'set(MORE ${CMAKE_CURRENT_LIST_DIR}/m.c)\n',
  });
  assert.deepEqual(brief(readCmakeLists(dir)), { lib: ['static', ['cmake/m.c', 's.c'], []] });
});

test('FluffOS convention: a package directory that defines nothing is guessed as package_<name>', () => {
  const dir = project({
    'CMakeLists.txt': 'add_subdirectory(src)\n',
    'src/CMakeLists.txt': 'foreach(p core db)\n  add_subdirectory(packages/${p})\nendforeach()\nadd_executable(driver main.cc)\ntarget_link_libraries(driver package_core package_db)\n',
    'src/packages/core/CMakeLists.txt': 'add_library(package_core STATIC core.cc)\n',
    'src/packages/db/CMakeLists.txt': '# sources are added elsewhere\nset(X 1)\n',
    'src/packages/db/db.cc': '', 'src/packages/db/db_util.c': '', 'src/packages/db/db.h': '', 'src/packages/db/sub/nested.cc': '',
    'src/packages/unused/unused.cc': '',
  });
  const model = readCmakeLists(dir);
  assert.deepEqual(brief(model), {
    driver: ['executable', ['src/main.cc'], ['package_core', 'package_db']],
    package_core: ['static', ['src/packages/core/core.cc'], []],
    package_db: ['static', ['src/packages/db/db.cc', 'src/packages/db/db_util.c'], []],
  });
  assert.equal(model.packages[2]!.dir, 'src/packages/db');
});

test('odd input never throws: unbalanced parentheses, binary garbage, a 1 MB line, unreadable and missing files', () => {
  const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
  const dir = project({
    'CMakeLists.txt': [
      'add_library(before a.c)',
      ')) stray ) closers',
      `set(LONG ${'x'.repeat(1024 * 1024)})`,
      `add_library(after b.c ${'${'.repeat(100)}X)`,
      'add_subdirectory(garbage)',
      'add_subdirectory(missing)',
      'add_subdirectory(dir_as_file)',
      'add_library(unclosed c.c',
      'add_library(never_seen d.c)',
    ].join('\n'),
    'garbage/CMakeLists.txt': Buffer.concat([Buffer.from('add_library(in_garbage g.c)\n'), garbage]),
    'dir_as_file/CMakeLists.txt/x': '',
  });
  const model = readCmakeLists(dir);
  assert.deepEqual(Object.keys(brief(model)), ['after', 'before', 'in_garbage']);
  assert.deepEqual(model.packages[0]!.sources, ['b.c']);
  assert.deepEqual(readCmakeLists(path.join(dir, 'no-such-dir')).packages, []);
  assert.deepEqual(readCmakeLists(path.join(dir, 'a.c')).packages, []);
});

test('runaway input ends: self-recursive functions, includes and subdirectories', () => {
  const dir = project({
    'CMakeLists.txt': 'function(f)\n  f()\nendfunction()\nf()\nfunction(twice)\n  twice()\n  twice()\nendfunction()\ntwice()\ninclude(self.cmake)\nadd_subdirectory(. again)\nadd_library(done x.c)\n',
    'self.cmake': 'include(self.cmake)\n',
  });
  assert.deepEqual(brief(readCmakeLists(dir)), { done: ['static', ['x.c'], []] });
});

test('a value doubled in a loop whose if() the reader cannot evaluate stops at 1 MiB: the model is read, quickly', () => {
  const dir = project({
    'CMakeLists.txt': 'project(p C)\nset(PAD 0)\nforeach(i RANGE 64)\n  if(i LESS 3)\n    set(PAD "${PAD}${PAD}")\n  endif()\nendforeach()\nadd_library(core STATIC a.c)\n',
    'a.c': '',
  });
  const started = performance.now();
  const model = readCmakeLists(dir);
  const elapsedMs = performance.now() - started;
  assert.deepEqual(model, {
    source: 'cmakelists', sourceDir: dir, buildDir: null,
    packages: [{ name: 'core', kind: 'static', dir: '', sources: ['a.c'], artifacts: ['libcore.a'], dependsOn: [] }],
  });
  assert.ok(elapsedMs < 2000, `${elapsedMs} ms`);
});

test('globs built on unset variables or starting outside the source directory match nothing; globs inside still do', () => {
  const dir = project({
    'CMakeLists.txt': [
      'file(GLOB_RECURSE FROM_ROOT ${THIRD_PARTY_ROOT}/*.c)',
      'file(GLOB_RECURSE FROM_ENV $ENV{HOME}/*.c)',
      'file(GLOB IN_MIDDLE ${CMAKE_CURRENT_SOURCE_DIR}/${SUBDIR}/*.c)',
      'file(GLOB OUTSIDE ${CMAKE_SOURCE_DIR}/../*.c)',
      'set(KNOWN ${CMAKE_CURRENT_SOURCE_DIR}/src)',
      'file(GLOB_RECURSE INSIDE ${KNOWN}/*.c)',
      'file(GLOB_RECURSE MIXED ${UNSET}/*.c src/*.c)',
      'file(GLOB_RECURSE EVERYWHERE *.c)',
      'add_library(guessed ${FROM_ROOT} ${FROM_ENV} ${IN_MIDDLE} ${OUTSIDE} main.c)',
      'add_library(inside ${INSIDE})',
      'add_library(mixed ${MIXED})',
      'add_library(everywhere ${EVERYWHERE})',
    ].join('\n'),
    'main.c': '', 'top.c': '', 'src/a.c': '', 'src/deep/b.c': '', '.git/hooks/h.c': '', 'node_modules/m/n.c': '',
  });
  fs.writeFileSync(path.join(dir, '..', 'outside.c'), '');
  const started = performance.now();
  const model = readCmakeLists(dir);
  const elapsedMs = performance.now() - started;
  assert.deepEqual(brief(model), {
    everywhere: ['static', ['main.c', 'src/a.c', 'src/deep/b.c', 'top.c'], []],
    guessed: ['static', ['main.c'], []],
    inside: ['static', ['src/a.c', 'src/deep/b.c'], []],
    mixed: ['static', ['src/a.c', 'src/deep/b.c'], []],
  });
  assert.ok(elapsedMs < 1000, `${elapsedMs} ms`);
});
