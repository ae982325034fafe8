import fs from 'node:fs';
import path from 'node:path';
import { readProcessTable } from '../run/proc.js';

/** One process as the grouping needs it. */
export interface ProcRow {
  pid: number;
  ppid: number;
  /** The kernel's name of the process (at most 15 characters), or argv[0]'s base name. */
  name: string;
  /** Kernel start time in clock ticks since boot. */
  startTicks: number;
}

/** What kind of build process a name is: a driver schedules jobs, a worker uses a core. */
export type BuildRole = 'driver' | 'worker';

/** One build on the machine: its topmost build process and the compilers and linkers under it. */
export interface BuildGroup {
  pid: number;
  program: string;
  /** Compiles and links running under it now (a compiler driver and its cc1 count once). */
  workers: number;
  /** Build processes in the group (drivers and workers). */
  processes: number;
  startTicks: number;
}

const DRIVERS = new Set(['make', 'gmake', 'ninja', 'ninja-build', 'cmake', 'cmake3']);
const WORKERS = new Set(['cc1', 'cc1plus', 'cc1obj', 'cc1objplus', 'lto1', 'lto-wrapper', 'collect2', 'ld', 'ld.bfd', 'ld.gold', 'ld.lld', 'lld', 'mold', 'as',
  'gcc', 'g++', 'cc', 'c++', 'clang', 'clang++']);
const VERSIONED_COMPILER = /^(?:[\w.-]+-)?(?:gcc|g\+\+|clang|clang\+\+|cc|c\+\+)(?:-\d+(?:\.\d+)*)?$/;

/** Whether a process name is a build driver, a compile or link worker, or neither (null). */
export function buildRole(name: string): BuildRole | null {
  if (DRIVERS.has(name)) return 'driver';
  if (WORKERS.has(name) || VERSIONED_COMPILER.test(name)) return 'worker';
  return null;
}

/**
 * Groups the build processes of a process table by their topmost build ancestor (a `make` under a
 * `cmake --build`, a `cc1plus` under a `g++` under a `make`...), leaving out the processes in
 * `exclude` and everything below them.
 * Groups come out oldest first.
 */
export function groupBuilds(table: readonly ProcRow[], exclude: ReadonlySet<number> = new Set()): BuildGroup[] {
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const groups = new Map<number, BuildGroup>();
  for (const p of table) {
    const role = buildRole(p.name);
    if (role === null || exclude.has(p.pid)) continue;
    let root: ProcRow | null = p;
    const seen = new Set<number>();
    for (let up = byPid.get(p.ppid); up !== undefined && !seen.has(up.pid); up = byPid.get(up.ppid)) {
      seen.add(up.pid);
      // A process started under an excluded tree after the tree was read belongs to it too.
      if (exclude.has(up.pid)) {
        root = null;
        break;
      }
      if (buildRole(up.name) !== null) root = up;
    }
    if (root === null) continue;
    const g = groups.get(root.pid) ?? { pid: root.pid, program: root.name, workers: 0, processes: 0, startTicks: root.startTicks };
    g.processes++;
    // A compile is one worker: cc1plus under g++ (or ld under collect2) is the same job.
    const parent = byPid.get(p.ppid);
    if (role === 'worker' && (parent === undefined || buildRole(parent.name) !== 'worker')) g.workers++;
    groups.set(root.pid, g);
  }
  return [...groups.values()].sort((a, b) => a.startTicks - b.startTicks || a.pid - b.pid);
}

/** Every live process with its name (the process table of `readProcessTable`); argv[0] names those the kernel cuts short. */
export function readProcRows(): ProcRow[] {
  return readProcessTable().map((p) => ({
    pid: p.pid,
    ppid: p.ppid,
    // The kernel keeps 15 characters of a name: x86_64-linux-gnu-g++-12 needs its argv[0].
    name: p.name.length >= 15 ? argv0(String(p.pid)) ?? p.name : p.name,
    startTicks: Number(p.startTime),
  }));
}

function argv0(pid: string): string | null {
  try {
    const first = fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0')[0];
    return first ? path.basename(first) : null;
  } catch {
    return null;
  }
}

/** A process's command line (cut to `maxChars`) and working directory; null where /proc does not tell (another user's). */
export function processDetails(pid: number, maxChars = 200): { command: string | null; cwd: string | null } {
  let command: string | null = null;
  let cwd: string | null = null;
  try {
    const words = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((w) => w !== '');
    const joined = words.join(' ');
    command = joined.length > maxChars ? joined.slice(0, maxChars) + '…' : joined;
  } catch {
    command = null;
  }
  try {
    cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    cwd = null;
  }
  return { command, cwd };
}
