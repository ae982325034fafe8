import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readFileApiReply, writeFileApiQuery } from './cmake-file-api.js';
import { readCmakeLists } from './cmakelists-reader.js';

const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'buildmon-file-api-'));
after(() => fs.rmSync(tempRoot, { recursive: true, force: true }));
let dirCount = 0;
const freshDir = (): string => path.join(tempRoot, `d${++dirCount}`);
const hasCmake = spawnSync('cmake', ['--version']).status === 0;

/** Writes reply files (name -> JSON value, or raw text) into `<buildDir>/.cmake/api/v1/reply`. */
function writeReply(buildDir: string, files: Record<string, unknown>): void {
  const replyDir = path.join(buildDir, '.cmake', 'api', 'v1', 'reply');
  fs.mkdirSync(replyDir, { recursive: true });
  for (const [name, value] of Object.entries(files)) {
    fs.writeFileSync(path.join(replyDir, name), typeof value === 'string' ? value : JSON.stringify(value));
  }
}

const codemodelRef = (jsonFile: string, major = 2): unknown => ({ kind: 'codemodel', version: { major, minor: 4 }, jsonFile });
const ourIndex = (jsonFile: string): unknown => ({ objects: [], reply: { 'client-buildmon': { 'query.json': { responses: [codemodelRef(jsonFile)] } } } });
const targetRef = (name: string): unknown => ({ name, id: `${name}::@1`, jsonFile: `target-${name}.json` });
const dep = (name: string): unknown => ({ id: `${name}::@1` });

/** A codemodel with two configurations and every kind of target CMake may report. */
function writeSyntheticReply(buildDir: string): void {
  const targets: Record<string, Record<string, unknown>> = {
    lib: {
      type: 'STATIC_LIBRARY', paths: { source: '.', build: '.' },
      sources: [{ path: 'z.c', compileGroupIndex: 0 }, { path: 'a.c', compileGroupIndex: 0 }, { path: 'a.h' }, { path: '/elsewhere/gen.c', compileGroupIndex: 1, isGenerated: true }],
      artifacts: [{ path: 'lib/liblib.a' }], dependencies: [dep('ZERO_CHECK'), dep('iface')],
    },
    tool: { type: 'EXECUTABLE', paths: { source: 'tools' }, artifacts: [{ path: '/out/bin/tool' }], dependencies: [dep('lib')] },
    app: { type: 'EXECUTABLE', paths: { source: 'apps/main' }, dependencies: [dep('lib'), dep('tool'), dep('all_gen'), dep('unknown')] },
    ZERO_CHECK: { type: 'UTILITY', paths: { source: '.' } },
    all_gen: { type: 'UTILITY', isGeneratorProvided: true },
    iface: { type: 'INTERFACE_LIBRARY' },
    imp: { type: 'EXECUTABLE', imported: true },
    odd: { type: 'SOMETHING_NEW' },
  };
  const files: Record<string, unknown> = {
    'index-2024-01-01T00-00-00-0000.json': ourIndex('codemodel-stale.json'),
    'index-2024-06-01T00-00-00-0000.json': { objects: [codemodelRef('codemodel-v1.json', 1), codemodelRef('codemodel-new.json')], reply: { 'client-other': {} } },
    'codemodel-new.json': {
      paths: { source: '/src/proj', build: '/src/proj/build' },
      configurations: [{ name: 'Debug', targets: Object.keys(targets).map(targetRef) }, { name: 'Release', targets: [targetRef('lib')] }],
    },
  };
  for (const [name, body] of Object.entries(targets)) files[`target-${name}.json`] = { name, id: `${name}::@1`, ...body };
  writeReply(buildDir, files);
}

test('writeFileApiQuery writes a codemodel v2 query once and leaves an identical one untouched', () => {
  const buildDir = path.join(freshDir(), 'not-yet-configured');
  const file = writeFileApiQuery(buildDir);
  assert.equal(file, path.join(buildDir, '.cmake', 'api', 'v1', 'query', 'client-buildmon', 'query.json'));
  assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { requests: [{ kind: 'codemodel', version: 2 }] });
  const old = new Date(2001, 0, 1);
  fs.utimesSync(file, old, old);
  assert.equal(writeFileApiQuery(buildDir), file);
  assert.equal(fs.statSync(file).mtimeMs, old.getTime());
  fs.writeFileSync(file, '{}');
  assert.equal(writeFileApiQuery(buildDir), file);
  assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { requests: [{ kind: 'codemodel', version: 2 }] });
});

test('writeFileApiQuery returns null where it cannot write', () => {
  const dir = freshDir();
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'a-file'), '');
  assert.equal(writeFileApiQuery(path.join(dir, 'a-file', 'build')), null);
});

test('a synthetic reply: newest index, first configuration, kept kinds, compiled sources, reduced edges', () => {
  const buildDir = freshDir();
  writeSyntheticReply(buildDir);
  assert.deepEqual(readFileApiReply(buildDir), {
    source: 'cmake-file-api',
    sourceDir: '/src/proj',
    buildDir: '/src/proj/build',
    packages: [
      { name: 'app', kind: 'executable', dir: 'apps/main', sources: [], artifacts: [], dependsOn: ['tool'] },
      { name: 'lib', kind: 'static', dir: '', sources: ['/elsewhere/gen.c', 'a.c', 'z.c'], artifacts: ['liblib.a'], dependsOn: [] },
      { name: 'tool', kind: 'executable', dir: 'tools', sources: [], artifacts: ['tool'], dependsOn: ['lib'] },
    ],
  });
});

test('no reply, or a corrupt one, is null', () => {
  const none = freshDir();
  assert.equal(readFileApiReply(none), null);
  fs.mkdirSync(path.join(none, '.cmake', 'api', 'v1', 'reply'), { recursive: true });
  assert.equal(readFileApiReply(none), null, 'reply folder without an index');
  const corrupt = (mutate: (buildDir: string) => void): ReturnType<typeof readFileApiReply> => {
    const buildDir = freshDir();
    writeSyntheticReply(buildDir);
    mutate(buildDir);
    return readFileApiReply(buildDir);
  };
  assert.equal(corrupt((b) => writeReply(b, { 'index-2025-01-01T00-00-00-0000.json': '{"objects": [' })), null, 'truncated newest index');
  assert.equal(corrupt((b) => writeReply(b, { 'index-2025-01-01T00-00-00-0000.json': '[1, 2]' })), null, 'index not an object');
  assert.equal(corrupt((b) => writeReply(b, { 'index-2025-01-01T00-00-00-0000.json': ourIndex('missing.json') })), null, 'codemodel missing');
  assert.equal(corrupt((b) => writeReply(b, { 'target-tool.json': '\u0000\u00ff garbage' })), null, 'a target file corrupt');
  assert.equal(corrupt((b) => writeReply(b, { 'codemodel-new.json': { paths: { source: '/s', build: '/b' }, configurations: [] } })), null, 'no configuration');
  assert.equal(corrupt((b) => writeReply(b, { 'index-2025-01-01T00-00-00-0000.json': { objects: [codemodelRef('codemodel-new.json', 1)] } })), null, 'only codemodel v1');
});

test('a real configure: every kind of target, as CMake reports it, close to the CMakeLists.txt reading', { skip: !hasCmake && 'cmake is not installed' }, () => {
  const sourceDir = freshDir();
  const buildDir = `${sourceDir}-build`;
  fs.mkdirSync(sourceDir);
  for (const name of ['st.c', 'st.h', 'sh.c', 'mo.c', 'ob.c', 'main.c']) fs.writeFileSync(path.join(sourceDir, name), '');
  fs.writeFileSync(path.join(sourceDir, 'CMakeLists.txt'), [
    'cmake_minimum_required(VERSION 3.16)',
    'project(kinds C)',
    'add_library(st STATIC st.c st.h)',
    'add_library(sh SHARED sh.c)',
    'add_library(mo MODULE mo.c)',
    'add_library(ob OBJECT ob.c)',
    'add_library(iface INTERFACE)',
    'target_link_libraries(iface INTERFACE sh)',
    'add_library(ext INTERFACE IMPORTED)',
    'add_library(al ALIAS st)',
    'add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/gen.c COMMAND ${CMAKE_COMMAND} -E touch ${CMAKE_BINARY_DIR}/gen.c)',
    'add_executable(app main.c ${CMAKE_BINARY_DIR}/gen.c $<TARGET_OBJECTS:ob>)',
    'target_link_libraries(app PRIVATE al iface ext)',
    'add_custom_target(docs DEPENDS app)',
    'set_target_properties(sh PROPERTIES OUTPUT_NAME shiny)',
  ].join('\n'));
  assert.equal(writeFileApiQuery(buildDir), path.join(buildDir, '.cmake/api/v1/query/client-buildmon/query.json'));
  const configure = spawnSync('cmake', ['-S', sourceDir, '-B', buildDir], { encoding: 'utf8' });
  assert.equal(configure.status, 0, configure.stderr);
  const expected = [
    { name: 'app', kind: 'executable', dir: '', sources: [path.join(buildDir, 'gen.c'), 'main.c'], artifacts: ['app'], dependsOn: ['ob', 'sh', 'st'] },
    { name: 'docs', kind: 'utility', dir: '', sources: [], artifacts: [], dependsOn: ['app'] },
    { name: 'mo', kind: 'module', dir: '', sources: ['mo.c'], artifacts: ['libmo.so'], dependsOn: [] },
    { name: 'ob', kind: 'object', dir: '', sources: ['ob.c'], artifacts: ['ob.c.o'], dependsOn: [] },
    { name: 'sh', kind: 'shared', dir: '', sources: ['sh.c'], artifacts: ['libshiny.so'], dependsOn: [] },
    { name: 'st', kind: 'static', dir: '', sources: ['st.c'], artifacts: ['libst.a'], dependsOn: [] },
  ];
  assert.deepEqual(readFileApiReply(buildDir), { source: 'cmake-file-api', sourceDir, buildDir, packages: expected });
  // Without a build directory the reading cannot know the generated source or the object file names.
  expected[0]!.sources = ['main.c'];
  expected[3]!.artifacts = [];
  assert.deepEqual(readCmakeLists(sourceDir).packages, expected);
});
