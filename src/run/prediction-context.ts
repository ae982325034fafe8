import { predictBuild, type BuildPrediction } from '../core/predict/build-prediction.js';
import { forecastOf, type Forecast } from '../core/predict/forecast.js';
import { adviseJobs } from '../core/predict/job-advice.js';
import type { MachineInfo, PastBuild } from '../core/predict/past-build.js';
import { expectationsFrom, type WorkExpectations } from '../core/predict/work-expectations.js';
import type { SessionRecord } from '../store/session-types.js';
import type { Store } from '../store/store.js';
import { machineInfo } from './machine.js';

/** How many of a target's latest builds prediction reads. */
const HISTORY_LIMIT = 20;

/** Everything history says about a build before it starts. */
export interface PredictionContext {
  /** The target's finished builds before this one (any job count, legacy ones too), newest first. */
  history: PastBuild[];
  prediction: BuildPrediction;
  /** Per-file and per-link expectations for the ETA while it runs; null with no usable history. */
  expectations: WorkExpectations | null;
  machine: MachineInfo;
}

/** What a prediction is asked for: a project's target at a job count, from builds that ended before `beforeMs`. */
export interface PredictionRequest {
  projectDir: string;
  target: string;
  jobs: number | null;
  beforeMs: number;
  /** Whether the per-file expectations are wanted (the engine's ETA); a prediction before the build needs none. Default true. */
  expectations?: boolean;
}

/**
 * Reads the target's history from the store and predicts the build: its total before it starts
 * (same job count, else scaled from others, else legacy records), and the expectations the engine
 * schedules what is left with. A store or a history that cannot be read gives no prediction, never an error.
 */
export function predictionContext(store: Store, req: PredictionRequest, machine: MachineInfo = machineInfo()): PredictionContext {
  let history: PastBuild[] = [];
  try {
    history = store.past.load(req.projectDir, { target: req.target, beforeMs: req.beforeMs, limit: HISTORY_LIMIT, includeFailed: true });
  } catch {
    history = [];
  }
  const request = { target: req.target, jobs: req.jobs, machine };
  try {
    const prediction = predictBuild(history, request);
    const usable = req.expectations !== false && history.some((b) => b.succeeded && b.files.length > 0);
    return { history, prediction, expectations: usable ? expectationsFrom(history, req.jobs) : null, machine };
  } catch {
    // A history the predictor cannot use (a corrupt row) must not stop the build it is asked about.
    return { history: [], prediction: predictBuild([], request), expectations: null, machine };
  }
}

/** The context for a recorded session: its own target and job count, from the builds that ended before it started. */
export function sessionPredictionContext(store: Store, session: SessionRecord, machine?: MachineInfo, expectations = true): PredictionContext {
  return predictionContext(store, {
    projectDir: session.projectDir, target: session.target, jobs: session.jobs, beforeMs: session.startedMs, expectations,
  }, machine);
}

/**
 * The answer to "when will it be done, and could it be faster?" for a session: before it starts,
 * from history; while it runs, with `liveTotalMs` (the engine's estimate) and the time elapsed.
 */
export function sessionForecast(ctx: PredictionContext, session: SessionRecord, nowMs: number, liveTotalMs: number | null = null): Forecast {
  const advice = adviseJobs(ctx.history, { target: session.target, requestedJobs: session.jobs, machine: ctx.machine });
  const ended = session.endedMs !== null;
  const elapsedMs = Math.max(0, (session.endedMs ?? nowMs) - session.startedMs);
  return forecastOf({
    historyKey: session.historyKey, prediction: ctx.prediction, advice, nowMs,
    elapsedMs, liveTotalMs: ended ? elapsedMs : liveTotalMs,
  });
}
