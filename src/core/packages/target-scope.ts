import type { ProjectModel } from '../project-model.js';
import { lastPart } from './printed-path.js';

/** The packages a build involves. */
export interface TargetScope {
  /** The targets asked for and everything they depend on; null means all packages. */
  packages: Set<string> | null;
  /** False when a target asked for is not one the model can place: what the build did not touch is not known to be up to date. */
  known: boolean;
}

/**
 * The packages a build of `targets` involves: the targets and everything they depend on. All of them
 * (null) when there are no targets, only `all`, no model, or a target the model cannot place.
 */
export function targetScope(model: ProjectModel | null, targets: readonly string[]): TargetScope {
  const wanted = targets.filter((t) => t !== '' && t !== 'all' && t !== 'default');
  if (model === null || wanted.length === 0) return { packages: null, known: true };
  const byName = new Map(model.packages.map((p) => [p.name, p]));
  const byArtifact = new Map<string, string>();
  for (const p of model.packages) for (const a of p.artifacts) byArtifact.set(a, p.name);
  const roots = wanted.map((t) => (byName.has(t) ? t : byArtifact.get(lastPart(t)) ?? null));
  if (roots.some((r) => r === null)) return { packages: null, known: false };
  const scope = new Set<string>();
  const stack = roots as string[];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (scope.has(name)) continue;
    scope.add(name);
    stack.push(...(byName.get(name)?.dependsOn ?? []));
  }
  return { packages: scope, known: true };
}
