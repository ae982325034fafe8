import { spawn, type ChildProcess } from 'node:child_process';

/** How the build's main process ended. */
export interface BuildExit {
  code: number | null;
  signal: string | null;
}

/** A chunk of output, stamped when it arrived. */
export type OutputListener = (stream: 'out' | 'err', chunk: Buffer, atMs: number) => void;

/**
 * A build spawned before the rest of the runner has loaded: it reads and stamps output from the
 * first byte, and remembers what comes before anyone listens (output, a spawn error, the exit), to
 * hand it to listeners added later. (Node discards unread output of a child that exits, so output
 * cannot simply wait in the pipes.)
 */
export class StartedBuild {
  readonly child: ChildProcess;
  private error: NodeJS.ErrnoException | null = null;
  private exit: BuildExit | null = null;
  private closed = false;
  private readonly onError: Array<(err: NodeJS.ErrnoException) => void> = [];
  private readonly onExit: Array<(exit: BuildExit) => void> = [];
  private readonly onClose: Array<() => void> = [];
  private early: Array<Parameters<OutputListener>> | null = [];
  private onOutput: OutputListener | null = null;

  private constructor(child: ChildProcess, now: () => number) {
    this.child = child;
    const forward = (stream: 'out' | 'err') => (chunk: Buffer): void => {
      if (this.onOutput) this.onOutput(stream, chunk, now());
      else this.early?.push([stream, chunk, now()]);
    };
    child.stdout?.on('data', forward('out'));
    child.stderr?.on('data', forward('err'));
    child.on('error', (err: NodeJS.ErrnoException) => {
      this.error = err;
      for (const f of this.onError) f(err);
    });
    child.on('exit', (code, signal) => {
      this.exit = { code, signal };
      for (const f of this.onExit) f({ code, signal });
    });
    child.on('close', () => {
      this.closed = true;
      for (const f of this.onClose) f();
    });
  }

  /** Spawns `command` in `cwd` in a process group of its own, with stdout and stderr piped. */
  static spawn(command: readonly string[], cwd: string, now: () => number = Date.now): StartedBuild {
    return new StartedBuild(spawn(command[0] as string, command.slice(1), {
      cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: process.env,
    }), now);
  }

  /** Output so far, then every chunk as it arrives, in order. */
  whenOutput(f: OutputListener): void {
    for (const args of this.early ?? []) f(...args);
    this.early = null;
    this.onOutput = f;
  }

  whenError(f: (err: NodeJS.ErrnoException) => void): void {
    if (this.error) f(this.error);
    else this.onError.push(f);
  }

  whenExit(f: (exit: BuildExit) => void): void {
    if (this.exit) f(this.exit);
    else this.onExit.push(f);
  }

  whenClosed(f: () => void): void {
    if (this.closed) f();
    else this.onClose.push(f);
  }
}
