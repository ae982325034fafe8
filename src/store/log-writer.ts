import fs from 'node:fs';
import { formatStampedLine } from '../core/log-format.js';

/** Fields known when a build starts; written at the top of its log. */
export interface LogStartHeader {
  command: string;
  cwd: string;
  jobs: number | null;
  target: string;
  sessionId: string;
  historyKey: string;
  startedMs: number;
  hostname: string;
  cores: number;
  memBytes: number;
  /** The NINJA_STATUS the build ran with, when set: a replay needs it to read ninja's status lines. */
  ninjaStatus?: string | null;
}

/** How a build ended, written into the header's reserved slots. */
export interface LogEndHeader {
  endedMs: number;
  exitCode: number | null;
  status: string;
  signal?: string | null;
}

/** One line of output as it arrived, with the stream it came from. */
export interface ArrivedLine {
  bytes: Buffer;
  /** False for a last line without '\n' or a piece of an over-long line. */
  newline: boolean;
  stream: 'out' | 'err';
}

/** Written last in the sidecar: the log is complete and its header filled in. */
const END_MARK = Buffer.from('!');

const SLOTS = { ended: 16, exit: 6, signal: 10, status: 10 } as const;
type SlotName = keyof typeof SLOTS;

/**
 * The sidecar of a log: one byte per line, `o`/`e` (stdout/stderr), upper case when no '\n'
 * followed; a final `!` once the build has ended and the log is complete.
 */
export function streamsPathFor(logPath: string): string {
  return logPath.replace(/\.log$/, '') + '.streams';
}

/**
 * Appends stamped lines to a build log as they arrive. `ended`, `exit`, `signal` and `status` are
 * reserved as blank, fixed-width slots in the header and filled in place at the end, so the header
 * stays first (as the format requires) without rewriting the file, and a log cut short by a crash
 * still reads. A sidecar file keeps which stream each line came from, so that `run` can pass the
 * output through exactly; the log itself stays in the shared format.
 */
export class LogWriter {
  private constructor(
    private readonly fd: number,
    private readonly streamsFd: number,
    private readonly slots: Record<SlotName, number>,
  ) {}

  static create(filePath: string, h: LogStartHeader): LogWriter {
    const fd = fs.openSync(filePath, 'wx', 0o644);
    const streamsFd = fs.openSync(streamsPathFor(filePath), 'w', 0o644);
    const lines = [
      '# buildmon-log 1',
      `# command: ${oneLine(h.command)}`,
      `# cwd: ${oneLine(h.cwd)}`,
      ...(h.jobs === null ? [] : [`# jobs: ${h.jobs}`]),
      `# target: ${oneLine(h.target)}`,
      `# session: ${h.sessionId}`,
      `# history_key: ${oneLine(h.historyKey)}`,
      `# hostname: ${oneLine(h.hostname)}`,
      `# cores: ${h.cores}`,
      `# mem_bytes: ${h.memBytes}`,
      ...(h.ninjaStatus === undefined || h.ninjaStatus === null ? [] : [`# ninja_status: ${JSON.stringify(h.ninjaStatus)}`]),
      `# started: ${h.startedMs}`,
    ];
    let text = lines.join('\n') + '\n';
    const slots = {} as Record<SlotName, number>;
    for (const [key, width] of Object.entries(SLOTS) as Array<[SlotName, number]>) {
      slots[key] = Buffer.byteLength(text) + `# ${key}: `.length;
      text += `# ${key}: ${' '.repeat(width)}\n`;
    }
    fs.writeSync(fd, text);
    return new LogWriter(fd, streamsFd, slots);
  }

  /**
   * Writes lines that arrived together at `atMs`, each in one system call per file. The sidecar is
   * written first, so a reader that sees a line always finds its stream.
   */
  appendLines(atMs: number, lines: readonly ArrivedLine[]): void {
    if (lines.length === 0) return;
    const kinds = Buffer.alloc(lines.length);
    lines.forEach((l, i) => (kinds[i] = (l.stream === 'out' ? 0x6f : 0x65) - (l.newline ? 0 : 0x20)));
    fs.writeSync(this.streamsFd, kinds);
    fs.writeSync(this.fd, Buffer.concat(lines.map((l) => formatStampedLine(atMs, l.bytes))));
  }

  finish(end: LogEndHeader): void {
    const put = (slot: SlotName, value: string | null | undefined): void => {
      if (value === null || value === undefined) return;
      const width = SLOTS[slot];
      fs.writeSync(this.fd, value.slice(0, width).padEnd(width, ' '), this.slots[slot]);
    };
    put('ended', String(end.endedMs));
    put('exit', end.exitCode === null ? null : String(end.exitCode));
    put('signal', end.signal);
    put('status', end.status);
    fs.fsyncSync(this.fd);
    fs.writeSync(this.streamsFd, END_MARK);
  }

  close(): void {
    fs.closeSync(this.fd);
    fs.closeSync(this.streamsFd);
  }
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}

/**
 * Fills the reserved end slots of a log that its writer never finished (its runner died): reads the
 * header, finds the blank `ended`/`exit`/`status` slots and writes them in place.
 */
export function finishOrphanLog(filePath: string, end: LogEndHeader): boolean {
  let fd: number;
  try {
    fd = fs.openSync(filePath, 'r+');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(8192);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    const text = head.subarray(0, n).toString('latin1');
    const fill = (key: string, value: string | null): void => {
      if (value === null) return;
      const m = new RegExp(`^# ${key}: ( +)$`, 'm').exec(text);
      if (!m || m[1] === undefined) return;
      const offset = m.index + `# ${key}: `.length;
      fs.writeSync(fd, value.slice(0, m[1].length).padEnd(m[1].length, ' '), offset);
    };
    fill('ended', String(end.endedMs));
    fill('exit', end.exitCode === null ? null : String(end.exitCode));
    fill('signal', end.signal ?? null);
    fill('status', end.status);
    return true;
  } finally {
    fs.closeSync(fd);
  }
}
