import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { homeLayout, resolveHome } from './home.js';

test('home: BUILDMON_HOME, then XDG_STATE_HOME/buildmon, then ~/.local/state/buildmon', () => {
  assert.equal(resolveHome({ BUILDMON_HOME: '/data/bm', XDG_STATE_HOME: '/xdg' }), '/data/bm');
  assert.equal(resolveHome({ XDG_STATE_HOME: '/xdg' }), '/xdg/buildmon');
  assert.equal(resolveHome({}), path.join(os.homedir(), '.local', 'state', 'buildmon'));
  assert.equal(resolveHome({ BUILDMON_HOME: 'rel' }), path.resolve('rel'));
  assert.deepEqual(homeLayout('/h'), { home: '/h', dbPath: '/h/buildmon.db', logsDir: '/h/logs' });
});
