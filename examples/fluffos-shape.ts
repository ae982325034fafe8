import { CPP_SOURCES } from './cpp-sources.js';
import type { GeneratedPackage, ProjectLayout } from './example-result.js';
import type { PlannedPackage } from './package-plan.js';

const PACKAGES_DIR = 'src/packages';

/**
 * A CMake project laid out like the FluffOS driver: `src/tools/make_defs` generates
 * `build/gen/generated_defs.h` (target `autogen`) before any package compiles, each
 * `src/packages/<name>` is a static library `package_<name>`, and `src/main.cc` links them all
 * into `driver`.
 */
export function fluffosLayout(plan: readonly PlannedPackage[]): ProjectLayout {
  const files = new Map<string, string>();
  files.set('CMakeLists.txt', TOP_CMAKE);
  files.set('src/CMakeLists.txt', srcCmake(plan));
  files.set('src/main.cc', CPP_SOURCES.driverMain(plan));
  files.set('src/tools/make_defs.cc', CPP_SOURCES.makeDefsTool());
  files.set(`${PACKAGES_DIR}/packages.spec`, CPP_SOURCES.packagesSpec(plan));
  files.set(`${PACKAGES_DIR}/CMakeLists.txt`, packagesCmake(plan));
  const packages: GeneratedPackage[] = [];
  for (const pkg of plan) {
    const dir = `${PACKAGES_DIR}/${pkg.name}`;
    files.set(`${dir}/CMakeLists.txt`, packageCmake(pkg));
    files.set(`${dir}/${pkg.name}.h`, CPP_SOURCES.header(pkg));
    for (const file of pkg.files) files.set(`${dir}/${file.stem}.cc`, CPP_SOURCES.source(pkg, file));
    packages.push({
      name: pkg.name,
      dir,
      target: `package_${pkg.name}`,
      sources: pkg.files.map((file) => `${dir}/${file.stem}.cc`),
      dependsOn: [...pkg.links, ...pkg.orderOnly].map((name) => `package_${name}`),
    });
  }
  return { files, packages };
}

const TOP_CMAKE = `cmake_minimum_required(VERSION 3.16)
project(buildmon_example LANGUAGES CXX)

set(CMAKE_CXX_STANDARD 17)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)

if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE Release CACHE STRING "Build type" FORCE)
endif()

add_subdirectory(src)
`;

function srcCmake(plan: readonly PlannedPackage[]): string {
  return `set(GEN_DIR \${CMAKE_BINARY_DIR}/gen)

# Code generation: every package includes generated_defs.h, so every package waits for autogen.
add_executable(make_defs tools/make_defs.cc)
add_custom_command(
  OUTPUT \${GEN_DIR}/generated_defs.h
  COMMAND \${CMAKE_COMMAND} -E make_directory \${GEN_DIR}
  COMMAND make_defs \${CMAKE_CURRENT_SOURCE_DIR}/packages/packages.spec \${GEN_DIR}/generated_defs.h
  DEPENDS make_defs \${CMAKE_CURRENT_SOURCE_DIR}/packages/packages.spec
  COMMENT "[MakeDefs] Generating generated_defs.h"
  VERBATIM)
add_custom_target(autogen DEPENDS \${GEN_DIR}/generated_defs.h)

include_directories(\${GEN_DIR} \${CMAKE_CURRENT_SOURCE_DIR}/packages)

add_subdirectory(packages)

add_executable(driver main.cc)
add_dependencies(driver autogen)
target_link_libraries(driver PRIVATE
${plan.map((p) => `  package_${p.name}\n`).join('')})
`;
}

function packagesCmake(plan: readonly PlannedPackage[]): string {
  return `# One static library per package.\n${plan.map((p) => `add_subdirectory(${p.name})\n`).join('')}`;
}

function packageCmake(pkg: PlannedPackage): string {
  const lines = [
    `add_library(package_${pkg.name} STATIC`,
    ...pkg.files.map((file) => `  ${file.stem}.cc`),
    ')',
    `add_dependencies(package_${pkg.name} autogen)`,
  ];
  if (pkg.links.length > 0) {
    lines.push(`target_link_libraries(package_${pkg.name} PUBLIC ${pkg.links.map((n) => `package_${n}`).join(' ')})`);
  }
  for (const name of pkg.orderOnly) {
    lines.push(`# Built after package_${name}, without linking it.`, `add_dependencies(package_${pkg.name} package_${name})`);
  }
  return `${lines.join('\n')}\n`;
}
