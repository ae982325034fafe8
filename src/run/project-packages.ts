import path from 'node:path';
import { summarizeGraph, type DependencyGraph } from '../core/package-graph.js';
import type { PackageModel, ProjectModel } from '../core/project-model.js';
import { loadProjectModel } from '../project/load-model.js';
import type { PackageHistory } from '../store/build-detail-store.js';
import type { Store } from '../store/store.js';

/** The project's packages and graph, in the shape `buildmon packages --json` and the MCP tools return. */
export interface ProjectPackagesReport {
  project_dir: string;
  source_dir: string;
  build_dir: string | null;
  /** Where the packages were read from: cmake-file-api, build-ninja, cmakelists, learned (from earlier builds) or none. */
  model_source: ProjectModel['source'];
  /**
   * False for packages learned from a plain Makefile's output, which does not say what waits for what:
   * then the graph has no edges and the critical path, waves and parallel opportunities are empty.
   */
  dependencies_known: boolean;
  detected_packages: string[];
  dependency_graph: DependencyGraph;
  critical_path: string[];
  /** What the critical path is weighed by: past durations (ms) where there is history, else file counts. */
  critical_path_basis: 'duration' | 'files';
  critical_path_weight: number;
  parallel_opportunities: string[];
  waves: string[][];
  packages: { name: string; kind: string; dir: string | null; files: number | null; depends_on: string[]; avg_duration_ms: number | null }[];
}

/** The model of `dir` (see `loadProjectModel`), with packages a plain Makefile project's builds taught. */
export function projectModelFor(store: Store | null, dir: string): ProjectModel {
  return loadProjectModel(dir, (projectDir) => (store ? learnedPackages(store, projectDir) : []));
}

/** Reads the project at `dir` and weighs its graph with the history recorded for its build directory. */
export function projectPackages(store: Store | null, dir: string): ProjectPackagesReport {
  const model = projectModelFor(store, dir);
  const projectDir = model.buildDir ?? path.resolve(dir);
  const history = store ? store.details.packageHistory(projectDir) : new Map<string, PackageHistory>();
  const files = new Map(model.packages.map((p) => [p.name, filesOf(p, history)]));
  const withHistory = model.packages.filter((p) => history.has(p.name));
  const basis = withHistory.length > 0 ? 'duration' : 'files';
  const msPerFile = meanMsPerFile(history);
  const weightOf = (name: string): number => {
    if (basis === 'files') return files.get(name) ?? 0;
    const h = history.get(name);
    return h ? h.avgMs : (files.get(name) ?? 0) * msPerFile;
  };
  const graph: DependencyGraph = {};
  for (const p of model.packages) graph[p.name] = p.dependsOn;
  const known = model.source !== 'learned';
  const summary = known ? summarizeGraph(graph, weightOf) : { ...summarizeGraph(graph, () => 0), critical_path: [], critical_path_weight: 0, parallel_opportunities: [], waves: [] };
  return {
    project_dir: projectDir, source_dir: model.sourceDir, build_dir: model.buildDir, model_source: model.source, dependencies_known: known,
    detected_packages: model.packages.map((p) => p.name),
    dependency_graph: summary.dependency_graph,
    critical_path: summary.critical_path,
    critical_path_basis: basis,
    critical_path_weight: Math.round(summary.critical_path_weight),
    parallel_opportunities: summary.parallel_opportunities,
    waves: summary.waves,
    packages: model.packages.map((p) => ({
      name: p.name, kind: p.kind, dir: p.dir, files: files.get(p.name) ?? null, depends_on: summary.dependency_graph[p.name] ?? [],
      avg_duration_ms: history.has(p.name) ? Math.round(history.get(p.name)!.avgMs) : null,
    })),
  };
}

/** Packages of a plain Makefile project as its earlier builds showed them (directories make entered). */
export function learnedPackages(store: Store, projectDir: string): PackageModel[] {
  return store.details.projectPackages(projectDir).map((p) => ({
    name: p.name, kind: p.kind, dir: p.dir, sources: [], artifacts: p.artifacts, dependsOn: p.dependsOn,
  }));
}

function filesOf(p: PackageModel, history: ReadonlyMap<string, PackageHistory>): number {
  if (p.sources.length > 0 || p.kind === 'utility') return p.sources.length;
  return history.get(p.name)?.lastFiles ?? 0;
}

function meanMsPerFile(history: ReadonlyMap<string, PackageHistory>): number {
  let ms = 0;
  let n = 0;
  for (const h of history.values()) {
    if (h.lastFiles <= 0) continue;
    ms += h.avgMs;
    n += h.lastFiles;
  }
  return n > 0 ? ms / n : 1;
}
