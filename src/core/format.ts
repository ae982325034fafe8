/** `45s`, `2m 15s`, `1h 02m`; `0.4s` under ten seconds when `precise`. */
export function formatDuration(ms: number, precise = false): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (precise && ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const totalS = Math.round(ms / 1000);
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** Local wall-clock `HH:MM` of an epoch-ms instant. */
export function formatClock(atMs: number): string {
  const d = new Date(atMs);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** The ETA as people and assistants read it: remaining time, then the clock time it ends, `2m 15s@14:30`. */
export function formatEta(remainingMs: number, nowMs: number): string {
  return `${formatDuration(remainingMs)}@${formatClock(nowMs + remainingMs)}`;
}

/** `1 build`, `3 builds`: a count and its word, plural unless the count is 1. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Signed percentage difference of actual against predicted, e.g. `+3.8%`. */
export function formatDeviation(actualMs: number, predictedMs: number): string {
  const pct = ((actualMs - predictedMs) / predictedMs) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}
