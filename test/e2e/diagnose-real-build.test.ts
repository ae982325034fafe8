import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { generateExample } from '../../examples/generate.js';
import { runCli, showJson, tempDir, tempHome } from '../helpers/cli.js';

interface JsonDiagnostic {
  severity: string; tool: string; file: string | null; line: number | null; column: number | null; message: string;
  package: string | null; category: string; text: string;
}
interface JsonPackage { name: string; status: string; reason: string | null; files_done: number; files_total: number | null; errors: number }

function ascii(text: string): string {
  return text.replace(/[‘’]/g, "'");
}

const BROKEN_LINE = 'int buildmon_broken() { return 1 }';
const MISSING = 'int buildmon_missing_symbol(int);\nint main() { return buildmon_missing_symbol(2); }\n';

/**
 * A generated FluffOS-shaped project with two faults in packages that do not depend on each other:
 * a syntax error in one package's source, and a call to a function nobody defines in a small
 * executable linked against another package. Built for real with `make -k -j2`, so both faults are
 * reached while parallel jobs interleave their output.
 */
for (const generator of ['Unix Makefiles', 'Ninja'] as const) {
  test(`a real -j2 build (${generator}) with a syntax error and a missing symbol yields exactly those two errors, attributed`, async () => {
    const root = tempDir();
    const example = await generateExample(path.join(root, 'proj'), { shape: 'fluffos', packages: 3, filesPerPackage: 2, cost: 0.3, seed: 7 });
    const dependedOn = new Set(example.packages.flatMap((p) => p.dependsOn));
    const bottom = example.packages.find((p) => p.dependsOn.length === 0)!;
    const top = example.packages.find((p) => !dependedOn.has(p.target) && p !== bottom && !p.dependsOn.includes(bottom.target))
      ?? example.packages.find((p) => !dependedOn.has(p.target) && p !== bottom)!;
    // The broken package must not be needed by the checker's package.
    assert.ok(!bottom.dependsOn.includes(top.target));

    const brokenFile = path.join(example.dir, top.sources[0]!);
    const brokenText = fs.readFileSync(brokenFile, 'utf8');
    fs.writeFileSync(brokenFile, `${brokenText}${BROKEN_LINE}\n`);
    // The text ends with a newline, so the appended line's number is the count of pieces.
    const brokenLine = brokenText.split('\n').length;
    const bottomDir = path.join(example.dir, bottom.dir);
    fs.writeFileSync(path.join(bottomDir, 'check.cc'), MISSING);
    fs.appendFileSync(path.join(bottomDir, 'CMakeLists.txt'),
      `add_executable(${bottom.name}_check check.cc)\ntarget_link_libraries(${bottom.name}_check PRIVATE ${bottom.target})\n`);

    const build = path.join(example.dir, 'build');
    const conf = spawnSync('cmake', ['-S', example.dir, '-B', build, '-G', generator, '-DCMAKE_BUILD_TYPE=Debug'], { encoding: 'utf8' });
    assert.equal(conf.status, 0, conf.stderr);
    const argv = generator === 'Ninja' ? ['ninja', '-k', '0', '-j2'] : ['make', '-k', '-j2'];
    const home = tempHome();
    const r = runCli(['run', '--quiet', '--', ...argv], { home, cwd: build });
    assert.notEqual(r.code, 0);
    const listed = runCli(['sessions', '--json', '--limit', '1'], { home });
    const id = (JSON.parse(listed.stdout.toString('utf8')) as Array<{ id: string }>)[0]!.id;
    const s = showJson(home, id);
    assert.equal(s.status, 'failed');
    const diagnostics = s.diagnostics as JsonDiagnostic[];
    const errors = diagnostics.filter((d) => d.severity === 'error' || d.severity === 'fatal');
    assert.equal(s.error_count, 2);
    assert.deepEqual(
      errors.map((d) => [d.tool, d.file, d.line, d.package, d.category]).sort(),
      [
        ['compiler', brokenFile, brokenLine, top.target, 'syntax'],
        ['linker', path.join(bottomDir, 'check.cc'), 2, `${bottom.name}_check`, 'undefined-reference'],
      ].sort(),
    );
    const syntax = errors.find((d) => d.tool === 'compiler')!;
    // gcc quotes with ‘ ’ under a UTF-8 locale and with ' ' under C.
    assert.equal(ascii(syntax.message), "expected ';' before '}' token");
    assert.equal(syntax.column, BROKEN_LINE.indexOf(' }') + 1);
    assert.ok(syntax.text.includes(BROKEN_LINE), syntax.text);
    const link = errors.find((d) => d.tool === 'linker')!;
    assert.equal(ascii(link.message), "undefined reference to `buildmon_missing_symbol(int)'");
    assert.ok(link.text.includes('collect2: error: ld returned 1 exit status'), link.text);

    const packages = new Map((s.packages as JsonPackage[]).map((p) => [p.name, p]));
    assert.equal(packages.get(top.target)?.status, 'failed');
    assert.equal(packages.get(top.target)?.errors, 1);
    assert.equal(packages.get(`${bottom.name}_check`)?.status, 'failed');
    assert.equal(packages.get(bottom.target)?.status, 'completed');
    assert.equal(packages.get(bottom.target)?.files_done, bottom.sources.length);
    assert.equal(packages.get(bottom.target)?.files_total, bottom.sources.length);
    // Make waits for driver's libraries before compiling it; ninja compiles main.cc early, then stops.
    const driver = packages.get('driver')!;
    assert.deepEqual([driver.status, driver.errors, driver.reason], generator === 'Ninja'
      ? ['failed', 0, 'stopped: the build ended before it finished']
      : ['queued', 0, 'not built: the build stopped first']);
  });
}
