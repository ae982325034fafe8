import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaType } from '@modelcontextprotocol/sdk/validation/types.js';
import { createBuildmonServer } from '../src/mcp/server.js';
import { openStore } from '../src/store/store.js';
import { tempDir } from './helpers/cli.js';
import { REPO_ROOT } from './helpers/paths.js';

// The README's MCP section documents every tool: a row in the table and an example answer that the
// SDK client would accept. Tools and schemas come from the real server, so a new tool or a new
// required output field makes this fail until the README shows it.

const HEADING = '## For AI assistants (MCP)';
/** `<details><summary>build_x</summary>`, a blank line, one json fence, a blank line, `</details>`. */
const EXAMPLE = /<details><summary>(\w+)<\/summary>\n\n```json\n([\s\S]*?)\n```\n\n<\/details>/g;

function mcpSection(): string {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n${HEADING}\n`);
  assert.notEqual(start, -1, `README.md has no "${HEADING}" section`);
  const end = readme.indexOf('\n## ', start + HEADING.length + 2);
  return readme.slice(start, end === -1 ? undefined : end);
}

const section = mcpSection();
/** Every example block: the tool its summary names and the JSON text of its fence. */
const examples = [...section.matchAll(EXAMPLE)].map((m) => ({ tool: m[1] as string, json: m[2] as string }));
const root = fs.realpathSync(tempDir('buildmon-readme-'));
const store = openStore(path.join(root, 'home'));
const client = new Client({ name: 'readme-test', version: '1.0.0' });
let tools: Tool[] = [];
let cleanup = (): void => undefined;

before(async () => {
  const made = createBuildmonServer({ store, env: {}, cwd: root, roots: [root], allowTools: [], version: '0.0.0' });
  cleanup = made.cleanup;
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([made.server.connect(serverSide), client.connect(clientSide)]);
  tools = (await client.listTools()).tools;
});

after(async () => {
  await client.close();
  cleanup();
  store.close();
});

const names = (): string[] => tools.map((t) => t.name).sort();

/** The tool's outputSchema, as tools/list gives it. */
function outputSchema(name: string): JsonSchemaType {
  const schema = tools.find((t) => t.name === name)?.outputSchema;
  assert.ok(schema, `${name} has no outputSchema`);
  return schema as JsonSchemaType;
}

/** Checks a value the way the SDK client checks a tool's structuredContent. */
function check(schema: JsonSchemaType, value: unknown): { valid: boolean; errorMessage?: string } {
  return new AjvJsonSchemaValidator().getValidator(schema)(value);
}

test('the MCP table has one row per tool that tools/list gives', () => {
  assert.equal(names().length, 13);
  const table = section.split('\n').filter((l) => l.startsWith('| `')).map((l) => /^\| `(\w+)` \|/.exec(l)?.[1]);
  assert.deepEqual(table.sort(), names());
});

test('the README has exactly one example answer per tool, each in a well-formed block', () => {
  assert.equal((section.match(/<details>/g) ?? []).length, examples.length, 'a <details> block does not have the expected layout');
  assert.deepEqual(examples.map((e) => e.tool).sort(), names());
});

test('every example answer is one the SDK client accepts: it validates against its tool\'s outputSchema', () => {
  assert.equal(examples.length, names().length);
  for (const e of examples) {
    const value: unknown = JSON.parse(e.json);
    const result = check(outputSchema(e.tool), value);
    assert.equal(result.valid, true, `${e.tool}: ${result.errorMessage}`);
  }
});

test('the check fails for an example that lacks a required field, as it would once a tool gains one', () => {
  assert.equal(examples.length, names().length);
  for (const e of examples) {
    const schema = outputSchema(e.tool) as { required?: string[]; properties?: Record<string, unknown> };
    const value = JSON.parse(e.json) as Record<string, unknown>;
    assert.ok((schema.required ?? []).length > 0, `${e.tool} requires no field`);
    for (const field of schema.required ?? []) {
      const { [field]: _, ...without } = value;
      assert.match(check(schema as JsonSchemaType, without).errorMessage ?? 'valid', new RegExp(`must have required property '${field}'`), e.tool);
    }
    const grown = { ...schema, properties: { ...schema.properties, new_field: { type: 'number' } }, required: [...(schema.required ?? []), 'new_field'] };
    assert.equal(check(grown as JsonSchemaType, value).errorMessage, "data must have required property 'new_field'", e.tool);
  }
});
