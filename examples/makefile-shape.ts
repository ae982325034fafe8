import { CPP_SOURCES } from './cpp-sources.js';
import type { GeneratedPackage, ProjectLayout } from './example-result.js';
import type { PlannedPackage } from './package-plan.js';

const DEFAULT_CXXFLAGS = '-std=c++17 -O2';

/**
 * A plain recursive-make project: the top-level Makefile generates `gen/generated_defs.h`, runs
 * `$(MAKE) -C lib/<name>` for each library (dependencies expressed as prerequisites, so `-j` builds
 * independent libraries in parallel) and links `program`.
 */
export function makefileLayout(plan: readonly PlannedPackage[]): ProjectLayout {
  const files = new Map<string, string>();
  files.set('Makefile', topMakefile(plan));
  files.set('main.cc', CPP_SOURCES.driverMain(plan));
  files.set('tools/make_defs.cc', CPP_SOURCES.makeDefsTool());
  files.set('packages.spec', CPP_SOURCES.packagesSpec(plan));
  const packages: GeneratedPackage[] = [];
  for (const pkg of plan) {
    const dir = `lib/${pkg.name}`;
    files.set(`${dir}/Makefile`, libMakefile(pkg));
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

function topMakefile(plan: readonly PlannedPackage[]): string {
  const targets = plan.map((p) => `package_${p.name}`);
  const archives = [...plan].reverse().map((p) => `lib/${p.name}/lib${p.name}.a`);
  const rules = plan.map((p) => {
    const prereqs = ['autogen', ...[...p.links, ...p.orderOnly].map((n) => `package_${n}`)].join(' ');
    return `package_${p.name}: ${prereqs}\n\t$(MAKE) -C lib/${p.name}\n`;
  });
  return `# Builds every library under lib/ (independent ones in parallel under -j), then links program.
CXXFLAGS ?= ${DEFAULT_CXXFLAGS}
export CXXFLAGS

PACKAGES := ${targets.join(' ')}
ARCHIVES := ${archives.join(' ')}

.PHONY: all autogen clean $(PACKAGES)

all: program

autogen: gen/generated_defs.h

tools/make_defs: tools/make_defs.cc
\t$(CXX) $(CXXFLAGS) tools/make_defs.cc -o tools/make_defs

gen/generated_defs.h: tools/make_defs packages.spec
\tmkdir -p gen
\t./tools/make_defs packages.spec gen/generated_defs.h

${rules.join('\n')}
main.o: main.cc gen/generated_defs.h
\t$(CXX) $(CXXFLAGS) -Igen -Ilib -c main.cc -o main.o

program: main.o $(PACKAGES)
\t$(CXX) $(CXXFLAGS) main.o $(ARCHIVES) -o program

clean:
${plan.map((p) => `\t$(MAKE) -C lib/${p.name} clean\n`).join('')}\trm -f main.o program tools/make_defs gen/generated_defs.h
`;
}

function libMakefile(pkg: PlannedPackage): string {
  const objects = pkg.files.map((file) => `${file.stem}.o`);
  const depHeaders = pkg.links.map((n) => `../${n}/${n}.h`);
  const mainObjectDeps = depHeaders.length > 0 ? `\n${pkg.name}.o: ${depHeaders.join(' ')}\n` : '';
  return `# Package ${pkg.name}: builds lib${pkg.name}.a.
CXXFLAGS ?= ${DEFAULT_CXXFLAGS}
CPPFLAGS := -I../../gen -I..
OBJS := ${objects.join(' ')}

.PHONY: all clean

all: lib${pkg.name}.a

lib${pkg.name}.a: $(OBJS)
\tar rcs $@ $(OBJS)

%.o: %.cc ${pkg.name}.h ../../gen/generated_defs.h
\t$(CXX) $(CXXFLAGS) $(CPPFLAGS) -c $< -o $@
${mainObjectDeps}
clean:
\trm -f $(OBJS) lib${pkg.name}.a
`;
}
