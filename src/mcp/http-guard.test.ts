import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRequest, generateToken, tokenMatches, type GuardedRequest } from './http-guard.js';

const OPTS = { port: 7420, token: 'k'.repeat(43), allowOrigins: ['http://localhost:3000'] };
const AUTH = { authorization: `Bearer ${'k'.repeat(43)}` };

function req(headers: GuardedRequest['headers'], method = 'POST', url = '/mcp'): GuardedRequest {
  return { method, url, headers };
}

test('a local client with the token passes; the Host is checked before anything else', () => {
  assert.equal(checkRequest(req({ host: '127.0.0.1:7420', ...AUTH }), OPTS), null);
  assert.equal(checkRequest(req({ host: 'LOCALHOST:7420', ...AUTH }, 'GET', '/mcp?x=1'), OPTS), null);
  assert.equal(checkRequest(req({ host: 'localhost:7420', origin: 'http://localhost:7420', ...AUTH }, 'DELETE'), OPTS), null);
  assert.equal(checkRequest(req({ host: 'localhost:7420', origin: 'http://localhost:3000', ...AUTH }), OPTS), null);
  // A rebinding page reaches 127.0.0.1 under its own name: refused even with the token and a good path.
  assert.deepEqual(checkRequest(req({ host: 'evil.example:7420', ...AUTH }), OPTS), {
    status: 403,
    message: "refused: Host 'evil.example:7420' is not this server: buildmon mcp --http answers only 127.0.0.1:7420 and localhost:7420 (DNS-rebinding protection). Connect to http://127.0.0.1:7420/mcp.",
  });
  assert.equal(checkRequest(req({ host: '127.0.0.1:80', ...AUTH }), OPTS)?.status, 403);
  assert.match(checkRequest(req({ ...AUTH }), OPTS)?.message ?? '', /^refused: Host \(none\) is not this server/);
});

test('another site\'s Origin is refused with the option that allows it; no Origin (not a browser) is fine', () => {
  assert.deepEqual(checkRequest(req({ host: '127.0.0.1:7420', origin: 'https://evil.example', ...AUTH }), OPTS), {
    status: 403,
    message: "refused: Origin 'https://evil.example' is not allowed (allowed: http://127.0.0.1:7420, http://localhost:7420, http://localhost:3000). To allow it, start the server with --allow-origin https://evil.example.",
  });
  assert.equal(checkRequest(req({ host: '127.0.0.1:7420', origin: 'null', ...AUTH }), OPTS)?.status, 403);
});

test('a missing or wrong token is a 401 with a Bearer challenge; the path and method come after the Host and Origin', () => {
  const missing = checkRequest(req({ host: '127.0.0.1:7420' }), OPTS);
  assert.deepEqual([missing?.status, missing?.headers], [401, { 'WWW-Authenticate': 'Bearer realm="buildmon"' }]);
  assert.match(missing?.message ?? '', /^refused: no bearer token\. Send the header "Authorization: Bearer TOKEN"/);
  for (const authorization of ['Bearer wrong', `Basic ${'k'.repeat(43)}`, `Bearer ${'k'.repeat(42)}`, `Bearer ${'k'.repeat(43)} extra`]) {
    const wrong = checkRequest(req({ host: '127.0.0.1:7420', authorization }), OPTS);
    assert.deepEqual([wrong?.status, wrong?.headers?.['WWW-Authenticate']], [401, 'Bearer realm="buildmon", error="invalid_token"'], authorization);
  }
  assert.equal(checkRequest(req({ host: '127.0.0.1:7420', authorization: `bearer   ${'k'.repeat(43)}` }), OPTS), null);
  assert.deepEqual(checkRequest(req({ host: '127.0.0.1:7420', ...AUTH }, 'POST', '/'), OPTS),
    { status: 404, message: "not found: buildmon's MCP endpoint is /mcp" });
  assert.equal(checkRequest(req({ host: '127.0.0.1:7420', ...AUTH }, 'PUT'), OPTS)?.status, 405);
  // A CORS preflight carries no credentials; it is answered once Host, Origin and path pass.
  assert.equal(checkRequest(req({ host: '127.0.0.1:7420', origin: 'http://localhost:3000' }, 'OPTIONS'), OPTS), null);
  assert.equal(checkRequest(req({ host: '127.0.0.1:7420', origin: 'http://evil.example' }, 'OPTIONS'), OPTS)?.status, 403);
});

test('generated tokens are 43 base64url characters and differ; comparison is exact', () => {
  const [a, b] = [generateToken(), generateToken()];
  assert.match(a, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a, b);
  assert.deepEqual([tokenMatches(a, a), tokenMatches(a, b), tokenMatches('', a), tokenMatches(a.slice(0, 42), a)], [true, false, false, false]);
});
