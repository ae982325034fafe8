#!/usr/bin/env node
import { main } from '../cli/main.js';

// A reader that went away (`buildmon sessions | head`) ends us quietly, as SIGPIPE ends other
// tools; any other output failure (a full disk) ends us with one line, not a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(141);
    if (stream === process.stdout) process.stderr.write(`buildmon: cannot write output: ${err.code ?? err.message}\n`);
    process.exit(1);
  });
}

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`buildmon: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 70;
  },
);
