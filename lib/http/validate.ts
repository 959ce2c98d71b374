// One validator per operation and part (path, query, headers, body), compiled on the operation's first request;
// checks requests.
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type AddFormats from 'ajv-formats';
import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../errors.js';
import { booleanBodyFields, coerceBoolish } from './boolish-fields.js';
import type { Contract, JsonSchema, OperationSpec, ParameterSpec } from './contract.js';

export interface ValidatedInput {
  params: Record<string, string>;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  body: unknown;
}

/** What a validator reads of a request: the parts the door gathered. */
export interface RequestParts {
  body: unknown;
  query: Record<string, unknown>;
  headers: IncomingHttpHeaders;
}

export type RequestValidator = (req: RequestParts, pathValues: string[]) => ValidatedInput;

const require = createRequire(import.meta.url);

/**
 * One ajv per coercion mode: strings on the wire for params/query/headers, never for bodies. `validateSchemas`
 * (default) checks each schema against the JSON Schema meta-schema as it is added or compiled: a check of the
 * contract's files, not of requests (the compiled validators are the same), that costs the meta-schema's own
 * compilation (over 100 ms).
 */
export function createAjv(contract: Contract, coerceTypes: boolean, validateSchemas = true): Ajv2020 {
  // ajv and ajv-formats are CommonJS: required here, synchronously, the first time an instance is built.
  const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const addFormats = require('ajv-formats') as typeof AddFormats;
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    coerceTypes,
    removeAdditional: false,
    useDefaults: false,
    validateSchema: validateSchemas,
  });
  addFormats.default(ajv);
  for (const schema of contract.schemaFiles) ajv.addSchema(schema);
  return ajv;
}

export interface RequestValidatorOptions {
  /**
   * Operations whose `type: boolean` body fields are bool-ish, coerced as Hermes does before validation (reference
   * §3.1); the fields are read from each one's body schema. Every other body is validated as sent.
   */
  boolishBodies?: ReadonlySet<string>;
  /**
   * Compile every validator now, each schema checked against the meta-schema: a check of the whole contract. Else
   * each compiles on its operation's first request, without that check (the specs and the response checks make it).
   */
  eager?: boolean;
}

/**
 * The request validator of every operation. Each compiles its schemas on its first call (unless `eager`): the first
 * request of an operation takes a few ms more, and a gateway holds only the validators it uses. The two ajv
 * instances they share are each built by the first compilation that needs it.
 */
export function compileRequestValidators(
  contract: Contract,
  { boolishBodies = new Set(), eager = false }: RequestValidatorOptions = {},
): Map<string, RequestValidator> {
  let strictAjv: Ajv2020 | null = null;
  let coercingAjv: Ajv2020 | null = null;
  const ajvs: Ajvs = {
    strict: () => (strictAjv ??= createAjv(contract, false, eager)),
    coercing: () => (coercingAjv ??= createAjv(contract, true, eager)),
  };
  const validators = new Map<string, RequestValidator>();
  for (const op of contract.operations) {
    const compile = () => {
      const boolish = op.body && boolishBodies.has(op.operationId) ? booleanBodyFields(contract, op.body.schema) : [];
      return compileOperation(op, ajvs, boolish);
    };
    let validate: RequestValidator | null = eager ? compile() : null;
    validators.set(op.operationId, (req, pathValues) => {
      validate ??= compile();
      return validate(req, pathValues);
    });
  }
  return validators;
}

interface Ajvs {
  strict(): Ajv2020;
  coercing(): Ajv2020;
}

function compileOperation(op: OperationSpec, ajvs: Ajvs, boolishFields: readonly string[]): RequestValidator {
  const part = (location: ParameterSpec['in']) => {
    const params = op.parameters.filter((p) => p.in === location);
    if (params.length === 0) return null;
    return ajvs.coercing().compile({
      type: 'object',
      properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
      required: params.filter((p) => p.required).map((p) => p.name),
    });
  };
  const pathCheck = part('path');
  const queryCheck = part('query');
  const headerCheck = part('header');
  const bodyCheck = op.body ? ajvs.strict().compile(op.body.schema) : null;
  const headerNames = op.parameters.filter((p) => p.in === 'header').map((p) => p.name);

  // fastify's order: params, body, querystring, headers.
  return function validateRequest(req, pathValues) {
    const params: Record<string, string> = {};
    for (let i = 0; i < op.pathParams.length; i++) params[op.pathParams[i]] = safeDecode(pathValues[i] ?? '');
    run(pathCheck, params, 'path');
    const body = coerceBoolish(req.body, boolishFields);
    if (bodyCheck) {
      if (body === undefined) {
        if (op.body?.required)
          throw GatewayError.invalid('Request body is required (a JSON object).', null, 'missing_body');
      } else run(bodyCheck, body, 'body');
    }
    const query: Record<string, unknown> = { ...req.query };
    run(queryCheck, query, 'query');
    const headers: Record<string, unknown> = {};
    for (const name of headerNames) if (req.headers[name] !== undefined) headers[name] = req.headers[name];
    run(headerCheck, headers, 'header');
    return { params, query, headers, body };
  };
}

function run(check: ValidateFunction | null, data: unknown, where: 'path' | 'query' | 'header' | 'body'): void {
  if (!check || check(data)) return;
  throw validationError(check.errors ?? [], where);
}

/** The most specific ajv error becomes one 400 with a readable message and the failing field as `param`. */
export function validationError(errors: ErrorObject[], where: string): GatewayError {
  const specific = errors.filter((e) => !['anyOf', 'oneOf', 'if'].includes(e.keyword));
  const candidates = specific.length > 0 ? specific : errors;
  const error = candidates.reduce((best, e) => (e.instancePath.length > best.instancePath.length ? e : best));
  const segments = error.instancePath.split('/').slice(1).map(unescapePointer);
  if (error.keyword === 'required') segments.push(String(error.params.missingProperty));
  if (error.keyword === 'additionalProperties') segments.push(String(error.params.additionalProperty));
  const field = fieldName(segments);
  const subject = field ? `${where === 'body' ? '' : `${where} parameter `}'${field}'` : where;
  // A value that matched none of several allowed types: name them all, not just the first branch's.
  const types = errors
    .filter((e) => e.keyword === 'type' && e.instancePath === error.instancePath)
    .flatMap((e) => String(e.params.type).split(','));
  const detail =
    error.keyword === 'type' && new Set(types).size > 1
      ? `must be ${[...new Set(types)].join(' or ')}`
      : error.keyword === 'required'
        ? 'is required'
        : error.keyword === 'additionalProperties'
          ? 'is not allowed'
          : error.keyword === 'enum'
            ? `must be one of: ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
            : (error.message ?? 'is invalid');
  return GatewayError.invalid(`Invalid request: ${subject} ${detail}.`, field || null, 'invalid_request');
}

/** ['messages', '0', 'content'] -> messages[0].content */
function fieldName(segments: string[]): string {
  return segments.reduce((name, s) => (/^\d+$/.test(s) ? `${name}[${s}]` : name ? `${name}.${s}` : s), '');
}

const unescapePointer = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw GatewayError.invalid('Malformed percent-encoding in the URL path.', null, 'invalid_path');
  }
}

export type { JsonSchema };
