import path from 'node:path';
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { formatDuration, formatEta } from '../core/format.js';
import { joinShellWords, splitShellWords } from '../core/shell-words.js';
import { launchPlannedSession, planBuild, type PlannedBuild, type StartedSession } from '../run/session-manager.js';
import { jobAdviceFor } from '../run/job-advice-report.js';
import type { McpContext } from './mcp-context.js';
import { checkTargetWord } from './args-check-context.js';
import { checkBuildArgs } from './build-args-check.js';
import { describeJobs, editCommand } from './command-edit.js';
import { planConfigure, type ConfigureStep } from './configure-step.js';
import { checkInsideRoots } from './safety.js';
import { startConfiguredSession } from './start-configured.js';
import { isActive } from './session-view.js';
import { guarded, toolAnswer, toolRefusal } from './tool-result.js';
import { toolSchema } from './answer-bounds.js';

const INPUT = {
  command: z.union([z.array(z.string()).min(1), z.string().min(1)])
    .describe('argv array, or a string split like a shell (never run by one): "make -j4", "cmake --build build"'),
  cwd: z.string().describe('Directory to run it in, inside the allowed roots'),
  target: z.string().optional().describe('Target to build, added to the command (cmake: --target)'),
  jobs: z.union([z.number().int().min(1).max(1024), z.literal('auto')]).optional()
    .describe('Adds -j N; "auto": the advised count (build_optimal_jobs)'),
  configure: z.boolean().optional().describe('Configure with CMake first when the build dir has no cache (cwd = source dir)'),
  force: z.boolean().optional().describe('Start beside a running build of the same build directory'),
  env: z.record(z.string(), z.string()).optional().describe('Environment variables for the build; only names the server allows (--allow-env)'),
};

const OUTPUT = {
  session_id: z.string(),
  build_history_key: z.string(),
  command: z.string(),
  cwd: z.string(),
  project_dir: z.string(),
  jobs: z.number().nullable(),
  configure: z.string().nullable().describe('The configure command run first, if any'),
  predicted_ms: z.number().nullable(),
  prediction_samples: z.number(),
  confidence: z.number(),
  prediction_basis: z.enum(['same-jobs', 'scaled', 'legacy', 'none']).describe('scaled: from other -j'),
  eta: z.string().nullable(),
  optimal_job_count: z.number().nullable(),
  recommendations: z.array(z.string()),
  notes: z.array(z.string()),
};

type Input = {
  command: string[] | string; cwd: string; target?: string; jobs?: number | 'auto'; configure?: boolean; force?: boolean; env?: Record<string, string>;
};

/** build_start: validates, refuses what is not allowed, and hands the build to a detached runner; answers at once. */
export function registerBuildStart(server: McpServer, ctx: McpContext): void {
  server.registerTool('build_start', {
    title: 'Start a build',
    description: 'Start a make/cmake/ninja build in the background; returns at once with session_id, prediction and advice. ' +
      'Then build_status, build_wait, build_errors.',
    inputSchema: toolSchema(INPUT),
    outputSchema: toolSchema(OUTPUT),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  }, (args, extra) => guarded(() => startBuild(ctx, args, extra.requestId)));
}

async function startBuild(ctx: McpContext, input: Input, requestId?: string | number): Promise<CallToolResult> {
  let argv: string[];
  if (typeof input.command === 'string') {
    const split = splitShellWords(input.command);
    if (!split.ok) return toolRefusal(`refused: ${split.error}`);
    argv = split.words;
  } else argv = input.command;
  if (argv.length === 0) return toolRefusal('refused: empty command; e.g. "make -j4"');
  const notAllowed = ctx.policy.checkCommand(argv) ?? (input.target === undefined ? null : checkTargetWord(input.target)) ??
    (input.env === undefined ? null : ctx.policy.checkEnv(input.env));
  if (notAllowed) return toolRefusal(notAllowed);
  const env: NodeJS.ProcessEnv = input.env === undefined ? ctx.env : { ...ctx.env, ...input.env };
  const cwd = path.resolve(ctx.cwd, input.cwd);
  const roots = await ctx.roots(requestId);
  const outside = checkInsideRoots(cwd, roots);
  if (outside) return toolRefusal(outside);

  const notes: string[] = [];
  let plan = planBuild({ argv, cwd, env });
  let jobs = typeof input.jobs === 'number' ? input.jobs : null;
  if (input.jobs === 'auto') {
    const target = input.target ?? plan.info.target;
    const advised = jobAdviceFor(ctx.store, plan.projectDir, { target }, ctx.now()).report.optimal_job_count;
    jobs = advised;
    const replaced = advised !== null && plan.info.jobsSource === 'flag' && plan.info.jobs !== advised;
    notes.push(advised === null
      ? `jobs "auto": no advice for ${target} here yet (build it at two job counts first), so the command's own job count is used`
      : `jobs "auto": -j${advised}${replaced ? ` instead of the command's ${describeJobs(plan.info)}` : ''}, the advised job count for ${target} on this machine`);
  }
  if (jobs !== null || input.target !== undefined) {
    const edited = editCommand(plan.argv, plan.info, { jobs, target: input.target ?? null, replaceJobs: input.jobs === 'auto' });
    if (!edited.ok) return toolRefusal(`refused: ${edited.error}`);
    plan = planBuild({ argv: edited.argv, cwd, env });
  }
  const buildDirOutside = checkInsideRoots(plan.projectDir, roots, 'build directory');
  if (buildDirOutside) return toolRefusal(buildDirOutside);
  let step: ConfigureStep | null = null;
  if (input.configure) {
    const configured = planConfigure(plan, env);
    if (!configured.ok) return toolRefusal(`refused: ${configured.error}`);
    step = configured.step;
    plan = configured.plan;
    if (step === null) notes.push('configure: the build directory is already configured; only the build runs');
  }
  const generator = plan.info.driver === 'cmake' && (plan.info.tool === 'make' || plan.info.tool === 'ninja') ? plan.info.tool : null;
  const badArgs = checkBuildArgs(plan.argv, { cwd: plan.cwd, roots, generator, allowedTools: ctx.policy.allowedTools, allowedMakeVars: ctx.policy.allowedMakeVars });
  if (badArgs) return toolRefusal(badArgs);
  if (jobs !== null && plan.info.jobs !== jobs) {
    return toolRefusal(`refused: could not set ${jobs} jobs on '${joinShellWords(plan.argv)}' (it would run with ${describeJobs(plan.info)}). ` +
      `Write the job count into the command itself (e.g. -j${jobs}), or leave jobs out.`);
  }

  const busy = runningIn(ctx, plan);
  if (busy && !input.force) return toolRefusal(busy);
  const started: StartedSession = step === null
    ? await launchPlannedSession(ctx.store, plan, env, null, ctx.now())
    : await startConfiguredSession(ctx.store, plan, step, env, ctx.now());
  const { session, prediction: p, advice } = started;
  const answer = {
    session_id: session.id, build_history_key: session.historyKey, command: joinShellWords(session.command), cwd: session.cwd,
    project_dir: session.projectDir, jobs: session.jobs, configure: step === null ? null : joinShellWords(step.argv),
    predicted_ms: p.totalMs, prediction_samples: p.samples, confidence: p.confidence, prediction_basis: p.basis,
    eta: p.totalMs !== null ? formatEta(p.totalMs, session.startedMs) : null,
    optimal_job_count: advice.optimalJobCount, recommendations: advice.recommendations, notes,
  };
  const expected = p.totalMs !== null
    ? `expected ${formatDuration(p.totalMs)} (eta ${answer.eta}; ${lowerFirst(p.explanation)}, confidence ${p.confidence.toFixed(2)})`
    : 'no history for this target yet';
  const text = [`started ${session.id} · ${session.historyKey} · ${answer.command} in ${session.cwd} · ${expected}`,
    ...(step ? [`configure first: ${answer.configure}`] : []), ...notes, ...advice.recommendations.filter((r) => r.startsWith('Warning: '))].join('\n');
  return toolAnswer(answer, text);
}

/** A refusal naming the session already building in the same build directory, or null. */
function runningIn(ctx: McpContext, plan: PlannedBuild): string | null {
  ctx.settle();
  const other = ctx.store.sessions.list({ activeOnly: true, limit: 1000 }).find((s) => s.projectDir === plan.projectDir && isActive(s));
  if (!other) return null;
  return `refused: session ${other.id} is already building ${plan.projectDir} (${joinShellWords(other.command)}, ` +
    `${other.status} for ${formatDuration(ctx.now() - other.startedMs)}). Wait for it (build_wait), cancel it (build_cancel), ` +
    'or pass force:true to start another build there anyway.';
}

/** `Predicted for …` as it reads inside a sentence. */
function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
