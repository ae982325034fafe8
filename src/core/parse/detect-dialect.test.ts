import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectDialect } from './index.js';

test('the command decides when it can', () => {
  assert.equal(detectDialect({ tool: 'ninja' }, ['[ 10%] Building C object x.o']), 'ninja');
  assert.equal(detectDialect({ tool: 'cmake', cmakeGenerator: 'ninja' }), 'ninja');
  assert.equal(detectDialect({ tool: 'cmake', cmakeGenerator: 'make' }), 'cmake-make');
  assert.equal(detectDialect({ tool: 'make', cmakeGenerator: 'make' }), 'cmake-make');
});

test('otherwise the first lines decide', () => {
  assert.equal(detectDialect({ tool: 'make' }, ['[  0%] Building C object lib/CMakeFiles/z.dir/a.c.o']), 'cmake-make');
  assert.equal(detectDialect({ tool: 'make' }, ["make[1]: Entering directory '/p'", 'g++ -c a.cc -o a.o']), 'gnu-make');
  assert.equal(detectDialect({ tool: 'unknown' }, ['[1/5] Building CXX object CMakeFiles/fmt.dir/src/os.cc.o']), 'ninja');
  assert.equal(detectDialect({}, ['ninja: no work to do.']), 'ninja');
  assert.equal(detectDialect({ tool: 'cmake' }, ['Scanning dependencies of target fmt']), 'cmake-make');
});

test('with nothing to go on: cmake means its Makefiles, anything else plain make', () => {
  assert.equal(detectDialect({ tool: 'cmake' }, ['-- Configuring done']), 'cmake-make');
  assert.equal(detectDialect({ tool: 'make' }), 'gnu-make');
  assert.equal(detectDialect({}, []), 'gnu-make');
  assert.equal(detectDialect({ cmakeGenerator: 'ninja' }), 'ninja');
});
