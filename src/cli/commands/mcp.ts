import path from 'node:path';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createBuildmonServer } from '../../mcp/server.js';
import { DEFAULT_ALLOWED_TOOLS } from '../../mcp/safety.js';
import type { CliCommand, CliContext } from '../command.js';
import { parseOptions } from '../options.js';

const USAGE = `Usage: buildmon mcp [--root DIR]... [--allow-tool NAME]... [--allow-make-var NAME]...

Serves buildmon to an AI assistant over MCP on stdin/stdout (nothing else is written to stdout;
messages go to stderr). Builds run in the background exactly as with 'buildmon run --detach' and
share the same store: the CLI sees them, and a restarted server loses nothing.

  claude mcp add buildmon -- npx buildmon mcp

Safety:
  Only ${DEFAULT_ALLOWED_TOOLS.join(', ')} run (cmake only as 'cmake --build'; configure with the
  configure option of build_start). Builds run inside the allowed roots: the client's MCP roots
  when it declares them, else the --root directories, else the server's working directory.
  Builds get the server's environment; nothing from the client reaches them: make variable
  assignments (NAME=value) are refused unless --allow-make-var names them, and SHELL,
  .SHELLFLAGS, MAKEFLAGS, MFLAGS and GNUMAKEFLAGS never. Programs are bare names found on the
  server's PATH. Files and directories named by make -f/-I/-o/-W/-C and ninja -f/-C (also after
  cmake --build --) must lie inside the roots; make --eval and ninja subtools other than clean,
  targets, commands and query are refused.

Options:
  --root DIR         allow builds in DIR and below (repeatable)
  --allow-tool NAME  allow another program (repeatable); 'cmake-any' allows every cmake mode,
                     'make-any' every make option, 'ninja-any' every ninja subtool
  --allow-make-var NAME
                     allow clients to set make variable NAME (repeatable; literal values only)
  -h, --help         this help`;

export const mcpCommand: CliCommand = {
  name: 'mcp',
  usage: USAGE,
  async run(args: string[], ctx: CliContext): Promise<number> {
    const { values } = parseOptions('mcp', args, {
      root: { type: 'string', multiple: true }, 'allow-tool': { type: 'string', multiple: true },
      'allow-make-var': { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' },
    });
    if (values.help) return void ctx.stdout.write(USAGE + '\n'), 0;
    const roots = (values.root as string[] | undefined) ?? [];
    const { server, cleanup } = createBuildmonServer({
      store: ctx.store(), env: ctx.env, cwd: ctx.cwd, roots: roots.map((r) => path.resolve(ctx.cwd, r)),
      allowTools: (values['allow-tool'] as string[] | undefined) ?? [],
      allowMakeVars: (values['allow-make-var'] as string[] | undefined) ?? [], version: '0.1.0',
    });
    const transport = new StdioServerTransport();
    const closed = new Promise<void>((resolve) => {
      server.server.onclose = () => resolve();
      process.stdin.once('end', () => void server.close());
      for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void server.close());
    });
    await server.connect(transport);
    ctx.stderr.write(`buildmon mcp: serving on stdio (roots: ${roots.length > 0 ? roots.join(', ') : "the client's, else " + ctx.cwd})\n`);
    await closed;
    cleanup();
    return 0;
  },
};
