import type { PlannedFile, PlannedPackage } from './package-plan.js';

/**
 * C++ text of a generated project. Compile cost comes from real work: one template instantiation
 * of a `std::variant` visit per unit, a `std::map` instantiation per six units, a recursive
 * template chain and a constexpr loop, all reachable from an exported function so none of it
 * can be discarded.
 */
export interface CppSources {
  /** `<name>/<name>.h`, relative to the packages include root. */
  header(pkg: PlannedPackage): string;
  /** One `.cc` file; the package's first file also defines `package_<name>_checksum`. */
  source(pkg: PlannedPackage, file: PlannedFile): string;
  /** The driver's `main.cc`, calling every package. */
  driverMain(packages: readonly PlannedPackage[]): string;
  /** The code generator run before any package compiles (like FluffOS's `make_func`). */
  makeDefsTool(): string;
  /** Input of `make_defs`: one package per line. */
  packagesSpec(packages: readonly PlannedPackage[]): string;
}

const VISITS_PER_TABLE = 6;
const CRUNCH_STEPS_PER_UNIT = 4000;
const MAX_CRUNCH_STEPS = 200000;
const MAX_CHAIN_DEPTH = 400;

/** Renders the C++ files; pure functions of the plan. */
export const CPP_SOURCES: CppSources = {
  header: (pkg) =>
    [
      `// Package ${pkg.name}: public entry points.`,
      '#pragma once',
      '',
      `unsigned long package_${pkg.name}_checksum(unsigned long seed);`,
      ...pkg.files.map((file) => `unsigned long ${file.stem}_work(unsigned long seed);`),
      '',
    ].join('\n'),
  source: renderSource,
  driverMain: renderDriverMain,
  makeDefsTool: () => MAKE_DEFS_TOOL,
  packagesSpec: (packages) =>
    ['# One package per line; make_defs turns this list into generated_defs.h.', ...packages.map((p) => p.name), ''].join('\n'),
};

function renderSource(pkg: PlannedPackage, file: PlannedFile): string {
  const isMain = file.stem === pkg.name;
  const includes = isMain ? pkg.links.map((dep) => `#include "${dep}/${dep}.h"`) : [];
  const salt = saltOf(file.stem);
  const tables = Math.ceil(file.units / VISITS_PER_TABLE);
  const depth = Math.min(MAX_CHAIN_DEPTH, 16 + 4 * file.units);
  const steps = Math.min(MAX_CRUNCH_STEPS, CRUNCH_STEPS_PER_UNIT * file.units);
  const lines = [
    `// ${file.stem}.cc: part of package ${pkg.name}.`,
    '#include <cstddef>',
    '#include <map>',
    '#include <string>',
    '#include <type_traits>',
    '#include <utility>',
    '#include <variant>',
    '',
    '#include "generated_defs.h"',
    `#include "${pkg.name}/${pkg.name}.h"`,
    ...includes,
    '',
    TEMPLATE_WORK.replaceAll('@SALT@', String(salt)),
    `constexpr unsigned long kCrunched = crunch(${steps}UL);`,
    '}  // namespace',
    '',
    `unsigned long ${file.stem}_work(unsigned long seed) {`,
    `  return visitAll(seed, std::make_index_sequence<${file.units}>{}) +`,
    `         tableAll(seed, std::make_index_sequence<${tables}>{}) + Chain<${depth}>::value + kCrunched +`,
    `         GEN_PACKAGE_ID_${pkg.name};`,
    '}',
  ];
  if (isMain) lines.push('', ...renderChecksum(pkg));
  return `${lines.join('\n')}\n`;
}

function renderChecksum(pkg: PlannedPackage): string[] {
  return [
    `unsigned long package_${pkg.name}_checksum(unsigned long seed) {`,
    '  unsigned long sum = 0;',
    ...pkg.files.map((file, k) => `  sum += ${file.stem}_work(seed + ${k}UL);`),
    ...pkg.links.map((dep) => `  sum += package_${dep}_checksum(seed) % 1000003UL;`),
    '  return sum;',
    '}',
  ];
}

function renderDriverMain(packages: readonly PlannedPackage[]): string {
  return [
    '// The driver: runs every package once and prints a checksum.',
    '#include <cstdio>',
    '',
    '#include "generated_defs.h"',
    ...packages.map((p) => `#include "${p.name}/${p.name}.h"`),
    '',
    'int main(int argc, char** argv) {',
    '  (void)argv;',
    '  const unsigned long seed = static_cast<unsigned long>(argc);',
    '  unsigned long sum = 0;',
    ...packages.map((p) => `  sum += package_${p.name}_checksum(seed);`),
    '  std::printf("driver: %d packages, checksum %lu\\n", GEN_PACKAGE_COUNT, sum);',
    '  return 0;',
    '}',
    '',
  ].join('\n');
}

/** A stable small number per file so that identical templates in different files still differ. */
function saltOf(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619) >>> 0;
  return (hash % 1000003) + 1;
}

const TEMPLATE_WORK = `namespace {

template <int I>
struct Slot {
  unsigned long value;
  int weight;
};

template <int D>
struct Chain {
  static constexpr unsigned long value = (Chain<D - 1>::value * 48271UL + D) % 2147483647UL;
};
template <>
struct Chain<0> {
  static constexpr unsigned long value = @SALT@UL;
};

constexpr unsigned long crunch(unsigned long steps) {
  unsigned long acc = @SALT@UL;
  for (unsigned long i = 0; i < steps; ++i) acc = (acc * 48271UL + i) % 2147483647UL;
  return acc;
}

template <int I>
__attribute__((noinline)) unsigned long visitSlot(unsigned long seed) {
  std::variant<Slot<I>, int, double, std::string> cell{Slot<I>{seed + I, I % 7}};
  return std::visit(
      [](const auto& held) -> unsigned long {
        using Held = std::decay_t<decltype(held)>;
        if constexpr (std::is_same_v<Held, Slot<I>>) {
          return held.value + static_cast<unsigned long>(held.weight);
        } else if constexpr (std::is_same_v<Held, std::string>) {
          return held.size();
        } else {
          return static_cast<unsigned long>(held);
        }
      },
      cell);
}

template <int I>
__attribute__((noinline)) unsigned long tableSlot(unsigned long seed) {
  std::map<int, Slot<I>> table;
  for (int k = 0; k < 3; ++k) table.emplace(k + static_cast<int>(seed % 5), Slot<I>{seed + k, k});
  unsigned long sum = 0;
  for (const auto& [key, slot] : table) sum += static_cast<unsigned long>(key) * slot.value + slot.weight;
  return sum;
}

template <std::size_t... Is>
unsigned long visitAll(unsigned long seed, std::index_sequence<Is...>) {
  return (0UL + ... + visitSlot<static_cast<int>(Is)>(seed));
}

template <std::size_t... Is>
unsigned long tableAll(unsigned long seed, std::index_sequence<Is...>) {
  return (0UL + ... + tableSlot<static_cast<int>(Is)>(seed));
}
`;

const MAKE_DEFS_TOOL = `// make_defs: turns packages.spec into generated_defs.h, which every package includes.
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: make_defs <packages.spec> <generated_defs.h>\\n";
    return 2;
  }
  std::ifstream spec(argv[1]);
  if (!spec) {
    std::cerr << "make_defs: cannot read " << argv[1] << "\\n";
    return 1;
  }
  std::vector<std::string> names;
  for (std::string line; std::getline(spec, line);) {
    if (!line.empty() && line[0] != '#') names.push_back(line);
  }
  std::ofstream out(argv[2]);
  out << "// Generated by make_defs from packages.spec; do not edit.\\n#pragma once\\n\\n";
  out << "constexpr int GEN_PACKAGE_COUNT = " << names.size() << ";\\n";
  for (std::size_t i = 0; i < names.size(); ++i) {
    out << "constexpr unsigned long GEN_PACKAGE_ID_" << names[i] << " = " << (i + 1) << "UL;\\n";
  }
  out.close();
  if (!out) {
    std::cerr << "make_defs: cannot write " << argv[2] << "\\n";
    return 1;
  }
  std::cout << "[MakeDefs] " << names.size() << " package ids written to " << argv[2] << "\\n";
  return 0;
}
`;
