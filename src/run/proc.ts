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
  /** Session id: the pid of the session's leader (a build spawned detached leads its own session). */
  sid: number;
  startTime: string;
  /** The kernel's name of the process (its first 15 characters). */
  name: string;
  /** The kernel's one-letter state: R running, S sleeping, D disk wait, Z zombie, ... */
  state: string;
  /** CPU time of the process itself (utime + stime), ms. */
  cpuMs: number;
  /** CPU time of the children it has reaped (cutime + cstime), ms. */
  childCpuMs: number;
  /** Resident memory (field 24, pages, times the kernel's page size), bytes; 0 for a zombie. */
  rssBytes: number;
}

/** What to read of the process table. */
export interface ProcessTableOptions {
  /**
   * Keep zombies (state Z), which have exited but not yet been reaped. They use no memory, but
   * their CPU time is still in their own row until the parent reaps them, when it moves into the
   * parent's children time: a CPU total over a process tree stays continuous only with them.
   */
  zombies?: boolean;
  /** Pids not worth reading (known to be of no interest); called once per pid listed in /proc. */
  skip?: (pid: number) => boolean;
}

/**
 * Every live (not zombie, unless asked) process, read from /proc in one pass: no `ps`, no process
 * spawned, one small file per process.
 */
export function readProcessTable(options: ProcessTableOptions = {}): ProcEntry[] {
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
    const pid = Number(name);
    if (options.skip?.(pid)) continue;
    const row = readProcessStat(pid);
    if (row === null) continue;
    if (!options.zombies && (row.state === 'Z' || row.state === 'X')) continue;
    rows.push(row);
  }
  return rows;
}

/** One process's row of the table, or null when it has gone (a zombie is still there, as state Z). */
export function readProcessStat(pid: number): ProcEntry | null {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const close = stat.lastIndexOf(')');
  const f = stat.slice(close + 2).split(' ');
  // Fields after the name start at field 3 (state).
  const at = (field: number): number => Number(f[field - 3] ?? 0);
  if (f[0] === 'X') return null;
  return {
    pid, ppid: at(4), pgid: at(5), sid: at(6), startTime: f[22 - 3] ?? '',
    name: stat.slice(stat.indexOf('(') + 1, close), state: f[0] ?? '',
    cpuMs: Math.round((at(14) + at(15)) * MS_PER_TICK), childCpuMs: Math.round((at(16) + at(17)) * MS_PER_TICK),
    rssBytes: at(24) * pageBytes(),
  };
}

/**
 * A process's command line (/proc/PID/cmdline split at its NUL bytes); [] for a zombie or a
 * kernel thread, null when the process has gone or may not be read.
 */
export function readCmdline(pid: number): string[] | null {
  let raw: Buffer;
  try {
    raw = fs.readFileSync(`/proc/${pid}/cmdline`);
  } catch {
    return null;
  }
  if (raw.length === 0) return [];
  const args = raw.toString('utf8').split('\0');
  if (args[args.length - 1] === '') args.pop();
  return args;
}

/** Pids of every live process in a process group. */
export function processGroupMembers(pgid: number): number[] {
  return readProcessTable().filter((p) => p.pgid === pgid).map((p) => p.pid);
}

/** CPU time of a process itself and of the children it has waited for, in ms (from /proc/PID/stat). */
export function processCpuMs(pid: number | 'self'): { selfMs: number; childrenMs: number } | null {
  const row = readProcessStat(pid === 'self' ? process.pid : pid);
  return row === null ? null : { selfMs: row.cpuMs, childrenMs: row.childCpuMs };
}

/** USER_HZ: the unit of the CPU times in /proc; 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_S = 100;
const MS_PER_TICK = 1000 / CLOCK_TICKS_PER_S;

/** 4 KiB on x86-64 and most arm64 kernels; some arm64 and ppc64 kernels use 16 or 64 KiB. */
const DEFAULT_PAGE_BYTES = 4096;
let cachedPageBytes: number | null = null;

/**
 * The kernel's page size in bytes, the unit of RSS in /proc/PID/stat: read once from the first
 * mapping of /proc/self/smaps (no `getconf` spawned), else 4096.
 */
function pageBytes(): number {
  if (cachedPageBytes !== null) return cachedPageBytes;
  cachedPageBytes = DEFAULT_PAGE_BYTES;
  let fd: number | null = null;
  try {
    fd = fs.openSync('/proc/self/smaps', 'r');
    const buf = Buffer.alloc(4096);
    const text = buf.toString('latin1', 0, fs.readSync(fd, buf, 0, buf.length, 0));
    const m = /^KernelPageSize:\s+(\d+) kB/m.exec(text);
    if (m) cachedPageBytes = Number(m[1]) * 1024;
  } catch {
    // No smaps (a restricted /proc): keep the common size.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
  return cachedPageBytes;
}
