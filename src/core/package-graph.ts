/** Direct dependencies per package name (every name that appears as a dependency also has an entry). */
export type DependencyGraph = Record<string, string[]>;

/** What the graph says about parallelism, in the shape the CLI and MCP tools return. */
export interface GraphSummary {
  dependency_graph: DependencyGraph;
  /** The longest chain by weight, first to build first. */
  critical_path: string[];
  /** Sum of the weights along the critical path (ms when weighted by durations, else file counts). */
  critical_path_weight: number;
  /** The widest set of packages that can build at the same time (no dependency path between any two). */
  parallel_opportunities: string[];
  /** Packages grouped by how many dependency levels sit below them; each wave has no path inside it. */
  waves: string[][];
}

/**
 * The graph limited to its own nodes, with edges implied by others removed (a->c is dropped when
 * a->b->...->c exists), so that a reader that reports the link closure and one that reports only the
 * declared links give the same graph. Cycles (which CMake allows between static libraries) are kept as declared.
 */
export function reduceDependencies(graph: DependencyGraph): DependencyGraph {
  const names = Object.keys(graph).sort();
  const known = new Set(names);
  const direct = new Map<string, string[]>();
  for (const name of names) direct.set(name, [...new Set(graph[name]!.filter((d) => known.has(d) && d !== name))].sort());
  const reach = new Map<string, Set<string>>();
  const reachable = (from: string): Set<string> => {
    const cached = reach.get(from);
    if (cached) return cached;
    const seen = new Set<string>();
    const stack = [...direct.get(from)!];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...direct.get(n)!);
    }
    reach.set(from, seen);
    return seen;
  };
  const out: DependencyGraph = {};
  for (const name of names) {
    const deps = direct.get(name)!;
    out[name] = deps.filter((d) => !deps.some((other) => other !== d && reachable(other).has(d) && !reachable(d).has(other)));
  }
  return out;
}

/**
 * Critical path, waves and parallel opportunities. `weightOf` gives a package's cost (historical
 * duration in ms, else its file count); packages in a dependency cycle are treated as one level.
 */
export function summarizeGraph(graph: DependencyGraph, weightOf: (name: string) => number): GraphSummary {
  const reduced = reduceDependencies(graph);
  const names = Object.keys(reduced);
  const level = new Map<string, number>();
  const best = new Map<string, { weight: number; path: string[] }>();
  const visiting = new Set<string>();
  const visit = (name: string): { weight: number; path: string[] } => {
    const done = best.get(name);
    if (done) return done;
    if (visiting.has(name)) return { weight: 0, path: [] };
    visiting.add(name);
    let below = { weight: 0, path: [] as string[] };
    let depth = 0;
    for (const dep of reduced[name]!) {
      const sub = visit(dep);
      if (sub.weight > below.weight || (sub.weight === below.weight && sub.path.length > below.path.length)) below = sub;
      depth = Math.max(depth, (level.get(dep) ?? -1) + 1);
    }
    visiting.delete(name);
    const result = { weight: below.weight + Math.max(0, weightOf(name)), path: [...below.path, name] };
    best.set(name, result);
    level.set(name, depth);
    return result;
  };
  let critical = { weight: 0, path: [] as string[] };
  for (const name of names) {
    const r = visit(name);
    if (r.weight > critical.weight || (r.weight === critical.weight && r.path.length > critical.path.length)) critical = r;
  }
  const waves: string[][] = [];
  for (const name of names) {
    const l = level.get(name)!;
    (waves[l] ??= []).push(name);
  }
  const dense = waves.filter((w) => w !== undefined).map((w) => w.sort());
  let widest: string[] = [];
  for (const wave of dense) if (wave.length > widest.length) widest = wave;
  return {
    dependency_graph: reduced,
    critical_path: critical.path,
    critical_path_weight: critical.weight,
    parallel_opportunities: widest.length > 1 ? widest : [],
    waves: dense,
  };
}
