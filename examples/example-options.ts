/** Which build system layout to write: a FluffOS-like CMake project or a plain recursive-make one. */
export type ExampleShape = 'fluffos' | 'makefile';

/** What to generate. Every field has a default from {@link defaultExampleOptions}. */
export interface ExampleOptions {
  shape: ExampleShape;
  /** Number of packages (static libraries), 1..200. */
  packages: number;
  /** Source files in each package, 1..200. */
  filesPerPackage: number;
  /**
   * Relative compile cost multiplier (1 = default). Scales the template-instantiation work in every
   * file: at cost 1 the heaviest file compiles in about 4 s with 320 MB peak RSS (g++ 12, -O3), and
   * time grows about linearly with cost.
   */
  cost: number;
  /** Same seed, same options: byte-identical project. */
  seed: number;
}

/** Every accepted shape, for validation and help text. */
export const EXAMPLE_SHAPES: readonly ExampleShape[] = ['fluffos', 'makefile'];
/** Upper bound on packages: enough for stress tests, small enough to write in seconds. */
export const MAX_PACKAGES = 200;
/** Upper bound on source files per package. */
export const MAX_FILES_PER_PACKAGE = 200;

/**
 * Defaults sized so that a full build of the fluffos shape takes about 30 s at -j2 (about 50 s at
 * -j1) on a 2-core machine: long enough to watch progress, short enough for a demo.
 */
export function defaultExampleOptions(shape: ExampleShape = 'fluffos'): ExampleOptions {
  return { shape, packages: 8, filesPerPackage: 4, cost: 1, seed: 1 };
}

/** Merges partial options over the defaults and throws an Error naming the first invalid field. */
export function resolveExampleOptions(partial: Partial<ExampleOptions> = {}): ExampleOptions {
  const shape = partial.shape ?? 'fluffos';
  if (!EXAMPLE_SHAPES.includes(shape)) {
    throw new Error(`example shape must be one of ${EXAMPLE_SHAPES.join(', ')}; got ${JSON.stringify(shape)}`);
  }
  const options: ExampleOptions = { ...defaultExampleOptions(shape), ...withoutUndefined(partial), shape };
  requireInteger('packages', options.packages, 1, MAX_PACKAGES);
  requireInteger('filesPerPackage', options.filesPerPackage, 1, MAX_FILES_PER_PACKAGE);
  if (typeof options.cost !== 'number' || !Number.isFinite(options.cost) || options.cost <= 0) {
    throw new Error(`example cost must be a finite number greater than 0; got ${String(options.cost)}`);
  }
  if (typeof options.seed !== 'number' || !Number.isSafeInteger(options.seed)) {
    throw new Error(`example seed must be an integer; got ${String(options.seed)}`);
  }
  return options;
}

function requireInteger(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`example ${name} must be an integer from ${min} to ${max}; got ${String(value)}`);
  }
}

function withoutUndefined(partial: Partial<ExampleOptions>): Partial<ExampleOptions> {
  return Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined));
}
