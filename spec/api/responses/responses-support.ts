// Responses test support: reading Response objects, and checking payloads against openapi.yaml's schemas (schemas/responses.json) and the official OpenAI ones.
import { AssertionError } from 'chai';
import type { ValidateFunction } from 'ajv';
import { loadContract, SCHEMA_BASE } from '../../../lib/http/contract.js';
import { createAjv } from '../../../lib/http/validate.js';
import { expectOpenAiSchema } from '../../support/openai-schema.js';
import { type Echo, parseEcho } from '../../agents/scripted-agent-config.js';

const compiled = new Map<string, ValidateFunction>();
let ajv: ReturnType<typeof createAjv> | undefined;

/** Validates against `schemas/responses.json#/$defs/<name>`. */
export function expectContract(name: string, value: unknown): void {
  ajv ??= createAjv(loadContract(), false);
  let validate = compiled.get(name);
  if (!validate) {
    validate = ajv.compile({ $ref: `${SCHEMA_BASE}responses.json#/$defs/${name}` });
    compiled.set(name, validate);
  }
  if (!validate(value)) {
    throw new AssertionError(`expected value to match contract ${name}: ${ajv.errorsText(validate.errors)}`, {
      actual: value,
    });
  }
}

/** A stream event: our contract for its type and the official ResponseStreamEvent. */
export function expectStreamEvent(event: { type: string }): void {
  expectContract('ResponseStreamEvent', event);
  expectOpenAiSchema('ResponseStreamEvent', event);
}

/** A Response object: our contract and the official Response. */
export function expectResponse(response: unknown): void {
  expectContract('Response', response);
  expectOpenAiSchema('Response', response);
}

export type { Echo };

/** The text of every message item of a Response. */
export const outputText = (response: any): string =>
  response.output
    .filter((item: { type: string }) => item.type === 'message')
    .flatMap((item: { content: Array<{ text: string }> }) => item.content.map((part) => part.text))
    .join('');

export const echoOf = (response: any): Echo => parseEcho(outputText(response));

/** Everything the agent got in its last prompt, as one string. */
export const promptText = (echo: Echo) => echo.blocks.map((b) => b.text ?? '').join('\n');
