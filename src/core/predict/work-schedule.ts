import { MinHeap } from './min-heap.js';

/** One package's work left, in ms of wall time per step. */
export interface PlannedPackage {
  name: string;
  /** Each file not started yet. */
  files: number[];
  /** What is left of each file compiling now. */
  running: number[];
  /** Its link (or archive) when not started; 0 when it has none. */
  link: number;
  /** What is left of its link when linking now; null otherwise. */
  linkRunning: number | null;
  /** It has begun, so its files wait for nothing. */
  started: boolean;
  /** Packages it waits for; names outside the plan are done. */
  deps: string[];
  /** It compiles files (a custom target, such as a code generator, does not). */
  compiles: boolean;
}

/** How the slots work. */
export interface ScheduleOptions {
  slots: number;
  /** Make: a package's files wait for its dependencies. Ninja: only its link does (and files wait for custom targets). */
  waitForDependencyLinks: boolean;
  /** Ms some slots have already spent on steps not named; taken off the first steps placed, longest credit first. */
  credits: readonly number[];
  /** The least a credited step still takes, ms. */
  floorMs: number;
}

/** The simulated schedule. */
export interface WorkSchedule {
  /** When the last step ends, ms from now. */
  makespanMs: number;
  /** Sum of the steps' ms. */
  workMs: number;
  steps: number;
  /** Packages, first to last, whose completion released the one that ends last. */
  criticalPath: string[];
}

interface Job {
  pkg: number;
  ms: number;
  link: boolean;
  prio: number;
  seq: number;
}

interface Run {
  end: number;
  pkg: number;
  link: boolean;
  seq: number;
}

/**
 * List scheduling of the packages' steps onto `slots`: whenever a slot is free it takes the ready step
 * with the longest chain of work behind it (its own time, its package's link, and what waits on that).
 * Steps already running hold their slots first. O(n log n) in steps.
 */
export function scheduleWork(plans: readonly PlannedPackage[], ended: ReadonlySet<string>, opts: ScheduleOptions): WorkSchedule {
  const n = plans.length;
  const index = new Map(plans.map((p, i) => [p.name, i]));
  const fileGate = new Array<number>(n).fill(0);
  const linkGate = new Array<number>(n).fill(0);
  const filesLeft = plans.map((p) => p.files.length + p.running.length);
  const releasesFiles: number[][] = plans.map(() => []);
  const releasesLink: number[][] = plans.map(() => []);
  plans.forEach((p, i) => {
    for (const dep of p.deps) {
      const j = index.get(dep);
      if (j === undefined || ended.has(dep)) continue;
      linkGate[i]!++;
      releasesLink[j]!.push(i);
      if (!p.started && (opts.waitForDependencyLinks || !plans[j]!.compiles)) {
        fileGate[i]!++;
        releasesFiles[j]!.push(i);
      }
    }
  });
  const rank = ranksOf(plans, releasesFiles, releasesLink);
  let seq = 0;
  const ready = new MinHeap<Job>((a, b) => a.prio > b.prio || (a.prio === b.prio && a.seq < b.seq));
  const run = new MinHeap<Run>((a, b) => a.end < b.end || (a.end === b.end && a.seq < b.seq));
  const state = plans.map(() => ({ filesReleased: false, linkQueued: false, done: false }));
  const blocker = new Array<number>(n).fill(-1);
  const completions: number[] = [];
  let busy = 0;
  let workMs = 0;
  let steps = 0;
  let t = 0;
  let last = -1;

  const tryLink = (i: number): void => {
    const s = state[i]!;
    if (s.linkQueued || filesLeft[i] !== 0 || linkGate[i] !== 0 || !s.filesReleased) return;
    s.linkQueued = true;
    if (plans[i]!.linkRunning !== null) return;
    if (plans[i]!.link > 0) ready.push({ pkg: i, ms: plans[i]!.link, link: true, prio: rank[i]!, seq: seq++ });
    else completions.push(i);
  };
  const releaseFiles = (i: number): void => {
    const s = state[i]!;
    if (s.filesReleased) return;
    s.filesReleased = true;
    for (const ms of plans[i]!.files) ready.push({ pkg: i, ms, link: false, prio: ms + rank[i]!, seq: seq++ });
    tryLink(i);
  };
  const drain = (): void => {
    while (completions.length > 0) {
      const i = completions.pop()!;
      if (state[i]!.done) continue;
      state[i]!.done = true;
      for (const k of releasesFiles[i]!) {
        if (--fileGate[k]! > 0) continue;
        blocker[k] = i;
        releaseFiles(k);
      }
      for (const k of releasesLink[i]!) {
        if (--linkGate[k]! > 0) continue;
        blocker[k] = i;
        tryLink(k);
      }
    }
  };
  const start = (pkg: number, ms: number, link: boolean): void => {
    run.push({ end: t + ms, pkg, link, seq: seq++ });
    busy++;
    workMs += ms;
    steps++;
  };

  plans.forEach((p, i) => {
    for (const ms of p.running) start(i, ms, false);
    if (p.linkRunning !== null) start(i, p.linkRunning, true);
  });
  for (let i = 0; i < n; i++) if (fileGate[i] === 0) releaseFiles(i);
  drain();
  const credits = [...opts.credits].sort((a, b) => b - a);
  let creditAt = 0;
  for (;;) {
    while (busy < opts.slots && ready.size > 0) {
      const job = ready.pop()!;
      const credit = t === 0 && creditAt < credits.length ? credits[creditAt++]! : 0;
      start(job.pkg, Math.max(job.ms - credit, Math.min(job.ms, opts.floorMs)), job.link);
    }
    const next = run.pop();
    if (next === undefined) {
      // A cycle, or a wait on something that never comes: let the first package still waiting go.
      const stuck = state.findIndex((s) => !s.done);
      if (stuck === -1) break;
      fileGate[stuck] = 0;
      linkGate[stuck] = 0;
      releaseFiles(stuck);
      tryLink(stuck);
      if (ready.size === 0) completions.push(stuck);
      drain();
      continue;
    }
    t = next.end;
    last = next.pkg;
    busy--;
    if (next.link) completions.push(next.pkg);
    else if (--filesLeft[next.pkg]! === 0) tryLink(next.pkg);
    drain();
  }
  return { makespanMs: t, workMs, steps, criticalPath: chainTo(last, blocker, plans) };
}

/** Each package's chain of work after it can link: its link, then the longest chain of what it releases. */
function ranksOf(plans: readonly PlannedPackage[], releasesFiles: number[][], releasesLink: number[][]): number[] {
  const rank = new Array<number>(plans.length).fill(-1);
  const longestFile = plans.map((p) => Math.max(0, ...p.files, ...p.running));
  const visit = (root: number): void => {
    const stack: Array<{ i: number; expanded: boolean }> = [{ i: root, expanded: false }];
    const onPath = new Set<number>();
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (rank[top.i]! >= 0) {
        stack.pop();
        continue;
      }
      if (!top.expanded) {
        top.expanded = true;
        onPath.add(top.i);
        for (const k of [...releasesFiles[top.i]!, ...releasesLink[top.i]!]) if (rank[k]! < 0 && !onPath.has(k)) stack.push({ i: k, expanded: false });
        continue;
      }
      stack.pop();
      onPath.delete(top.i);
      let after = 0;
      for (const k of releasesFiles[top.i]!) after = Math.max(after, longestFile[k]! + Math.max(0, rank[k]!));
      for (const k of releasesLink[top.i]!) after = Math.max(after, Math.max(0, rank[k]!));
      const p = plans[top.i]!;
      rank[top.i] = (p.linkRunning ?? p.link) + after;
    }
  };
  for (let i = 0; i < plans.length; i++) if (rank[i]! < 0) visit(i);
  return rank;
}

function chainTo(last: number, blocker: readonly number[], plans: readonly PlannedPackage[]): string[] {
  const chain: string[] = [];
  const seen = new Set<number>();
  for (let i = last; i >= 0 && !seen.has(i); i = blocker[i]!) {
    seen.add(i);
    chain.unshift(plans[i]!.name);
  }
  return chain;
}
