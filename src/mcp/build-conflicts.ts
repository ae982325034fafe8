import fs from 'node:fs';
import os from 'node:os';
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { plural } from '../core/format.js';
import { buildProcesses } from '../run/process-tree.js';
import { toolSchema } from './answer-bounds.js';
import type { McpContext } from './mcp-context.js';
import { groupBuilds, processDetails, readProcRows } from './competing-builds.js';
import { guarded, toolAnswer } from './tool-result.js';

const CLOCK_TICKS_PER_S = 100;

const OUTPUT = toolSchema({
  cores: z.number(),
  load_1m: z.number(),
  others: z.array(z.object({
    pid: z.number(), program: z.string(), command: z.string().nullable(), cwd: z.string().nullable(), running_s: z.number(),
    workers: z.number().describe('Compilers/linkers now'), processes: z.number(),
  })),
  buildmon: z.array(z.object({ session_id: z.string(), processes: z.number() })),
  others_omitted: z.number().optional().describe('Younger builds left out'),
});

/** Other builds listed at most (the oldest first). */
const MAX_OTHERS = 20;

/** build_conflicts: other builds on this machine that compete for its cores, whoever started them (read from /proc). */
export function registerBuildConflicts(server: McpServer, ctx: McpContext): void {
  server.registerTool('build_conflicts', {
    title: 'Competing builds',
    description: 'Other builds on this machine (any user, oldest first) competing for cores, and buildmon\'s own.',
    inputSchema: toolSchema({}),
    outputSchema: OUTPUT,
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, () => guarded(() => {
    ctx.settle();
    const here = os.hostname();
    const ours = new Set<number>();
    const buildmon: { session_id: string; processes: number }[] = [];
    for (const s of ctx.store.sessions.list({ activeOnly: true, limit: 1000 })) {
      if (s.hostname !== here || s.buildPid === null) continue;
      const tree = buildProcesses(s.buildPid, s.buildStart);
      for (const p of tree) ours.add(p.pid);
      buildmon.push({ session_id: s.id, processes: tree.length });
    }
    const uptimeS = readUptimeS();
    const groups = groupBuilds(readProcRows(), ours);
    const others = groups.slice(0, MAX_OTHERS).map((g) => ({
      pid: g.pid, program: g.program, ...processDetails(g.pid), running_s: Math.max(0, Math.round(uptimeS - g.startTicks / CLOCK_TICKS_PER_S)),
      workers: g.workers, processes: g.processes,
    }));
    const omitted = groups.length - others.length;
    const answer = {
      cores: os.availableParallelism(), load_1m: Math.round((os.loadavg()[0] ?? 0) * 100) / 100, others, buildmon,
      ...(omitted > 0 ? { others_omitted: omitted } : {}),
    };
    const lines = [`${groups.length === 0 ? 'no other builds' : plural(groups.length, 'other build')} on this machine · ${answer.cores} cores, load ${answer.load_1m}`,
      ...others.map((o) => `  pid ${o.pid} ${o.command ?? o.program} · ${o.workers} compiling/linking · ${o.running_s}s${o.cwd ? ` · ${o.cwd}` : ''}`),
      ...(omitted > 0 ? [`  (${omitted} younger not listed)`] : []),
      ...(buildmon.length > 0 ? [`buildmon builds running: ${buildmon.map((b) => b.session_id).join(', ')}`] : [])];
    return toolAnswer(answer, lines.join('\n'));
  }));
}

function readUptimeS(): number {
  try {
    return Number(fs.readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  } catch {
    return 0;
  }
}
