import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBuildCommand } from '../core/command.js';
import { editCommand, type CommandEdits } from './command-edit.js';

function edit(argv: string[], edits: Partial<CommandEdits>, cmakeGenerator: 'make' | 'ninja' | null = null): string[] | string {
  const parsed = parseBuildCommand(argv, { env: {}, cores: 2, cmakeGenerator });
  assert.ok(parsed.ok);
  const r = editCommand(argv, parsed.info, { jobs: null, target: null, ...edits });
  return r.ok ? r.argv : r.error;
}

/** The key the edited command is remembered under: the edit must mean what it says to the parser too. */
function keyOf(argv: string[], cmakeGenerator: 'make' | 'ninja' | null = null): string {
  const parsed = parseBuildCommand(argv, { env: {}, cores: 2, cmakeGenerator });
  assert.ok(parsed.ok);
  return parsed.info.historyKey;
}

test('jobs and a target go where each driver reads them', () => {
  const cases: Array<[string[], Partial<CommandEdits>, 'make' | 'ninja' | null, string[], string]> = [
    [['make'], { jobs: 4 }, null, ['make', '-j4'], 'all_j4'],
    [['make', '-C', 'build'], { jobs: 2, target: 'package_core' }, null, ['make', '-j2', '-C', 'build', 'package_core'], 'package_core_j2'],
    [['ninja', '-C', 'build'], { jobs: 3 }, null, ['ninja', '-j', '3', '-C', 'build'], 'all_j3'],
    [['cmake', '--build', 'build'], { jobs: 2, target: 'driver' }, 'make', ['cmake', '--build', 'build', '--parallel', '2', '--target', 'driver'], 'driver_j2'],
    [['cmake', '--build', 'build', '--', '-k'], { jobs: 2 }, 'make', ['cmake', '--build', 'build', '--parallel', '2', '--', '-k'], 'all_j2'],
  ];
  for (const [argv, edits, generator, want, key] of cases) {
    assert.deepEqual(edit(argv, edits, generator), want);
    assert.equal(keyOf(want, generator), key);
  }
});

test('a command that already says the same thing is left alone; one that says otherwise is an error naming both', () => {
  assert.deepEqual(edit(['make', '-j2'], { jobs: 2 }), ['make', '-j2']);
  assert.deepEqual(edit(['make', 'core'], { target: 'core' }), ['make', 'core']);
  assert.equal(edit(['make', '-j2'], { jobs: 4 }), 'the command already sets its job count (-j2) and jobs is 4: give only one');
  assert.equal(edit(['ninja', 'core'], { target: 'driver' }), 'the command already names its target (core) and target is driver: give only one');
});

test('replaceJobs (jobs "auto") puts the new count where the last one wins, and the parser reads it back', () => {
  const cases: Array<[string[], 'make' | 'ninja' | null, string[], string]> = [
    [['make', '-j2'], null, ['make', '-j2', '-j3'], 'all_j3'],
    [['make', '-kj2', 'core'], null, ['make', '-kj2', 'core', '-j3'], 'core_j3'],
    [['make', '-j', 'all', '--', 'x'], null, ['make', '-j', 'all', '-j3', '--', 'x'], 'all+x_j3'],
    [['make', '--jobs=8'], null, ['make', '--jobs=8', '-j3'], 'all_j3'],
    [['ninja', '-j2', '-C', 'build'], null, ['ninja', '-j2', '-C', 'build', '-j', '3'], 'all_j3'],
    [['cmake', '--build', 'build', '-j', '2'], 'make', ['cmake', '--build', 'build', '-j', '2', '--parallel', '3'], 'all_j3'],
    [['cmake', '--build', 'build', '--parallel', '8', '--', '-v'], 'ninja', ['cmake', '--build', 'build', '--parallel', '8', '--parallel', '3', '--', '-v'], 'all_j3'],
    [['cmake', '--build', 'build', '--', '-j2'], 'make', ['cmake', '--build', 'build', '--', '-j2', '-j3'], 'all_j3'],
    [['cmake', '--build', 'build', '--', '-j', '2'], 'ninja', ['cmake', '--build', 'build', '--', '-j', '2', '-j3'], 'all_j3'],
  ];
  for (const [argv, generator, want, key] of cases) {
    assert.deepEqual(edit(argv, { jobs: 3, replaceJobs: true }, generator), want, argv.join(' '));
    assert.equal(keyOf(want, generator), key, want.join(' '));
  }
  // The same count, or a command without one, is edited as without replaceJobs.
  assert.deepEqual(edit(['make', '-j3'], { jobs: 3, replaceJobs: true }), ['make', '-j3']);
  assert.deepEqual(edit(['make'], { jobs: 3, replaceJobs: true }), ['make', '-j3']);
  assert.equal(edit(['make', '-j'], { jobs: 4 }), 'the command already sets its job count (unlimited) and jobs is 4: give only one');
  assert.deepEqual(edit(['make', '-j'], { jobs: 4, replaceJobs: true }), ['make', '-j', '-j4']);
});
