import fs from 'node:fs';

/** Fields known when a build starts; written at the top of its log. */
export interface LogStartHeader {
  command: string;
  cwd: string;
  jobs: number | null;
  target: string;
  sessionId: string;
  historyKey: string;
  startedMs: number;
}

/** How a build ended, written into the header's reserved slots. */
export interface LogEndHeader {
  endedMs: number;
  exitCode: number | null;
  status: string;
}

const ENDED_WIDTH = 16;
const EXIT_WIDTH = 6;
const STATUS_WIDTH = 10;

/**
 * Appends stamped lines to a build log as they arrive. `ended`, `exit` and `status` are reserved as
 * blank, fixed-width slots in the header and filled in place at the end, so the header stays first
 * (as the format requires) without rewriting the file, and a log cut short by a crash still reads.
 */
export class LogWriter {
  private constructor(
    private readonly fd: number,
    private readonly slots: { ended: number; exit: number; status: number },
  ) {}

  static create(filePath: string, h: LogStartHeader): LogWriter {
    const fd = fs.openSync(filePath, 'wx', 0o644);
    const lines = [
      '# buildmon-log 1',
      `# command: ${oneLine(h.command)}`,
      `# cwd: ${oneLine(h.cwd)}`,
      ...(h.jobs === null ? [] : [`# jobs: ${h.jobs}`]),
      `# target: ${oneLine(h.target)}`,
      `# session: ${h.sessionId}`,
      `# history_key: ${oneLine(h.historyKey)}`,
      `# started: ${h.startedMs}`,
    ];
    let text = lines.join('\n') + '\n';
    const slot = (key: string, width: number): number => {
      const offset = Buffer.byteLength(text) + `# ${key}: `.length;
      text += `# ${key}: ${' '.repeat(width)}\n`;
      return offset;
    };
    const slots = { ended: slot('ended', ENDED_WIDTH), exit: slot('exit', EXIT_WIDTH), status: slot('status', STATUS_WIDTH) };
    fs.writeSync(fd, text);
    return new LogWriter(fd, slots);
  }

  /** Writes lines that arrived together at `atMs` in one system call. */
  appendLines(atMs: number, lines: readonly Buffer[]): void {
    if (lines.length === 0) return;
    const stamp = Buffer.from(`${atMs} `);
    const parts: Buffer[] = [];
    for (const line of lines) parts.push(stamp, line, NEWLINE);
    fs.writeSync(this.fd, Buffer.concat(parts));
  }

  finish(end: LogEndHeader): void {
    const put = (offset: number, value: string, width: number): void => {
      fs.writeSync(this.fd, value.slice(0, width).padEnd(width, ' '), offset);
    };
    put(this.slots.ended, String(end.endedMs), ENDED_WIDTH);
    if (end.exitCode !== null) put(this.slots.exit, String(end.exitCode), EXIT_WIDTH);
    put(this.slots.status, end.status, STATUS_WIDTH);
    fs.fsyncSync(this.fd);
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

const NEWLINE = Buffer.from('\n');

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
    fill('status', end.status);
    return true;
  } finally {
    fs.closeSync(fd);
  }
}

/** Epoch ms of the last stamped line of a log, read from its tail; null when it has none. */
export function lastStampMs(filePath: string): number | null {
  let fd: number;
  try {
    fd = fs.openSync(filePath, 'r');
  } catch {
    return null;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const len = Math.min(size, 65536);
    const buf = Buffer.alloc(len);
    fs.readSync(fd, buf, 0, len, size - len);
    const lines = buf.toString('latin1').split('\n');
    for (let i = lines.length - 1; i >= 0; i--) {
      const m = /^(\d{10,16}) /.exec(lines[i] as string);
      if (m) return Number(m[1]);
    }
    return null;
  } finally {
    fs.closeSync(fd);
  }
}
