import fs from 'node:fs';
import path from 'node:path';
import type { BuildEngine } from '../core/engine.js';
import type { Dialect } from '../core/parse/types.js';
import type { ProjectModel } from '../core/project-model.js';
import type { LearnedPackage } from '../store/build-detail-store.js';
import type { SessionRecord } from '../store/session-types.js';
import type { Store } from '../store/store.js';
import { exactFileRuns, fileCountsOf } from './file-history.js';
import { projectModelFor } from './project-packages.js';
import { sessionPredictionContext } from './prediction-context.js';
import { priorTotalOf } from '../core/predict/build-prediction.js';
import type { PriorTotal } from '../core/predict/live-estimate.js';
import type { WorkExpectations } from '../core/predict/work-expectations.js';

/** What the runner knows of the project before the build's first line: its model and past file counts. */
export interface ProjectContext {
  model: ProjectModel | null;
  fileCounts: Map<string, number>;
  /** What the engine's ETA needs from history: the prior with its confidence, and per-file expectations. */
  eta: { prior: PriorTotal | null; expectations: WorkExpectations | null; cores: number };
}

/** Reads the project of a session's build directory; a failure leaves the build unmodelled, never stops it. */
export function loadProject(store: Store, session: SessionRecord): ProjectContext {
  let model: ProjectModel | null = null;
  let fileCounts = new Map<string, number>();
  try {
    model = projectModelFor(store, session.projectDir);
    // A build directory that does not exist yet (configured in this session): read the project
    // from where the build was started, the source tree.
    if (model.packages.length === 0 && session.cwd !== session.projectDir) model = projectModelFor(store, session.cwd);
    if (model.packages.length === 0) model = null;
  } catch {
    model = null;
  }
  try {
    fileCounts = fileCountsOf(store.details.packageHistory(session.projectDir));
  } catch {
    // No history: totals stay unknown.
  }
  return { model, fileCounts, eta: etaInputs(store, session) };
}

/** The prior and expectations of a session's build, from the builds that ended before it started. */
function etaInputs(store: Store, session: SessionRecord): ProjectContext['eta'] {
  const ctx = sessionPredictionContext(store, session);
  return { prior: priorTotalOf(ctx.prediction), expectations: ctx.expectations, cores: ctx.machine.cores };
}

/**
 * Records what a finished build showed: each package's final state, the compiled files (exact from
 * `.ninja_log` under ninja), the diagnostics; and for a plain Makefile project that built cleanly,
 * the directories it entered, so the next build knows its packages before they start.
 */
export function recordOutcome(
  store: Store, session: SessionRecord, engine: BuildEngine, model: ProjectModel | null, dialect: Dialect, endedMs: number, succeeded: boolean,
): void {
  const packages = engine.packages(endedMs);
  store.details.saveOutcome(session.id, { packages, files: engine.fileRuns(), diagnostics: engine.diagnostics() });
  if (dialect === 'ninja') {
    const seen = { stepsFinished: engine.snapshot(endedMs).stepsDone ?? undefined, buildEndedMs: endedMs };
    const exact = readNinjaLog(session.projectDir, session.startedMs, model, seen);
    if (exact !== null && exact.length > 0) store.details.replaceFileRunsExact(session.id, exact);
  }
  if (dialect === 'gnu-make' && succeeded && (model === null || model.source === 'learned') && packages.length > 0) {
    const learned: LearnedPackage[] = packages.map((p) => ({ name: p.name, kind: 'directory', filesTotal: p.files_done, dependsOn: p.depends_on }));
    store.details.rememberProjectPackages(session.projectDir, learned, 'learned', endedMs);
  }
}

function readNinjaLog(
  buildDir: string, startedMs: number, model: ProjectModel | null, seen: { stepsFinished?: number; buildEndedMs: number },
): ReturnType<typeof exactFileRuns> {
  let text: string;
  try {
    const file = path.join(buildDir, '.ninja_log');
    // Ninja writes no new run when there was nothing to do: an older run is not this build's.
    if (fs.statSync(file).mtimeMs < startedMs) return null;
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const artifacts = new Map<string, string>();
  for (const p of model?.packages ?? []) for (const a of p.artifacts) artifacts.set(a, p.name);
  return exactFileRuns(text, startedMs, artifacts, seen);
}
