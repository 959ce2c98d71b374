// Writes lib/generated/*.gen.ts from the contract (openapi.yaml) and the config schema. Run: npm run generate.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileFromFile } from 'json-schema-to-typescript';
import openapiTS, { astToString } from 'openapi-typescript';

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
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const file of await generatedFiles()) writeFileSync(fileURLToPath(new URL(file.path, root)), file.content);
}
