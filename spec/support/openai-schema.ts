// Validates values against the official OpenAI schemas in fixtures/openai/openai-schemas.json
// (extracted by scripts/extract-openai-schemas.ts; MIT, see fixtures/openai/LICENSE).
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { AssertionError } from 'chai';

interface OpenAiSchemaFixture {
  attribution: string;
  quirks: string[];
  schemas: Record<string, object>;
}

const FIXTURE_URL = new URL('../../fixtures/openai/openai-schemas.json', import.meta.url);
const ROOT_ID = 'https://agent-gateway.test/openai-schemas.json';
const MAX_LISTED_ERRORS = 20;

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as typeof addFormatsModule.default;

let fixture: OpenAiSchemaFixture | undefined;
let ajv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction>();

function loadFixture(): OpenAiSchemaFixture {
  fixture ??= JSON.parse(readFileSync(FIXTURE_URL, 'utf8')) as OpenAiSchemaFixture;
  return fixture;
}

function validatorFor(name: string): ValidateFunction {
  const cached = validators.get(name);
  if (cached) return cached;
  const { schemas } = loadFixture();
  if (!Object.hasOwn(schemas, name)) {
    throw new Error(`no OpenAI schema named ${name}; known: ${openAiSchemaNames().join(', ')}`);
  }
  if (!ajv) {
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    // Not JSON Schema formats: the spec uses them as annotations on numbers.
    ajv.addFormat('unixtime', true);
    ajv.addFormat('float', true);
    ajv.addSchema({ $id: ROOT_ID, $defs: schemas });
  }
  const validate = ajv.getSchema(`${ROOT_ID}#/$defs/${name}`);
  if (!validate) throw new Error(`ajv could not compile OpenAI schema ${name}`);
  validators.set(name, validate);
  return validate;
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(root)' : error.instancePath;
  const params = Object.keys(error.params).length > 0 ? ` ${JSON.stringify(error.params)}` : '';
  return `${where} ${error.message ?? error.keyword}${params} [${error.schemaPath}]`;
}

/** Names of the OpenAI schemas available to {@link expectOpenAiSchema}, sorted. */
export function openAiSchemaNames(): string[] {
  return Object.keys(loadFixture().schemas).sort();
}

/** Throws an AssertionError listing ajv's errors (with instance paths) unless `value` matches the OpenAI schema `name`. */
export function expectOpenAiSchema(name: string, value: unknown): void {
  const validate = validatorFor(name);
  if (validate(value)) return;
  const errors = validate.errors ?? [];
  const listed = errors.slice(0, MAX_LISTED_ERRORS).map((error) => `  ${describeError(error)}`);
  if (errors.length > MAX_LISTED_ERRORS) listed.push(`  … and ${errors.length - MAX_LISTED_ERRORS} more`);
  throw new AssertionError(`expected value to match OpenAI schema ${name}:\n${listed.join('\n')}`, {
    actual: value,
    schema: name,
  });
}
