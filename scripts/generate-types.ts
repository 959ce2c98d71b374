// Writes lib/generated/*.gen.ts from the contract (openapi.yaml) and the config schema. Run: npm run generate.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import { compileFromFile } from 'json-schema-to-typescript';
import openapiTS, { astToString } from 'openapi-typescript';
import { parse } from 'yaml';

const banner = (source: string) => `/* Generated from ${source} by \`npm run generate\`. Do not edit. */\n`;
const root = new URL('../', import.meta.url);

/** The generated files and their content, without writing them (the spec compares them to the committed ones). */
export async function generatedFiles(): Promise<Array<{ path: string; content: string }>> {
  const config = await compileFromFile(fileURLToPath(new URL('schemas/config.schema.json', root)), {
    bannerComment: banner('schemas/config.schema.json'),
    additionalProperties: false,
    style: { singleQuote: true, printWidth: 120 },
  });
  const ast = await openapiTS(new URL('openapi.yaml', root));
  return [
    { path: 'lib/generated/config.gen.ts', content: config },
    { path: 'lib/generated/openapi.gen.ts', content: banner('openapi.yaml') + astToString(ast) },
    { path: 'lib/generated/openapi-json.gen.ts', content: openapiJson() },
  ];
}

/**
 * openapi.yaml as JSON text, with the digest of the YAML it was made from. The contract loader (lib/http/contract.ts)
 * parses this when openapi.yaml still has that digest, and the YAML otherwise: the same document, without loading a
 * YAML parser (and its garbage) at every start.
 */
function openapiJson(): string {
  const yaml = readFileSync(fileURLToPath(new URL('openapi.yaml', root)), 'utf8');
  const doc: unknown = parse(yaml);
  const json = JSON.stringify(doc);
  // Anchors shared between places, dates, non-finite numbers: whatever JSON would not give back as parsed.
  if (!isDeepStrictEqual(JSON.parse(json), doc)) throw new Error('openapi.yaml: not representable as JSON');
  return [
    banner('openapi.yaml').trimEnd(),
    '// openapi.yaml as JSON, for the contract loader (lib/http/contract.ts): used while openapi.yaml has this digest.',
    `export const OPENAPI_YAML_SHA256 = '${createHash('sha256').update(yaml).digest('hex')}';`,
    `export const OPENAPI_JSON = ${JSON.stringify(json)};`,
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const file of await generatedFiles()) writeFileSync(fileURLToPath(new URL(file.path, root)), file.content);
}
