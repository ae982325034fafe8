import path from 'node:path';
import { reduceDependencies, type DependencyGraph } from '../core/package-graph.js';
import type { PackageKind, PackageModel } from '../core/project-model.js';
import { CmakeEvaluator, type CmakeScope } from './cmake-evaluator.js';
import { BINARY_DIR, COMPILED_EXTENSIONS, fileRef, listDir, readListFile, type FileRef } from './cmakelists-files.js';

const MAX_GLOB_ENTRIES_PER_READ = 500_000;
const PACKAGE_DIR = /(?:^|\/)packages\/([^/]+)$/;
const TARGET_GENEX = /^\$<(?:TARGET_FILE|TARGET_NAME|TARGET_OBJECTS|TARGET_LINKER_FILE|BUILD_INTERFACE|BUILD_LOCAL_INTERFACE|LINK_ONLY):([^$<>:]+)>$/;

/** A target's kind as the listfiles give it: a package kind, or a kind that is never a package. */
export type TargetKind = PackageKind | 'interface' | 'imported';
/** A target as the listfiles describe it; `kind` stays null while it is only referred to. */
export interface Target {
  kind: TargetKind | null;
  dir: string;
  sources: FileRef[];
  /** target_link_libraries items. */
  links: string[];
  /** add_dependencies names and the programs its custom commands run. */
  deps: string[];
  /** add_custom_target DEPENDS: target names or files some custom command makes. */
  dependsFiles: FileRef[];
  outputName: string;
}
/** What builds an output of add_custom_command: the files it depends on and the targets it runs. */
export interface CustomCommand { depends: FileRef[]; targets: string[] }
/** A directory scope with the source and build directories its relative paths resolve against. */
export interface Frame extends CmakeScope { dirAbs: string; binDir: string }
/** Runs one listfile command (arguments expanded, lists split) against the project being read. */
export type CommandHandler = (project: CmakeListsProject, args: string[], frame: Frame, depth: number) => void;

/**
 * The project as the listfiles read so far describe it: targets, aliases, custom command outputs and
 * the directories read. It runs listfiles through a {@link CmakeEvaluator} whose commands go to
 * `handlers`, and turns what it gathered into packages with their dependencies.
 */
export class CmakeListsProject {
  /** Every target defined or referred to, by name. */
  readonly targets = new Map<string, Target>();
  /** ALIAS name to the target it names. */
  readonly aliases = new Map<string, string>();
  /** Absolute output path of a custom command (resolved in the build tree) to that command. */
  readonly outputs = new Map<string, CustomCommand>();
  /** Directories read, and whether each defined a target. */
  readonly directories = new Map<string, boolean>();
  /**
   * Handled commands take lists, so a quoted `"${SOURCES}"` names each of its elements, as in CMake.
   * file() sees where an unset variable was referenced, to skip globs built on a guess.
   */
  readonly evaluator = new CmakeEvaluator<Frame>((name, args, frame, depth) => {
    if (!Object.hasOwn(this.handlers, name)) return;
    this.handlers[name]!(this, args.flatMap((arg) => arg.split(';')).filter((arg) => arg !== ''), frame, depth);
  }, new Set(['file']));
  /** Directory entries that file(GLOB) may still visit in this reading (half a million in all). */
  globEntriesLeft = MAX_GLOB_ENTRIES_PER_READ;

  constructor(
    readonly root: string,
    private readonly handlers: Readonly<Record<string, CommandHandler>>,
  ) {}

  /** Reads `dirAbs/CMakeLists.txt` in a new directory scope that starts as a copy of `inherited`. */
  readDirectory(dirAbs: string, binDir: string, inherited: Map<string, string>, parent: Map<string, string> | null, depth: number): void {
    if (this.directories.has(dirAbs) || this.evaluator.exhausted) return;
    this.directories.set(dirAbs, false);
    const file = path.join(dirAbs, 'CMakeLists.txt');
    const vars = new Map(inherited)
      .set('CMAKE_CURRENT_SOURCE_DIR', dirAbs)
      .set('CMAKE_CURRENT_BINARY_DIR', binDir)
      .set('CMAKE_CURRENT_LIST_DIR', dirAbs)
      .set('CMAKE_CURRENT_LIST_FILE', file);
    this.evaluator.run(readListFile(file), { vars, parent, dirAbs, binDir }, depth);
  }

  /** The target `name`, created (kind null) when it is only referred to so far. */
  target(name: string): Target {
    let target = this.targets.get(name);
    if (target === undefined) {
      target = { kind: null, dir: '', sources: [], links: [], deps: [], dependsFiles: [], outputName: name };
      this.targets.set(name, target);
    }
    return target;
  }

  /** Defines `name` in `frame`'s directory; a target already defined keeps its first definition. */
  define(name: string, kind: TargetKind, frame: Frame, sources: string[]): Target {
    const target = this.target(name);
    this.directories.set(frame.dirAbs, true);
    if (target.kind !== null) return target;
    target.kind = kind;
    target.dir = this.relative(frame.dirAbs);
    if (kind !== 'utility') for (const source of sources) target.sources.push(fileRef(source, frame));
    return target;
  }

  /** Records `command` as the maker of `outputs`; a second command for the same output is merged in. */
  addOutputs(outputs: string[], frame: Frame, command: CustomCommand): void {
    for (const output of outputs) {
      const key = path.resolve(frame.binDir, output);
      const existing = this.outputs.get(key);
      if (existing === undefined) {
        this.outputs.set(key, command);
      } else {
        for (const dep of command.depends) existing.depends.push(dep);
        for (const target of command.targets) existing.targets.push(target);
      }
    }
  }

  /** True when the absolute path `abs` is the source directory or lies below it. */
  contains(abs: string): boolean {
    const rel = path.relative(this.root, abs);
    return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
  }

  /** `abs` relative to the source directory with `/` separators, or unchanged when it lies outside. */
  relative(abs: string): string {
    const rel = path.relative(this.root, abs);
    return rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/');
  }

  /** Defines `package_<name>` for every `packages/<name>` directory read that defined no target. */
  guessPackages(): void {
    for (const [dirAbs, defined] of this.directories) {
      const match = PACKAGE_DIR.exec(this.relative(dirAbs));
      if (defined || match === null || this.targets.get(`package_${match[1]}`)?.kind) continue;
      const files = listDir(dirAbs).filter((e) => !e.isDirectory()).map((e) => e.name);
      this.define(`package_${match[1]}`, 'static', { vars: new Map(), parent: null, dirAbs, binDir: BINARY_DIR }, files);
    }
  }

  /** The package targets, sorted by name, with their compiled sources and dependencies (implied ones removed). */
  packages(): PackageModel[] {
    const names = [...this.targets.keys()].filter((name) => isPackageKind(this.targets.get(name)!.kind)).sort();
    const graph: DependencyGraph = {};
    for (const name of names) graph[name] = this.dependencies(this.targets.get(name)!);
    const reduced = reduceDependencies(graph);
    return names.map((name) => {
      const target = this.targets.get(name)!;
      const kind = target.kind as PackageKind;
      return { name, kind, dir: target.dir, sources: this.compiledSources(target), artifacts: artifactsOf(kind, target.outputName), dependsOn: reduced[name] ?? [] };
    });
  }

  private compiledSources(target: Target): string[] {
    const paths = target.sources
      .filter((ref) => !ref.raw.includes('$<') && !ref.source.startsWith(BINARY_DIR))
      .filter((ref) => this.outputs.has(ref.source) || !this.outputs.has(ref.binary))
      .filter((ref) => COMPILED_EXTENSIONS.has(path.extname(ref.source)))
      .map((ref) => this.relative(ref.source));
    return [...new Set(paths)].sort();
  }

  private dependencies(target: Target): string[] {
    const seen = new Set<CustomCommand>();
    const names = [
      ...target.links,
      ...target.deps,
      ...target.dependsFiles.flatMap((ref) => this.fileTargets(ref, seen)),
      ...target.sources.flatMap((ref) => [...this.outputTargets(ref, seen), ...genexTargets(ref.raw)]),
    ];
    return [...new Set(names.flatMap((name) => this.resolve(name, new Set())))].sort();
  }

  /** Targets a DEPENDS entry waits for: the target it names, else what builds the file it names. */
  private fileTargets(ref: FileRef, seen: Set<CustomCommand>): string[] {
    if (this.targets.get(this.aliases.get(ref.raw) ?? ref.raw)?.kind) return [ref.raw];
    return [...this.outputTargets(ref, seen), ...genexTargets(ref.raw)];
  }

  private outputTargets(ref: FileRef, seen: Set<CustomCommand>): string[] {
    const command = this.outputs.get(ref.source) ?? this.outputs.get(ref.binary);
    if (command === undefined || seen.has(command)) return [];
    seen.add(command);
    return [...command.targets, ...command.depends.flatMap((dep) => this.fileTargets(dep, seen))];
  }

  /** A dependency name as the packages it stands for: aliases followed, interface libraries passed through. */
  private resolve(raw: string, seen: Set<string>): string[] {
    const unwrapped = raw.includes('$<') ? genexTargets(raw)[0] : raw;
    if (unwrapped === undefined) return [];
    const name = this.aliases.get(unwrapped) ?? unwrapped;
    const target = this.targets.get(name);
    if (target === undefined || seen.has(name)) return [];
    seen.add(name);
    if (target.kind === 'interface') return [...target.links, ...target.deps].flatMap((dep) => this.resolve(dep, seen));
    return isPackageKind(target.kind) ? [name] : [];
  }
}

function isPackageKind(kind: TargetKind | null): kind is PackageKind {
  return kind !== null && kind !== 'interface' && kind !== 'imported';
}

function genexTargets(raw: string): string[] {
  const match = TARGET_GENEX.exec(raw);
  return match === null ? [] : [match[1]!];
}

function artifactsOf(kind: PackageKind, outputName: string): string[] {
  if (kind === 'static') return [`lib${outputName}.a`];
  if (kind === 'shared' || kind === 'module') return [`lib${outputName}.so`];
  return kind === 'executable' ? [outputName] : [];
}
