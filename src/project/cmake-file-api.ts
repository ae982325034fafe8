import fs from 'node:fs';
import path from 'node:path';
import { reduceDependencies, type DependencyGraph } from '../core/package-graph.js';
import type { PackageKind, PackageModel, ProjectModel } from '../core/project-model.js';

/** buildmon's File API client name: CMake answers the queries under `query/client-buildmon/`. */
const CLIENT = 'client-buildmon';
const QUERY_TEXT = `${JSON.stringify({ requests: [{ kind: 'codemodel', version: 2 }] }, null, 2)}\n`;
const TARGET_KINDS = new Map<string, PackageKind>([
  ['STATIC_LIBRARY', 'static'], ['SHARED_LIBRARY', 'shared'], ['MODULE_LIBRARY', 'module'],
  ['OBJECT_LIBRARY', 'object'], ['EXECUTABLE', 'executable'], ['UTILITY', 'utility'],
]);
/** Utility targets some generators add on their own (Visual Studio, Xcode) when `isGeneratorProvided` is absent (CMake before 3.27). */
const GENERATOR_TARGETS = new Set(['ALL_BUILD', 'ZERO_CHECK', 'INSTALL', 'PACKAGE', 'RUN_TESTS', 'NIGHTLY', 'CONTINUOUS', 'EXPERIMENTAL']);

type Json = Record<string, unknown>;

/**
 * Writes `.cmake/api/v1/query/client-buildmon/query.json` (codemodel v2) so that the next configure
 * leaves a reply. Idempotent (an identical query is left untouched); returns the path written, or
 * null when `buildDir` is not writable. Never throws.
 */
export function writeFileApiQuery(buildDir: string): string | null {
  const file = path.join(path.resolve(buildDir), '.cmake', 'api', 'v1', 'query', CLIENT, 'query.json');
  try {
    if (readText(file) === QUERY_TEXT) return file;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, QUERY_TEXT);
    return file;
  } catch {
    return null;
  }
}

/**
 * Reads the newest reply index under `buildDir/.cmake/api/v1/reply` (codemodel v2, first
 * configuration): CMake's own account of the targets, the most exact model there is. Interface and
 * imported targets and the generator's own targets are left out; sources are the compiled ones;
 * dependencies are reduced (see `reduceDependencies`) so that they match the CMakeLists.txt
 * reading. Null when there is no reply or it is unreadable or corrupt. Never throws.
 */
export function readFileApiReply(buildDir: string): ProjectModel | null {
  try {
    const replyDir = path.join(path.resolve(buildDir), '.cmake', 'api', 'v1', 'reply');
    const index = fs.readdirSync(replyDir).filter((name) => /^index-.*\.json$/.test(name)).sort().at(-1);
    if (index === undefined) return null;
    const codemodelFile = codemodelFileOf(readJson(path.join(replyDir, index)));
    if (codemodelFile === null) return null;
    return modelOf(readJson(path.join(replyDir, codemodelFile)), replyDir);
  } catch {
    return null;
  }
}

/** The codemodel v2 reply: the one answering buildmon's query, else any other client's. */
function codemodelFileOf(index: Json): string | null {
  const ours = record(record(record(index.reply)[CLIENT])['query.json']).responses;
  const candidates = [...list(ours), ...list(index.objects)].map(record);
  const codemodel = candidates.find((o) => o.kind === 'codemodel' && record(o.version).major === 2 && typeof o.jsonFile === 'string');
  return codemodel === undefined ? null : (codemodel.jsonFile as string);
}

function modelOf(codemodel: Json, replyDir: string): ProjectModel | null {
  const paths = record(codemodel.paths);
  const configuration = list(codemodel.configurations)[0];
  if (typeof paths.source !== 'string' || typeof paths.build !== 'string' || configuration === undefined) return null;
  const refs = list(record(configuration).targets).map(record);
  const targets = refs.map((ref) => readJson(path.join(replyDir, text(ref.jsonFile))));
  const names = new Map(targets.map((t) => [text(t.id), text(t.name)]));
  const kept = targets.filter(isKept);
  const keptNames = new Set(kept.map((t) => text(t.name)));
  const graph: DependencyGraph = {};
  for (const target of kept) {
    const deps = list(target.dependencies).map((d) => names.get(text(record(d).id)) ?? '');
    graph[text(target.name)] = deps.filter((name) => keptNames.has(name));
  }
  const reduced = reduceDependencies(graph);
  const packages = kept.map((target): PackageModel => {
    const name = text(target.name);
    return {
      name,
      kind: TARGET_KINDS.get(text(target.type))!,
      dir: dirOf(record(target.paths).source),
      sources: [...new Set(list(target.sources).map(record).filter((s) => typeof s.compileGroupIndex === 'number').map((s) => text(s.path)))].sort(),
      artifacts: list(target.artifacts).map((a) => path.basename(text(record(a).path))).filter((a) => a !== ''),
      dependsOn: reduced[name] ?? [],
    };
  });
  packages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { source: 'cmake-file-api', sourceDir: paths.source, buildDir: paths.build, packages };
}

function isKept(target: Json): boolean {
  const name = text(target.name);
  if (name === '' || target.imported === true || !TARGET_KINDS.has(text(target.type))) return false;
  if (target.isGeneratorProvided === true) return false;
  return !(target.type === 'UTILITY' && GENERATOR_TARGETS.has(name));
}

function dirOf(source: unknown): string | null {
  if (typeof source !== 'string') return null;
  return source === '.' ? '' : source;
}

/** Parses a reply file; throws on unreadable or non-object JSON, which the callers turn into null. */
function readJson(file: string): Json {
  const value: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`not a JSON object: ${file}`);
  return value as Json;
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function record(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
