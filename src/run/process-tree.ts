import { isSameProcessAlive, readProcessTable, type ProcEntry } from './proc.js';

/** A process named with its kernel start time, so that a reused pid is never mistaken for it. */
export interface ProcessIdentity {
  pid: number;
  startTime: string;
}

/**
 * Every live process in a build: the members of its process group and every descendant of its
 * leader, including those that moved to a group or session of their own. Read from /proc.
 * `leaderStart` (the leader's /proc start time) guards against a reused pid: a process now holding
 * that pid with another start time is not the build, nor is the group it leads. Null means the
 * caller is the leader's parent and knows the pid is still its child's.
 */
export function buildProcesses(leaderPid: number, leaderStart: string | null): ProcessIdentity[] {
  const table = readProcessTable();
  const holder = table.find((p) => p.pid === leaderPid);
  const leaderIsOurs = holder !== undefined && (leaderStart === null || holder.startTime === leaderStart);
  if (holder !== undefined && !leaderIsOurs && holder.pgid === leaderPid) return [];
  const children = new Map<number, ProcEntry[]>();
  for (const p of table) {
    const list = children.get(p.ppid);
    if (list) list.push(p);
    else children.set(p.ppid, [p]);
  }
  const found = new Map<number, ProcEntry>();
  for (const p of table) if (p.pgid === leaderPid || (p.pid === leaderPid && leaderIsOurs)) found.set(p.pid, p);
  const queue = [...found.values()];
  while (queue.length > 0) {
    const p = queue.pop() as ProcEntry;
    for (const child of children.get(p.pid) ?? []) {
      if (found.has(child.pid)) continue;
      found.set(child.pid, child);
      queue.push(child);
    }
  }
  return [...found.values()].map((p) => ({ pid: p.pid, startTime: p.startTime }));
}

/** Sends a signal to each process that is still the one we saw; returns how many were signalled. */
export function signalProcesses(processes: readonly ProcessIdentity[], signal: NodeJS.Signals): number {
  let sent = 0;
  for (const p of processes) {
    if (!isSameProcessAlive(p.pid, p.startTime)) continue;
    try {
      process.kill(p.pid, signal);
      sent++;
    } catch {
      // Gone between the check and the signal.
    }
  }
  return sent;
}
