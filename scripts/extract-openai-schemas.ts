// Extracts the OpenAI schemas the tests validate against into fixtures/openai/ (see DESIGN.md "Testing").
// Run: npx tsx scripts/extract-openai-schemas.ts [path/to/openai-openapi.yaml]
// The source defaults to ../shared/vendor/openai-openapi.yaml; OPENAI_OPENAPI_YAML or the first argument overrides it.
// Output: fixtures/openai/openai-schemas.json ({ attribution, schemas }) and fixtures/openai/LICENSE.
// Tests read only the output, never ../shared.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sourcePath = resolve(
  repoRoot,
  process.argv[2] ?? process.env.OPENAI_OPENAPI_YAML ?? '../shared/vendor/openai-openapi.yaml',
);
const outDir = resolve(repoRoot, 'fixtures/openai');

const SOURCE_URL = 'https://github.com/openai/openai-openapi';

/** The schemas the gateway's responses are checked against; everything they reference comes along. */
const ROOTS = [
  'CreateChatCompletionResponse',
  'CreateChatCompletionStreamResponse',
  'Response',
  'ResponseStreamEvent',
  'ListModelsResponse',
  'Model',
  'DeleteModelResponse',
  'ChatCompletionDeleted',
  'Error',
  'ErrorResponse',
];

/** Known quirks of the vendor spec, recorded in the fixture so a reader of a failing test finds them. */
const QUIRKS = [
  'The spec has no schema for the body of DELETE /responses/{response_id} (its 200 has no content); ' +
    'DeleteModelResponse and ChatCompletionDeleted are the nearest delete shapes.',
  'ResponseStreamEvent is an anyOf over every event type; its discriminator is ignored by ajv, ' +
    'so an unknown type fails with one error per branch.',
  'response.output_text.delta and response.output_text.done require logprobs (send []), although the ' +
    "spec's own x-oaiMeta examples omit it.",
  'OpenAPI `nullable: true` was rewritten at extraction into a type union (null added to any enum) ' +
    "or anyOf [..., { type: 'null' }].",
  "CompoundFilter's $recursiveRef '#' was rewritten to a plain $ref to itself.",
  "Formats 'unixtime' and 'float' are not JSON Schema formats; the test helper accepts any value for them.",
  'OutputTextContent requires logprobs (send []); the Response example in the spec omits it, as do several ' +
    'x-oaiMeta event examples, which are stale in other ways too (missing sequence_number, parallel_tool_calls).',
  'Response.error.code is a closed enum (ResponseErrorCode): a gateway failure must use one of its codes, e.g. server_error.',
  'ResponseUsage requires input_tokens_details.cache_write_tokens, which older OpenAI payloads lack.',
];

/**
 * Places where the vendor schema rejects what the real API sends (and the spec's own examples show).
 * Each is made nullable after extraction; everything else is kept as strict as the vendor wrote it.
 */
const RELAXATIONS: Array<{ schema: string; path: Array<string | number>; why: string }> = [
  {
    schema: 'ModelResponseProperties',
    path: ['properties', 'user'],
    why: 'Response.user is typed string, but the API and the spec examples send "user": null.',
  },
  {
    schema: 'Response',
    path: ['allOf', 2, 'properties', 'usage'],
    why: 'Response.usage is not nullable, but response.created/in_progress/failed carry "usage": null.',
  },
];

const doc = YAML.parse(readFileSync(sourcePath, 'utf8')) as {
  info?: { title?: string; version?: string; license?: { name?: string } };
  components: { schemas: Record<string, Json> };
};
const all = doc.components.schemas;

const REF_PREFIX = '#/components/schemas/';

function refsIn(value: Json, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) refsIn(item, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') {
        if (!child.startsWith(REF_PREFIX)) throw new Error(`unexpected $ref ${child}`);
        out.add(child.slice(REF_PREFIX.length));
      } else {
        refsIn(child, out);
      }
    }
  }
}

function closure(roots: string[]): string[] {
  const seen = new Set<string>();
  const queue = roots.filter((name) => name in all);
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    if (!(name in all)) throw new Error(`schema ${name} is referenced but not defined`);
    seen.add(name);
    const refs = new Set<string>();
    refsIn(all[name]!, refs);
    queue.push(...refs);
  }
  return [...seen].sort();
}

const ANNOTATIONS = new Set(['description', 'title', 'default', 'example', 'examples', 'deprecated']);

/** Rewrites one schema (deeply) so that ajv can compile it inside a `{ $defs }` wrapper. */
function rewrite(value: Json, self: string): Json {
  if (Array.isArray(value)) return value.map((item) => rewrite(item, self));
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' && typeof child === 'string') out.$ref = `#/$defs/${child.slice(REF_PREFIX.length)}`;
    else if (key === '$recursiveRef') out.$ref = `#/$defs/${self}`;
    else if (key === '$recursiveAnchor' || key === 'nullable') continue;
    // Example payloads and x-* extensions are data, not schemas: copy them untouched.
    else if (key === 'example' || key === 'examples' || key === 'default' || key.startsWith('x-')) out[key] = child;
    else out[key] = rewrite(child, self);
  }
  return value.nullable === true ? allowNull(out) : out;
}

function allowNull(schema: JsonObject): JsonObject {
  if (typeof schema.type === 'string' && schema.$ref === undefined) {
    const result: JsonObject = { ...schema, type: [schema.type, 'null'] };
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) result.enum = [...schema.enum, null];
    return result;
  }
  // A $ref (or a schema without a single type) becomes anyOf [schema, null]; annotations stay outside.
  const outer: JsonObject = {};
  const inner: JsonObject = {};
  for (const [key, child] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key) || key.startsWith('x-')) outer[key] = child;
    else inner[key] = child;
  }
  return { ...outer, anyOf: [inner, { type: 'null' }] };
}

const names = closure(ROOTS);
const missing = ROOTS.filter((name) => !(name in all));
const schemas: JsonObject = {};
for (const name of names) schemas[name] = rewrite(all[name]!, name);

for (const { schema, path, why } of RELAXATIONS) {
  let parent: Json = schemas[schema] ?? null;
  for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, Json> | null)?.[step] ?? null;
  const last = path.at(-1)!;
  const target = (parent as Record<string | number, Json> | null)?.[last];
  if (!target || typeof target !== 'object' || Array.isArray(target)) {
    throw new Error(`relaxation target ${schema}/${path.join('/')} not found; update RELAXATIONS`);
  }
  (parent as Record<string | number, Json>)[last] = allowNull(target);
  QUIRKS.push(`Relaxed ${schema}/${path.join('/')} to allow null: ${why}`);
}

const today = new Date().toISOString().slice(0, 10);
const title = doc.info?.title ?? 'OpenAI API';
const version = doc.info?.version ?? 'unknown';
const fixture = {
  attribution:
    `Subset of components.schemas from the ${title} OpenAPI specification, version ${version} ` +
    `(${SOURCE_URL}, openapi.yaml), Copyright (c) OpenAI, licensed under the MIT License (see LICENSE ` +
    `in this directory). Extracted on ${today} by scripts/extract-openai-schemas.ts: the transitive closure ` +
    `of ${ROOTS.filter((name) => name in all).join(', ')}. ` +
    `$refs were rewritten from #/components/schemas/X to #/$defs/X. Modified as described in "quirks".`,
  source: { url: SOURCE_URL, title, version, license: doc.info?.license?.name ?? 'MIT', extracted: today },
  quirks: [...QUIRKS, ...missing.map((name) => `Schema ${name} is not in this version of the spec.`)],
  schemas,
};

const LICENSE = `The files in this directory other than this notice are extracted from the OpenAI OpenAPI
specification (${SOURCE_URL}) and are covered by the following license.

MIT License

Copyright (c) OpenAI

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`;

mkdirSync(outDir, { recursive: true });
writeFileSync(resolve(outDir, 'openai-schemas.json'), `${JSON.stringify(fixture, null, 2)}\n`);
writeFileSync(resolve(outDir, 'LICENSE'), LICENSE);
console.log(`wrote ${names.length} schemas to fixtures/openai/openai-schemas.json from ${sourcePath}`);
if (missing.length > 0) console.log(`not in the spec: ${missing.join(', ')}`);
