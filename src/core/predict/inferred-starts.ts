/**
 * When a step whose end is all the output shows (ninja with its output piped, or a past build without
 * `.ninja_log`) most likely began: the job slot it ran in was freed by the step that ended `slots`
 * steps before it, so it began then (first in, first out), or at `buildStartMs` for the first `slots`
 * steps. Exact when steps take similar times; a short step beside a long one gets a start too late,
 * which is why callers use these durations only in medians and means. `stepEndsMs` must be sorted;
 * times are epoch ms.
 */
export function inferredStartMs(endMs: number, stepEndsMs: readonly number[], slots: number, buildStartMs: number): number {
  let lo = 0;
  let hi = stepEndsMs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((stepEndsMs[mid] as number) < endMs) lo = mid + 1;
    else hi = mid;
  }
  const freedBy = lo - Math.max(1, Math.floor(slots));
  const startMs = freedBy >= 0 ? (stepEndsMs[freedBy] as number) : buildStartMs;
  return Math.min(endMs, Math.max(buildStartMs, startMs));
}
