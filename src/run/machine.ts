import fs from 'node:fs';
import os from 'node:os';
import type { MachineInfo } from '../core/predict/past-build.js';

/**
 * This machine as the job-count advice needs it: cores, and the memory a build may take without
 * swapping (`MemAvailable`: free memory plus what the kernel can reclaim, such as the page cache).
 * Falls back to Node's free memory where /proc/meminfo cannot be read.
 */
export function machineInfo(): MachineInfo {
  const totalMemBytes = os.totalmem();
  return { cores: os.availableParallelism(), availableMemBytes: memAvailableBytes() ?? os.freemem(), totalMemBytes };
}

/** `MemAvailable` from /proc/meminfo, in bytes; null where the kernel does not report it. */
export function memAvailableBytes(meminfo?: string): number | null {
  let text = meminfo;
  if (text === undefined) {
    try {
      text = fs.readFileSync('/proc/meminfo', 'utf8');
    } catch {
      return null;
    }
  }
  const m = /^MemAvailable:\s+(\d+) kB$/m.exec(text);
  return m ? Number(m[1]) * 1024 : null;
}
