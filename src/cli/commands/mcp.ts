import path from 'node:path';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { generateToken } from '../../mcp/http-guard.js';
import { startHttpServer } from '../../mcp/http-server.js';
import { createBuildmonServer, type BuildmonServerOptions } from '../../mcp/server.js';
import { DEFAULT_ALLOWED_TOOLS, isNeverClientEnv } from '../../mcp/safety.js';
import type { CliCommand, CliContext } from '../command.js';
import { databaseError, isSqliteError } from '../../store/database.js';
import { BuildmonError } from '../../store/errors.js';
import { homeLayout, resolveHome } from '../../store/home.js';
import type { Store } from '../../store/store.js';
import { parseOptions } from '../options.js';

const DEFAULT_PORT = 7420;

const USAGE = `Usage: buildmon mcp [--root DIR]... [--allow-tool NAME]... [--allow-make-var NAME]...
                    [--allow-env NAME]...
       buildmon mcp --http [--port N] [--allow-origin URL]... [same options]

Serves buildmon to an AI assistant over MCP. Builds run in the background exactly as with
'buildmon run --detach' and share the same store: the CLI sees them, and a restarted server loses
nothing.

  claude mcp add buildmon -- npx buildmon mcp

Over stdio (the default) nothing but JSON-RPC is written to stdout; messages go to stderr.

With --http it serves Streamable HTTP at http://127.0.0.1:PORT/mcp, bound to 127.0.0.1 only.
Every request needs "Authorization: Bearer TOKEN": the token is BUILDMON_MCP_TOKEN when set
(keep it across restarts that way; it is not passed on to builds' environments), else a new one is generated
and printed at start. Requests whose Host is not 127.0.0.1:PORT or localhost:PORT, or whose
Origin is another site's, are refused (DNS-rebinding protection).

  claude mcp add --transport http buildmon http://127.0.0.1:${DEFAULT_PORT}/mcp --header "Authorization: Bearer TOKEN"

Safety:
  Only ${DEFAULT_ALLOWED_TOOLS.join(', ')} run (cmake only as 'cmake --build'; configure with the
  configure option of build_start). Builds run inside the allowed roots: the client's MCP roots
  when it declares them (they replace --root), else the --root directories, else the server's
  working directory.
  Builds get the server's environment; from the client only the variables --allow-env names
  (build_start's env; never PATH, SHELL, BASH_ENV, ENV, LD_*, MAKEFLAGS, MFLAGS, GNUMAKEFLAGS,
  MAKEFILES, NODE_OPTIONS or BUILDMON_*). Make variable assignments (NAME=value) are refused
  unless --allow-make-var names them, and SHELL, .SHELLFLAGS, MAKEFLAGS, MFLAGS and
  GNUMAKEFLAGS never. Programs are bare names found on the
  server's PATH. Files and directories named by make -f/-I/-o/-W/-C and ninja -f/-C (also after
  cmake --build --) must lie inside the roots; make --eval and ninja subtools other than clean,
  targets, commands and query are refused.

Options:
  --http             serve Streamable HTTP instead of stdio
  --port N           the HTTP port (default ${DEFAULT_PORT}; 0 picks a free one)
  --allow-origin URL also accept requests from this browser origin (repeatable)
  --root DIR         allow builds in DIR and below (repeatable)
  --allow-tool NAME  allow another program (repeatable); 'cmake-any' allows every cmake mode,
                     'make-any' every make option, 'ninja-any' every ninja subtool
  --allow-make-var NAME
                     allow clients to set make variable NAME (repeatable; values of letters,
                     digits, spaces and _ - . / : = , + @ % only)
  --allow-env NAME   allow clients to set environment variable NAME for a build (repeatable)
  -h, --help         this help`;

export const mcpCommand: CliCommand = {
  name: 'mcp',
  usage: USAGE,
  async run(args: string[], ctx: CliContext): Promise<number> {
    const { values, positionals } = parseOptions('mcp', args, {
      root: { type: 'string', multiple: true }, 'allow-tool': { type: 'string', multiple: true },
      'allow-make-var': { type: 'string', multiple: true }, 'allow-env': { type: 'string', multiple: true }, http: { type: 'boolean' }, port: { type: 'string' },
      'allow-origin': { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' },
    });
    if (values.help) return void ctx.stdout.write(USAGE + '\n'), 0;
    if (positionals.length > 0) throw new BuildmonError('bad-usage', `mcp: unexpected argument '${positionals[0]}'\nSee: buildmon mcp --help`);
    const httpOnly = ['port', 'allow-origin'].filter((k) => values[k] !== undefined);
    if (!values.http && httpOnly.length > 0) throw new BuildmonError('bad-usage', `mcp: --${httpOnly[0]} needs --http\nSee: buildmon mcp --help`);
    const roots = (values.root as string[] | undefined) ?? [];
    // The token guards this server; the builds it starts have no business seeing it.
    const { BUILDMON_MCP_TOKEN: givenToken, ...env } = ctx.env;
    const opts: BuildmonServerOptions = {
      store: () => openStore(ctx), env, cwd: ctx.cwd, roots: roots.map((r) => path.resolve(ctx.cwd, r)),
      allowTools: (values['allow-tool'] as string[] | undefined) ?? [],
      allowMakeVars: (values['allow-make-var'] as string[] | undefined) ?? [], allowEnv: (values['allow-env'] as string[] | undefined) ?? [],
      version: '0.1.0',
    };
    const neverEnv = (opts.allowEnv ?? []).filter(isNeverClientEnv);
    if (neverEnv.length > 0) {
      const them = neverEnv.length === 1 ? 'it' : 'them';
      ctx.stderr.write(`buildmon mcp: --allow-env ${neverEnv.join(', ')} ignored: no client may set ${them} (set ${them} in the server's own environment instead)\n`);
    }
    const rootsText = roots.length > 0 ? roots.join(', ') : "the client's, else " + ctx.cwd;
    if (values.http) return serveHttp(opts, values, givenToken, rootsText, ctx);
    const { server, cleanup } = createBuildmonServer(opts);
    const transport = new StdioServerTransport();
    const closed = new Promise<void>((resolve) => {
      server.server.onclose = () => resolve();
      process.stdin.once('end', () => void server.close());
      for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void server.close());
    });
    await server.connect(transport);
    ctx.stderr.write(`buildmon mcp: serving on stdio (roots: ${rootsText})\n`);
    await closed;
    cleanup();
    return 0;
  },
};

/**
 * The CLI's store, for the server to open on first use: a database that cannot be used (corrupt,
 * unreadable) then makes every tool call answer with the reason and the way out, instead of the
 * server exiting before the client can hear why.
 */
function openStore(ctx: CliContext): Store {
  try {
    return ctx.store();
  } catch (err) {
    if (!isSqliteError(err)) throw err;
    const layout = homeLayout(resolveHome(ctx.env));
    throw databaseError(layout.dbPath, layout.logsDir, err);
  }
}

async function serveHttp(opts: BuildmonServerOptions, values: Record<string, unknown>, givenToken: string | undefined,
  rootsText: string, ctx: CliContext): Promise<number> {
  const portText = values.port as string | undefined;
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (!/^\d+$/.test(portText ?? '0') || port > 65535) {
    throw new BuildmonError('bad-usage', `mcp: --port must be 0..65535, got '${portText}'`);
  }
  const allowOrigins = (values['allow-origin'] as string[] | undefined) ?? [];
  for (const o of allowOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(o)) throw new BuildmonError('bad-usage', `mcp: --allow-origin takes an origin such as http://localhost:3000 (scheme, host and port, no path), got '${o}'`);
  }
  if (givenToken !== undefined && !/^[\x21-\x7e]{16,}$/.test(givenToken.trim())) {
    throw new BuildmonError('bad-usage', 'mcp: BUILDMON_MCP_TOKEN must be at least 16 printable characters without spaces (unset it to have one generated)');
  }
  const token = givenToken?.trim() ?? generateToken();
  const running = await startHttpServer({ ...opts, port, token, allowOrigins, log: (l) => void ctx.stderr.write(l + '\n') })
    .catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        throw new BuildmonError('port-in-use', `mcp: port ${port} on 127.0.0.1 is in use (another buildmon mcp --http?): choose another with --port N, or --port 0 for a free one`, { exitCode: 1 });
      }
      throw err;
    });
  ctx.stdout.write(`buildmon mcp: serving on ${running.url} (roots: ${rootsText})\n` +
    `token: ${givenToken === undefined ? `${token} (generated; set BUILDMON_MCP_TOKEN to keep one across restarts)` : '(from BUILDMON_MCP_TOKEN)'}\n` +
    `  claude mcp add --transport http buildmon ${running.url} --header "Authorization: Bearer ${givenToken === undefined ? token : '$BUILDMON_MCP_TOKEN'}"\n`);
  await new Promise<void>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => resolve());
  });
  await running.close();
  return 0;
}
