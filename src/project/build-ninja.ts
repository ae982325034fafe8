import { readFileSync } from 'node:fs';
import path from 'node:path';
import { reduceDependencies, type DependencyGraph } from '../core/package-graph.js';
import type { PackageKind, PackageModel, ProjectModel } from '../core/project-model.js';
import { splitShellWords } from '../core/shell-words.js';
import { canonicalNinjaPath, edgeInputs, edgeOutputs, parseNinjaManifest, type NinjaEdge, type NinjaFileReader, type NinjaItem } from './ninja-manifest.js';

export type { NinjaFileReader } from './ninja-manifest.js';

/**
 * The project model of `<buildDir>/build.ninja` (and the files it includes), so that a Ninja build
 * can be monitored per package before it has ever run. Null when there is no build.ninja.
 */
export function readBuildNinja(buildDir: string): ProjectModel | null {
  const dir = path.resolve(buildDir);
  const read: NinjaFileReader = (file) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return null;
    }
  };
  const text = read(path.join(dir, 'build.ninja'));
  return text === null ? null : projectFromBuildNinja(text, dir, read);
}

/**
 * The work of {@link readBuildNinja} on the text of build.ninja. CMake-generated files give their
 * targets (from CMake's block comments); other files give one package per archive or link edge.
 * `readFile` serves `include`/`subninja` (paths relative to `buildDir`) and, for CMake, confirms a
 * target's directory by its CMakeLists.txt. Never throws.
 */
export function projectFromBuildNinja(text: string, buildDirPath: string, readFile: NinjaFileReader): ProjectModel {
  const buildDir = path.posix.normalize(buildDirPath).replace(/(.)\/$/, '$1');
  const manifest = parseNinjaManifest(text, buildDir, readFile);
  const isCmake = text.startsWith('# CMAKE generated file') || manifest.items.some((i) => 'comment' in i && TARGET_HEADING.test(i.comment));
  if (!isCmake) return { source: 'build-ninja', sourceDir: buildDir, buildDir, packages: plainPackages(manifest.items, buildDir) };
  const sourceDir = cmakeSourceDir(manifest.commands) ?? buildDir;
  return { source: 'build-ninja', sourceDir, buildDir, packages: cmakePackages(manifest.items, buildDir, sourceDir, readFile) };
}

/** Path of `file` relative to `dir` when inside it, else absolute; relative inputs are taken from `buildDir`. */
function fromDir(file: string, buildDir: string, dir: string): string {
  const absolute = path.posix.resolve(buildDir, file);
  const relative = path.posix.relative(dir, absolute);
  return relative === '' || relative === '..' || relative.startsWith('../') ? absolute : relative;
}

function cmakeSourceDir(commands: readonly string[]): string | null {
  for (const command of commands) {
    if (!command.includes('--regenerate-during-build')) continue;
    const split = splitShellWords(command);
    if (!split.ok) continue;
    for (const [i, word] of split.words.entries()) {
      if ((word === '-S' || word === '-H') && split.words[i + 1] !== undefined) return path.posix.normalize(split.words[i + 1]!);
      if (/^-[SH]./.test(word)) return path.posix.normalize(word.slice(2));
    }
  }
  return null;
}

const TARGET_HEADING = /^(Object|Link) build statements for (\w+) target (.+)$/;
const UTILITY_HEADING = /^Utility command for (.+)$/;
/** CMake comments that open a block belonging to no target. */
const OUTSIDE_HEADINGS: readonly string[] = [
  'Custom command for', 'Phony custom command for', 'Target aliases', 'Folder', 'Built-in targets',
  'Write statements declared', 'Re-run CMake', 'A missing CMake input', 'Clean all', 'Print all primary',
  'Make the all target', 'Include auxiliary', 'Include rules file', 'Logical path', 'Minimal version', 'Set configuration',
];
const KINDS: Readonly<Record<string, PackageKind>> = {
  STATIC_LIBRARY: 'static',
  SHARED_LIBRARY: 'shared',
  MODULE_LIBRARY: 'module',
  OBJECT_LIBRARY: 'object',
  EXECUTABLE: 'executable',
  UTILITY: 'utility',
};
/** Utility targets that CMake adds to every project (or with CTest/CPack); they are not the project's packages. */
const CMAKE_BUILTIN =
  /^(edit_cache|rebuild_cache|install|install\/local|install\/strip|list_install_components|test|package|package_source|(Experimental|Nightly|Continuous)\w*)$/;
const ORDER_DEPENDS = 'cmake_object_order_depends_target_';
const COMPILE_RULE = /^\w+?_COMPILER__/;
const PRECOMPILED_HEADER = /\.(gch|pch)$/;

interface Draft {
  name: string;
  kind: PackageKind;
  binaryDir: string | null;
  sources: Set<string>;
  artifacts: Set<string>;
  inputs: string[];
}
type Phase = 'object' | 'link' | 'utility';
interface Block {
  name: string;
  kind: PackageKind;
  phase: Phase;
}
/** What a comment does to the current block: open a target's block, close it (null) or nothing (undefined). */
function blockOf(comment: string): Block | null | undefined {
  const target = TARGET_HEADING.exec(comment);
  if (target !== null) return { name: target[3]!, kind: KINDS[target[2]!] ?? 'utility', phase: target[1] === 'Object' ? 'object' : 'link' };
  const utility = UTILITY_HEADING.exec(comment);
  if (utility !== null) return CMAKE_BUILTIN.test(utility[1]!) ? null : { name: utility[1]!, kind: 'utility', phase: 'utility' };
  return OUTSIDE_HEADINGS.some((heading) => comment.startsWith(heading)) ? null : undefined;
}

function cmakePackages(items: readonly NinjaItem[], buildDir: string, sourceDir: string, readFile: NinjaFileReader): PackageModel[] {
  const drafts = new Map<string, Draft>();
  const owner = new Map<string, string>();
  const phonyInputs = new Map<string, string[]>();
  const toSource = (input: string): string => fromDir(input, buildDir, sourceDir);
  let current: { draft: Draft; phase: Phase } | null = null;
  for (const item of items) {
    if ('comment' in item) {
      const block = blockOf(item.comment);
      if (block === null) current = null;
      else if (block !== undefined) current = { draft: draftOf(drafts, block), phase: block.phase };
      continue;
    }
    if (item.edge.rule === 'phony') for (const out of edgeOutputs(item.edge)) phonyInputs.set(out, edgeInputs(item.edge));
    if (current !== null) addEdge(current.draft, current.phase, item.edge, { owner, toSource, buildDir });
  }
  const graph: DependencyGraph = {};
  for (const draft of drafts.values()) graph[draft.name] = draft.inputs.flatMap((input) => ownersOf(input, owner, phonyInputs));
  const reduced = reduceDependencies(graph);
  const dirs = new Map<string, string | null>();
  const confirmedDir = (dir: string | null): string | null => {
    if (dir === null) return null;
    if (!dirs.has(dir)) dirs.set(dir, readFile(path.posix.join(sourceDir, dir, 'CMakeLists.txt')) === null ? null : dir);
    return dirs.get(dir)!;
  };
  return [...drafts.values()]
    .map((d) => ({
      name: d.name,
      kind: d.kind,
      dir: confirmedDir(d.binaryDir),
      sources: [...d.sources].sort(),
      artifacts: [...d.artifacts],
      dependsOn: reduced[d.name] ?? [],
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function draftOf(drafts: Map<string, Draft>, block: Block): Draft {
  const found = drafts.get(block.name) ?? {
    name: block.name,
    kind: block.kind,
    binaryDir: null,
    sources: new Set<string>(),
    artifacts: new Set<string>(),
    inputs: [],
  };
  drafts.set(block.name, found);
  return found;
}

/**
 * Object blocks give sources (compile edges' explicit inputs) and dependencies (the target's
 * order-only phony edge); link and utility blocks give artifacts and dependencies (every input).
 */
function addEdge(draft: Draft, phase: Phase, edge: NinjaEdge, at: { owner: Map<string, string>; toSource: (input: string) => string; buildDir: string }): void {
  const { owner, toSource, buildDir } = at;
  draft.binaryDir ??= binaryDirOf(edge, draft.name, buildDir);
  if (phase === 'object') {
    if (edge.outputs[0] === ORDER_DEPENDS + draft.name) for (const input of edgeInputs(edge)) draft.inputs.push(input);
    if (!COMPILE_RULE.test(edge.rule)) return;
    if (!edge.outputs.some((out) => PRECOMPILED_HEADER.test(out))) for (const input of edge.inputs) draft.sources.add(toSource(input));
  } else {
    if (phase === 'link' && edge.rule !== 'phony' && edge.rule !== 'CUSTOM_COMMAND') {
      for (const out of edge.outputs) draft.artifacts.add(path.posix.basename(out));
    }
    for (const input of edgeInputs(edge)) draft.inputs.push(input);
  }
  for (const out of edgeOutputs(edge)) owner.set(out, draft.name);
}

/** CMake mirrors the source tree in the build tree, so a target's object directory names its source directory. */
function binaryDirOf(edge: NinjaEdge, name: string, buildDir: string): string | null {
  const objectDir = edge.bindings.get('OBJECT_DIR');
  const match = objectDir === undefined ? null : /^(?:(.*)\/)?CMakeFiles\/[^/]+\.dir$/.exec(canonicalNinjaPath(objectDir, buildDir));
  if (match !== null) return match[1] ?? '';
  if (edge.rule !== 'phony') return null;
  const alias = edge.outputs.find((out) => path.posix.basename(out) === name);
  return alias === undefined ? null : path.posix.dirname(alias).replace(/^\.$/, '');
}

/** Packages that produce `input`, looking through phony edges. */
function ownersOf(input: string, owner: ReadonlyMap<string, string>, phonyInputs: ReadonlyMap<string, string[]>): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const stack = [input];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    const name = owner.get(next) ?? (next.startsWith(ORDER_DEPENDS) ? next.slice(ORDER_DEPENDS.length) : undefined);
    if (name !== undefined) found.push(name);
    else for (const input of phonyInputs.get(next) ?? []) stack.push(input);
  }
  return found;
}

const COMPILED_SOURCE = /\.(c|cc|cp|cpp|cxx|c\+\+|C|m|mm|s|S|sx|asm|f|F|f90|F90|f95|for|cu)$/;

/** Plain ninja: a package per archive or link edge whose inputs are mostly objects compiled here from one source each. */
function plainPackages(items: readonly NinjaItem[], buildDir: string): PackageModel[] {
  const edges = items.flatMap((item) => ('edge' in item ? [item.edge] : []));
  const compiled = new Map<string, string>();
  const built = new Set<string>();
  const phonyInputs = new Map<string, string[]>();
  for (const edge of edges) {
    if (edge.rule === 'phony') for (const out of edgeOutputs(edge)) phonyInputs.set(out, edgeInputs(edge));
    else if (edge.inputs.length === 1 && edge.outputs.length === 1 && COMPILED_SOURCE.test(edge.inputs[0]!)) compiled.set(edge.outputs[0]!, edge.inputs[0]!);
    else for (const out of edgeOutputs(edge)) built.add(out);
  }
  const packages = edges.filter((edge) => {
    if (edge.rule === 'phony' || compiled.has(edge.outputs[0]!)) return false;
    const objects = edge.inputs.filter((input) => compiled.has(input)).length;
    const libraries = edge.inputs.filter((input) => built.has(input)).length;
    return objects > 0 && (objects + libraries) * 2 > edge.inputs.length;
  });
  const owner = new Map<string, string>();
  for (const edge of packages) for (const out of edgeOutputs(edge)) owner.set(out, edge.outputs[0]!);
  const graph: DependencyGraph = {};
  for (const edge of packages) graph[edge.outputs[0]!] = edgeInputs(edge).flatMap((input) => ownersOf(input, owner, phonyInputs));
  const reduced = reduceDependencies(graph);
  return packages
    .map((edge) => {
      const name = edge.outputs[0]!;
      const sources = edge.inputs.flatMap((input) => (compiled.has(input) ? [fromDir(compiled.get(input)!, buildDir, buildDir)] : []));
      return {
        name,
        kind: plainKind(name),
        dir: path.posix.dirname(edge.file).replace(/^\.$/, ''),
        sources: [...new Set(sources)].sort(),
        artifacts: edge.outputs.map((out) => path.posix.basename(out)),
        dependsOn: reduced[name] ?? [],
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function plainKind(output: string): PackageKind {
  if (/\.(a|lib)$/.test(output)) return 'static';
  if (/\.(so(\.\d+)*|dylib|dll)$/.test(output)) return 'shared';
  return 'executable';
}
