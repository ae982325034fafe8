import path from 'node:path';
import { capValue, UNSET_REFERENCE, withoutUnsetMarks } from './cmake-expand.js';
import { expandGlob, globBase } from './cmake-glob.js';
import { BINARY_DIR, COMPILED_EXTENSIONS, fileRef, isFile, listDir, readListFile } from './cmakelists-files.js';
import type { CommandHandler, TargetKind } from './cmakelists-project.js';

/** Entries one file(GLOB) command may read. */
const MAX_GLOB_ENTRIES = 50_000;
const LIBRARY_KINDS = new Map<string, TargetKind>([['STATIC', 'static'], ['SHARED', 'shared'], ['MODULE', 'module'], ['OBJECT', 'object'], ['INTERFACE', 'interface'], ['UNKNOWN', 'imported']]);
const TARGET_FLAGS = new Set(['EXCLUDE_FROM_ALL', 'WIN32', 'MACOSX_BUNDLE', 'GLOBAL', 'SYSTEM']);
const LINK_KEYWORDS = new Set(['PUBLIC', 'PRIVATE', 'INTERFACE', 'LINK_PUBLIC', 'LINK_PRIVATE', 'LINK_INTERFACE_LIBRARIES', 'debug', 'optimized', 'general']);
const CUSTOM_KEYWORDS = new Set([
  'OUTPUT', 'COMMAND', 'MAIN_DEPENDENCY', 'DEPENDS', 'BYPRODUCTS', 'IMPLICIT_DEPENDS', 'WORKING_DIRECTORY', 'COMMENT', 'DEPFILE', 'JOB_POOL',
  'JOB_SERVER_AWARE', 'SOURCES',
]);
const CUSTOM_FLAGS = new Set(['ALL', 'VERBATIM', 'APPEND', 'USES_TERMINAL', 'CODEGEN', 'COMMAND_EXPAND_LISTS', 'DEPENDS_EXPLICIT_ONLY']);

/**
 * What each listfile command buildmon understands does to the project: directories and includes
 * are read, targets and custom commands are recorded, file(GLOB) and aux_source_directory list the
 * source tree. A glob built on an unset variable, or starting outside the source directory, matches
 * nothing: the reader does not guess where it points, and never scans the whole disk. Commands not
 * listed here are ignored.
 */
export const COMMAND_HANDLERS: Readonly<Record<string, CommandHandler>> = {
  project: (_, [name], frame) => {
    if (name === undefined) return;
    if (!frame.vars.has('CMAKE_PROJECT_NAME')) frame.vars.set('CMAKE_PROJECT_NAME', name);
    frame.vars.set('PROJECT_NAME', name).set('PROJECT_SOURCE_DIR', frame.dirAbs).set('PROJECT_BINARY_DIR', frame.binDir);
    frame.vars.set(`${name}_SOURCE_DIR`, frame.dirAbs).set(`${name}_BINARY_DIR`, frame.binDir);
  },
  add_subdirectory: (project, [dir, binDir], frame, depth) => {
    if (dir === undefined) return;
    const dirAbs = path.resolve(frame.dirAbs, dir);
    const explicitBin = binDir !== undefined && !TARGET_FLAGS.has(binDir);
    const bin = explicitBin ? path.resolve(frame.binDir, binDir) : path.resolve(BINARY_DIR, project.relative(dirAbs));
    project.readDirectory(dirAbs, bin, frame.vars, frame.vars, depth + 1);
  },
  include: (project, [name], frame, depth) => {
    if (name === undefined) return;
    const modulePath = (project.evaluator.get(frame, 'CMAKE_MODULE_PATH') ?? '').split(';').filter((d) => d !== '');
    const isPath = /[/\\]|\.cmake$/.test(name);
    const file = (isPath ? [name] : modulePath.map((d) => path.join(d, `${name}.cmake`))).map((f) => path.resolve(frame.dirAbs, f)).find(isFile);
    if (file === undefined || project.evaluator.exhausted) return;
    const saved = [frame.vars.get('CMAKE_CURRENT_LIST_DIR'), frame.vars.get('CMAKE_CURRENT_LIST_FILE')];
    frame.vars.set('CMAKE_CURRENT_LIST_DIR', path.dirname(file)).set('CMAKE_CURRENT_LIST_FILE', file);
    project.evaluator.run(readListFile(file), frame, depth + 1);
    frame.vars.set('CMAKE_CURRENT_LIST_DIR', saved[0] ?? '').set('CMAKE_CURRENT_LIST_FILE', saved[1] ?? '');
  },
  add_library: (project, [name, ...rest], frame) => {
    if (name === undefined) return;
    if (rest[0] === 'ALIAS') return void (rest[1] !== undefined && project.aliases.set(name, rest[1]));
    const shared = /^(1|ON|YES|TRUE|Y)$/i.test(project.evaluator.get(frame, 'BUILD_SHARED_LIBS') ?? '');
    const kind = rest.includes('IMPORTED') ? 'imported' : (LIBRARY_KINDS.get(rest[0] ?? '') ?? (shared ? 'shared' : 'static'));
    project.define(name, kind, frame, rest.filter((arg, i) => !(i === 0 && LIBRARY_KINDS.has(arg)) && !TARGET_FLAGS.has(arg)));
  },
  add_executable: (project, [name, ...rest], frame) => {
    if (name === undefined) return;
    if (rest[0] === 'ALIAS') return void (rest[1] !== undefined && project.aliases.set(name, rest[1]));
    project.define(name, rest.includes('IMPORTED') ? 'imported' : 'executable', frame, rest.filter((arg) => !TARGET_FLAGS.has(arg)));
  },
  add_custom_target: (project, [name, ...rest], frame) => {
    if (name === undefined) return;
    const sections = customSections(rest, 'COMMAND');
    const target = project.define(name, 'utility', frame, []);
    for (const dep of sections.get('DEPENDS') ?? []) target.dependsFiles.push(fileRef(dep, frame));
    const implicit = rest.find((arg) => !CUSTOM_FLAGS.has(arg));
    for (const dep of commandNames(implicit === undefined || CUSTOM_KEYWORDS.has(implicit) ? rest : ['COMMAND', implicit, ...rest])) target.deps.push(dep);
    project.addOutputs(sections.get('BYPRODUCTS') ?? [], frame, { depends: [], targets: [name] });
  },
  add_custom_command: (project, args, frame) => {
    if (args[0] === 'TARGET') {
      if (args[1] !== undefined) for (const dep of commandNames(args)) project.target(args[1]).deps.push(dep);
      return;
    }
    const sections = customSections(args, '');
    const depends = [...(sections.get('DEPENDS') ?? []), ...(sections.get('MAIN_DEPENDENCY') ?? [])].map((dep) => fileRef(dep, frame));
    project.addOutputs([...(sections.get('OUTPUT') ?? []), ...(sections.get('BYPRODUCTS') ?? [])], frame, { depends, targets: commandNames(args) });
  },
  target_sources: (project, [name, ...rest], frame) => {
    if (name === undefined) return;
    let take = true;
    for (let i = 0; i < rest.length; i++) {
      const arg = rest[i]!;
      if (arg === 'INTERFACE' || arg === 'PUBLIC' || arg === 'PRIVATE') take = arg !== 'INTERFACE';
      else if (arg === 'FILE_SET' || arg === 'TYPE') i++;
      else if (take && arg !== 'BASE_DIRS' && arg !== 'FILES') project.target(name).sources.push(fileRef(arg, frame));
    }
  },
  target_link_libraries: (project, [name, ...rest]) => {
    if (name !== undefined) for (const arg of rest) if (!LINK_KEYWORDS.has(arg)) project.target(name).links.push(arg);
  },
  add_dependencies: (project, [name, ...rest]) => {
    if (name !== undefined) for (const dep of rest) project.target(name).deps.push(dep);
  },
  set_target_properties: (project, args) => {
    const at = args.indexOf('PROPERTIES');
    for (let i = at + 1; at > 0 && i + 1 < args.length; i += 2) {
      if (args[i] === 'OUTPUT_NAME') for (const name of args.slice(0, at)) project.target(name).outputName = args[i + 1]!;
    }
  },
  file: (project, [mode, marked, ...rest], frame) => {
    const variable = marked === undefined ? '' : withoutUnsetMarks(marked);
    if ((mode !== 'GLOB' && mode !== 'GLOB_RECURSE') || variable === '') return;
    const options = { recurse: mode === 'GLOB_RECURSE', listDirs: mode === 'GLOB', relativeTo: '' };
    const patterns: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const arg = rest[i]!;
      if (arg === 'LIST_DIRECTORIES') options.listDirs = /^(1|ON|YES|TRUE|Y)$/i.test(rest[++i] ?? '');
      else if (arg === 'RELATIVE') options.relativeTo = path.resolve(frame.dirAbs, withoutUnsetMarks(rest[++i] ?? ''));
      else if (arg !== 'CONFIGURE_DEPENDS' && arg !== 'FOLLOW_SYMLINKS') patterns.push(path.resolve(frame.dirAbs, arg));
    }
    const found = new Set<string>();
    let entriesLeft = Math.min(MAX_GLOB_ENTRIES, project.globEntriesLeft);
    for (const pattern of patterns.filter((p) => !p.includes(UNSET_REFERENCE) && project.contains(globBase(p)))) {
      const result = expandGlob(pattern, { recurse: options.recurse, listDirs: options.listDirs, maxEntries: entriesLeft });
      entriesLeft -= result.entriesVisited;
      project.globEntriesLeft -= result.entriesVisited;
      for (const f of result.paths) found.add(f);
    }
    const listed = [...found].sort().map((f) => (options.relativeTo === '' ? f : path.relative(options.relativeTo, f)));
    frame.vars.set(variable, capValue(listed.join(';')));
  },
  aux_source_directory: (_, [dir, variable], frame) => {
    if (dir === undefined || variable === undefined) return;
    const dirAbs = path.resolve(frame.dirAbs, dir);
    const files = listDir(dirAbs).filter((e) => !e.isDirectory() && COMPILED_EXTENSIONS.has(path.extname(e.name)));
    frame.vars.set(variable, capValue(files.map((e) => path.join(dirAbs, e.name)).sort().join(';')));
  },
};

/** The values after each keyword of add_custom_command/add_custom_target; values before any keyword go under `first`. */
function customSections(args: string[], first: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current = first;
  for (const arg of args) {
    if (CUSTOM_KEYWORDS.has(arg)) current = arg;
    else if (!CUSTOM_FLAGS.has(arg)) sections.set(current, [...(sections.get(current) ?? []), arg]);
  }
  return sections;
}

/** The program of each COMMAND: when it names an executable target, CMake builds that target first. */
function commandNames(args: string[]): string[] {
  return args.flatMap((arg, i) => (arg === 'COMMAND' && args[i + 1] !== undefined ? [args[i + 1]!] : []));
}
