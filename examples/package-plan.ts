import type { ExampleOptions } from './example-options.js';
import { createRandom, type Random } from './random.js';

/** One source file to write, with the amount of compile-time work it carries. */
export interface PlannedFile {
  /** File name without extension, unique in the whole project (it also names the C++ entry function). */
  stem: string;
  /** Template-instantiation units; compile time grows about linearly with it. */
  units: number;
  /** True for the few files chosen to be several times heavier than the rest. */
  heavy: boolean;
}

/** One package (static library) and its edges in the dependency DAG, by package name. */
export interface PlannedPackage {
  name: string;
  files: PlannedFile[];
  /** Packages linked with `target_link_libraries(... PUBLIC ...)` (or a make prerequisite) and called from code. */
  links: string[];
  /** Packages that must be built first but are not linked (CMake `add_dependencies`). */
  orderOnly: string[];
}

/** Package names as in the FluffOS driver, bottom of the graph first. */
export const FLUFFOS_PACKAGE_NAMES: readonly string[] = [
  'core', 'sockets', 'crypto', 'math', 'db', 'parser', 'mudlib', 'json', 'compress', 'async',
  'contrib', 'develop', 'external', 'matrix', 'ops', 'sha1', 'trim', 'uids', 'pcre', 'dwlib',
];

const FILE_SUFFIXES: readonly string[] = [
  'efuns', 'util', 'table', 'impl', 'ops', 'io', 'state', 'cache', 'types', 'format', 'hash',
  'buffer', 'queue', 'config', 'debug', 'stats',
];

/** Units for a file of weight 1 at cost 1: about 0.4 s of extra compile time with g++ -O2. */
export const UNITS_PER_WEIGHT = 11;
const LIGHT_WEIGHT_RANGE: readonly [number, number] = [0.5, 1.5];
const HEAVY_WEIGHT_RANGE: readonly [number, number] = [4, 6];
const HEAVY_FILE_FRACTION = 0.1;

/** The seeded shape of a project: names, dependency DAG and per-file cost. Pure and deterministic. */
export function planPackages(options: ExampleOptions): PlannedPackage[] {
  const random = createRandom(options.seed);
  const names = packageNames(options.packages);
  const packages: PlannedPackage[] = names.map((name) => ({
    name,
    files: fileStems(name, options.filesPerPackage).map((stem) => ({ stem, units: 0, heavy: false })),
    links: [],
    orderOnly: [],
  }));
  wireGraph(packages, random);
  assignCosts(packages, options.cost, random);
  return packages;
}

function packageNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => FLUFFOS_PACKAGE_NAMES[i] ?? `extra_${i + 1}`);
}

function fileStems(name: string, count: number): string[] {
  return Array.from({ length: count }, (_, k) => {
    if (k === 0) return name;
    return `${name}_${FILE_SUFFIXES[k - 1] ?? `part${k}`}`;
  });
}

function wireGraph(packages: PlannedPackage[], random: Random): void {
  const core = packages[0]?.name ?? 'core';
  packages.forEach((pkg, i) => {
    if (i === 0) return;
    const earlier = packages.slice(1, i).map((p) => p.name);
    const extra = random.shuffle(earlier).slice(0, random.int(0, Math.min(2, earlier.length)));
    pkg.links.push(...extra);
    if (extra.length === 0 || i <= 2 || random.next() < 0.5) pkg.links.unshift(core);
    const candidates = earlier.filter((name) => !pkg.links.includes(name));
    if (i >= 2 && candidates.length > 0 && random.next() < 0.25) pkg.orderOnly.push(random.pick(candidates));
  });
  ensureOrderOnlyEdge(packages, core);
}

/** Every project of three or more packages has at least one build-order edge without linking. */
function ensureOrderOnlyEdge(packages: PlannedPackage[], core: string): void {
  const last = packages[packages.length - 1];
  if (packages.length < 3 || last === undefined || packages.some((p) => p.orderOnly.length > 0)) return;
  const candidates = packages.slice(1, -1).map((p) => p.name);
  const free = candidates.find((name) => !last.links.includes(name));
  const chosen = free ?? (candidates[0] as string);
  last.links = last.links.filter((name) => name !== chosen);
  if (last.links.length === 0) last.links.push(core);
  last.orderOnly.push(chosen);
}

function assignCosts(packages: PlannedPackage[], cost: number, random: Random): void {
  const totalFiles = packages.reduce((sum, p) => sum + p.files.length, 0);
  let heavyLeft = totalFiles >= 4 ? Math.max(1, Math.round(totalFiles * HEAVY_FILE_FRACTION)) : 0;
  for (const pkg of random.shuffle(packages)) {
    if (heavyLeft === 0) break;
    const take = Math.min(heavyLeft, Math.max(1, Math.ceil(pkg.files.length / 2)));
    for (const file of random.shuffle(pkg.files).slice(0, take)) file.heavy = true;
    heavyLeft -= take;
  }
  for (const pkg of packages) {
    for (const file of pkg.files) {
      const [low, high] = file.heavy ? HEAVY_WEIGHT_RANGE : LIGHT_WEIGHT_RANGE;
      file.units = Math.max(1, Math.round(cost * random.between(low, high) * UNITS_PER_WEIGHT));
    }
  }
}
