// Writes lib/generated/*.gen.ts from the contract (openapi.yaml) and the config schema. Run: npm run generate.
import { writeFileSync } from 'node:fs';
import { compileFromFile } from 'json-schema-to-typescript';
import openapiTS, { astToString } from 'openapi-typescript';

const banner = (source: string) => `/* Generated from ${source} by \`npm run generate\`. Do not edit. */\n`;

const config = await compileFromFile('schemas/config.schema.json', {
  bannerComment: banner('schemas/config.schema.json'),
  additionalProperties: false,
  style: { singleQuote: true, printWidth: 120 },
});
writeFileSync('lib/generated/config.gen.ts', config);

const ast = await openapiTS(new URL('../openapi.yaml', import.meta.url));
writeFileSync('lib/generated/openapi.gen.ts', banner('openapi.yaml') + astToString(ast));
