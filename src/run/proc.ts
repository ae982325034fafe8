import fs from 'node:fs';

/**
 * The kernel's start time of a process (clock ticks since boot, field 22 of /proc/PID/stat), used
 * with the pid as its identity: a pid alone may be reused by an unrelated process.
 */
export function processStartTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the name start at field 3 (state); starttime is field 22.
    return afterName[22 - 3] ?? null;
  } catch {
    return null;
  }
}

/** Whether the process that had this pid and start time is still running (and not a zombie). */
export function isSameProcessAlive(pid: number, startTime: string | null): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return false;
    return startTime === null || fields[22 - 3] === startTime;
  } catch {
    return false;
  }
}

/** One row of the process table, as /proc/PID/stat tells it. */
export interface ProcEntry {
  pid: number;
  ppid: number;
  pgid: number;
  startTime: string;
  /** The kernel's name of the process (its first 15 characters). */
  name: string;
}

/** Every live (not zombie) process, read from /proc in one pass: no `ps`, no process spawned. */
export function readProcessTable(): ProcEntry[] {
  const rows: ProcEntry[] = [];
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return rows;
  }
  for (const name of names) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const f = stat.slice(close + 2).split(' ');
      if (f[0] === 'Z' || f[0] === 'X') continue;
      rows.push({
        pid: Number(name), ppid: Number(f[4 - 3]), pgid: Number(f[5 - 3]), startTime: f[22 - 3] ?? '',
        name: stat.slice(stat.indexOf('(') + 1, close),
      });
    } catch {
      // The process ended while we looked.
    }
  }
  return rows;
}

/** Pids of every live process in a process group. */
export function processGroupMembers(pgid: number): number[] {
  return readProcessTable().filter((p) => p.pgid === pgid).map((p) => p.pid);
}

/** CPU time of a process itself and of the children it has waited for, in ms (from /proc/PID/stat). */
export function processCpuMs(pid: number | 'self'): { selfMs: number; childrenMs: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    const tick = 1000 / CLOCK_TICKS_PER_S;
    const at = (field: number): number => f[field - 3] ?? 0;
    return { selfMs: Math.round((at(14) + at(15)) * tick), childrenMs: Math.round((at(16) + at(17)) * tick) };
  } catch {
    return null;
  }
}

/** USER_HZ: the unit of the CPU times in /proc; 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_S = 100;
