import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileApiQuery } from '../../project/cmake-file-api.js';
import { generateExample } from '../../../examples/generate.js';
import { BuildmonError } from '../../store/errors.js';
import type { CliCommand, CliContext } from '../command.js';
import { parseOptions } from '../options.js';
import { runCommand } from './run.js';

const USAGE = `Usage: buildmon demo [DIR] [--ninja]

Writes the FluffOS-shaped example project into DIR (default ./demo-project) unless it is there,
configures it with CMake, and builds it from clean under buildmon. Run it twice: the second build
is predicted from the first.`;

export const demoCommand: CliCommand = {
  name: 'demo',
  usage: USAGE,
  async run(args: string[], ctx: CliContext): Promise<number> {
    const { values, positionals } = parseOptions('demo', args, { ninja: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) return void ctx.stdout.write(USAGE + '\n'), 0;
    const dir = path.resolve(ctx.cwd, positionals[0] ?? 'demo-project');
    const buildDir = path.join(dir, values.ninja ? 'build-ninja' : 'build');
    if (!fs.existsSync(path.join(dir, '.buildmon-example'))) {
      const result = await generateExample(dir, { shape: 'fluffos' });
      ctx.stderr.write(`buildmon demo: wrote ${result.packages.length} packages to ${dir}\n`);
    }
    if (!fs.existsSync(path.join(buildDir, 'CMakeCache.txt'))) {
      ctx.stderr.write(`buildmon demo: configuring ${buildDir}\n`);
      const gen = values.ninja ? ['-G', 'Ninja'] : ['-G', 'Unix Makefiles'];
      // Asked before the first configure, CMake's File API reply describes the packages exactly.
      writeFileApiQuery(buildDir);
      const conf = spawnSync('cmake', ['-S', dir, '-B', buildDir, ...gen], { stdio: ['ignore', 'ignore', 'inherit'], env: ctx.env });
      if (conf.error) throw new BuildmonError('no-cmake', `demo: cannot run cmake (${conf.error.message}); install it (apt-get install cmake)`);
      if (conf.status !== 0) throw new BuildmonError('configure-failed', `demo: cmake configure failed (exit ${conf.status})`);
    }
    ctx.stderr.write(`buildmon demo: buildmon run -- cmake --build ${path.relative(ctx.cwd, buildDir) || '.'} -j 2 --clean-first\n`);
    const code = await runCommand.run(['--', 'cmake', '--build', buildDir, '-j', '2', '--clean-first'], ctx);
    if (code === 0) ctx.stderr.write('buildmon demo: done. Try: buildmon sessions · buildmon history · npm run demo (again, to see the prediction)\n');
    return code;
  },
};
