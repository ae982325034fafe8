import type { PastBuild, PastPackage } from '../predict/past-build.js';

/**
 * How long a package kept the machine busy in one build, ms: the union of its files' compile
 * intervals plus its link. Not first-to-last activity: ninja compiles a target's objects as soon as
 * a slot is free, long before its link can run, so that span can exceed the whole build and says
 * more about the scheduler than about the package. The link is taken to start once both its own
 * last object and the packages it depends on (in this build) are done, so waiting for a dependency
 * is never counted as linking. A package that compiled no timed file (a code generator, a link
 * only) counts its start-to-end span. Null when nothing is timed.
 */
export function packageBusyMs(build: PastBuild, pkg: PastPackage): number | null {
  const intervals: [number, number][] = [];
  for (const f of build.files) {
    if (f.package === pkg.name && f.startedMs !== null && f.endedMs !== null && f.endedMs >= f.startedMs) intervals.push([f.startedMs, f.endedMs]);
  }
  if (intervals.length === 0) {
    return pkg.startedMs !== null && pkg.endedMs !== null && pkg.endedMs >= pkg.startedMs ? pkg.endedMs - pkg.startedMs : null;
  }
  intervals.sort((a, b) => a[0] - b[0]);
  let totalMs = 0;
  let [from, to] = intervals[0] as [number, number];
  for (const [s, e] of intervals.slice(1)) {
    if (s > to) {
      totalMs += to - from;
      from = s;
      to = e;
    } else if (e > to) to = e;
  }
  totalMs += to - from;
  let linkStartMs = to;
  for (const dep of build.packages) {
    if (pkg.dependsOn.includes(dep.name) && dep.endedMs !== null && dep.endedMs > linkStartMs) linkStartMs = dep.endedMs;
  }
  return totalMs + (pkg.endedMs !== null && pkg.endedMs > linkStartMs ? pkg.endedMs - linkStartMs : 0);
}
