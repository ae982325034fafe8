import path from 'node:path';
import { resolveExampleOptions, type ExampleOptions, type ExampleShape } from './example-options.js';
import type { ExampleResult } from './example-result.js';
import { fluffosLayout } from './fluffos-shape.js';
import { makefileLayout } from './makefile-shape.js';
import { planPackages, type PlannedPackage } from './package-plan.js';
import { prepareExampleDir, writeProjectFiles } from './project-dir.js';

export { defaultExampleOptions } from './example-options.js';
export type { ExampleOptions, ExampleShape } from './example-options.js';
export type { ExampleResult, GeneratedPackage } from './example-result.js';

/**
 * Writes a real C/C++ project into `dir` (created if missing) for tests, benchmarks and the demo.
 * Output is a pure function of the options: the same seed gives a byte-identical tree. Throws when
 * an option is invalid or when `dir` is a non-empty directory the generator did not write.
 */
export async function generateExample(dir: string, options: Partial<ExampleOptions> = {}): Promise<ExampleResult> {
  const resolved = resolveExampleOptions(options);
  const root = path.resolve(dir);
  const plan = planPackages(resolved);
  const layout = resolved.shape === 'fluffos' ? fluffosLayout(plan) : makefileLayout(plan);
  const commands = buildCommands(resolved.shape, root);
  const relative = buildCommands(resolved.shape, '.');
  layout.files.set('README.md', describe(resolved, plan, relative, '.'));
  await prepareExampleDir(root);
  await writeProjectFiles(root, markerText(resolved), layout.files);
  return {
    dir: root,
    shape: resolved.shape,
    packages: layout.packages,
    configureCommands: commands.configure,
    buildCommand: commands.build,
    summary: describe(resolved, plan, commands, root),
  };
}

interface Commands {
  configure: string[][];
  build: string[];
  run: string[];
}

function buildCommands(shape: ExampleShape, root: string): Commands {
  const at = (relative: string): string => (root === '.' ? relative : path.join(root, relative));
  const program = (relative: string): string => (root === '.' ? `./${relative}` : path.join(root, relative));
  if (shape === 'makefile') return { configure: [], build: ['make', '-C', root, '-j2'], run: [program('program')] };
  return {
    configure: [['cmake', '-S', root, '-B', at('build')]],
    build: ['cmake', '--build', at('build'), '-j', '2'],
    run: [program('build/src/driver')],
  };
}

function describe(options: ExampleOptions, plan: readonly PlannedPackage[], commands: Commands, root: string): string {
  const files = plan.flatMap((p) => p.files);
  const heavy = files.filter((f) => f.heavy).map((f) => f.stem);
  const edges = (p: PlannedPackage): string =>
    [...p.links.map((n) => `package_${n}`), ...p.orderOnly.map((n) => `package_${n} (order only)`)].join(', ');
  return [
    `# buildmon example project (${options.shape})`,
    '',
    `${root === '.' ? 'This project has' : `Written to ${root}:`} ${plan.length} packages x ` +
      `${options.filesPerPackage} files (${files.length} sources), seed ${options.seed}, cost ${options.cost}.`,
    `Heavier files: ${heavy.length > 0 ? heavy.join(', ') : 'none'}.`,
    'Packages (target <- depends on):',
    ...plan.map((p) => `  package_${p.name} <- ${edges(p) || '(none)'}`),
    '',
    ...commands.configure.map((argv) => `Configure: ${shellJoin(argv)}`),
    `Build:     ${shellJoin(commands.build)}`,
    `Run:       ${shellJoin(commands.run)}`,
    '',
  ].join('\n');
}

function shellJoin(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`)).join(' ');
}

function markerText(options: ExampleOptions): string {
  return `buildmon example project\nshape: ${options.shape}\nseed: ${options.seed}\n`;
}
