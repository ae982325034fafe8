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

/** Pids of every live process in a process group (read from /proc, no `ps`). */
export function processGroupMembers(pgid: number): number[] {
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const name of entries) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[5 - 3] === String(pgid) && fields[0] !== 'Z') pids.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Sends a signal to a whole process group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
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
