import path from 'node:path';
import { defaultExampleOptions, generateExample, type ExampleOptions, type ExampleShape } from '../../../examples/generate.js';
import { BuildmonError } from '../../store/errors.js';
import type { CliCommand, CliContext } from '../command.js';
import { parseOptions, positiveInt } from '../options.js';

const USAGE = `Usage: buildmon example DIR [--shape fluffos|makefile] [--packages N] [--files N] [--cost X] [--seed N] [--json]

Writes a real C/C++ project for trying buildmon out, and prints the commands to configure and
build it.
  fluffos   a CMake project shaped like the FluffOS driver: a code-generation target, then
            src/packages/<name>/ static libraries package_<name> built in parallel, then a driver
  makefile  a hand-written recursive Makefile project (no CMake)
Options:
  --packages N   number of packages (default ${defaultExampleOptions('fluffos').packages})
  --files N      source files per package (default ${defaultExampleOptions('fluffos').filesPerPackage})
  --cost X       compile cost multiplier per file (default 1)
  --seed N       layout and cost seed (default 1)`;

export const exampleCommand: CliCommand = {
  name: 'example',
  usage: USAGE,
  async run(args: string[], ctx: CliContext): Promise<number> {
    const { values, positionals } = parseOptions('example', args, {
      shape: { type: 'string' }, packages: { type: 'string' }, files: { type: 'string' }, cost: { type: 'string' },
      seed: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    });
    if (values.help) return void ctx.stdout.write(USAGE + '\n'), 0;
    if (positionals.length !== 1) throw new BuildmonError('bad-usage', 'example: give exactly one target DIR\nSee: buildmon example --help');
    const shape = (values.shape ?? 'fluffos') as string;
    if (shape !== 'fluffos' && shape !== 'makefile') throw new BuildmonError('bad-usage', `example: --shape must be fluffos or makefile, got '${shape}'`);
    const options: Partial<ExampleOptions> = { shape: shape as ExampleShape };
    const packages = positiveInt('example', 'packages', values.packages as string | undefined);
    const files = positiveInt('example', 'files', values.files as string | undefined);
    const seed = positiveInt('example', 'seed', values.seed as string | undefined);
    if (packages !== undefined) options.packages = packages;
    if (files !== undefined) options.filesPerPackage = files;
    if (seed !== undefined) options.seed = seed;
    if (values.cost !== undefined) {
      const cost = Number(values.cost);
      if (!(cost > 0)) throw new BuildmonError('bad-usage', `example: --cost must be a positive number, got '${String(values.cost)}'`);
      options.cost = cost;
    }
    let result;
    try {
      result = await generateExample(path.resolve(ctx.cwd, positionals[0] as string), options);
    } catch (err) {
      throw new BuildmonError('example-failed', `example: ${(err as Error).message}`, { cause: err });
    }
    if (values.json) {
      ctx.stdout.write(JSON.stringify({ dir: result.dir, shape: result.shape, packages: result.packages, configure_commands: result.configureCommands, build_command: result.buildCommand }) + '\n');
    } else {
      ctx.stdout.write(result.summary.endsWith('\n') ? result.summary : result.summary + '\n');
    }
    return 0;
  },
};
