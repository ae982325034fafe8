/**
 * Entry point that a session's runner starts instead of the build when build_start was asked to
 * configure first: `node configure-then-build.js '{"configure": [...], "build": [...]}'`. Runs the
 * CMake configure step, then (if it succeeded) the build, both writing to the runner's pipes, so
 * that one session and one log hold both. Exits as the failing step did. Lives in the build's
 * process group, so a cancel reaches it and whichever step is running.
 */
import { spawn } from 'node:child_process';

interface Spec {
  configure: string[];
  build: string[];
}

function run(argv: readonly string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: 'inherit' });
    child.on('error', (err) => {
      process.stderr.write(`buildmon: cannot run ${argv[0]}: ${err.message}\n`);
      resolve({ code: 127, signal: null });
    });
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as Spec;
  for (const step of [spec.configure, spec.build]) {
    const end = await run(step);
    if (end.signal !== null) process.kill(process.pid, end.signal);
    if (end.code !== 0) {
      process.exitCode = end.code ?? 1;
      return;
    }
  }
}

void main();
