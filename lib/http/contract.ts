// Reads openapi.yaml and schemas/*.json once: the list of operations, their parameters and schemas.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { OpenAPIV3_1 } from 'openapi-types';
import { OPENAPI_JSON, OPENAPI_YAML_SHA256 } from '../generated/openapi-json.gen.js';
import { packagePath } from '../paths.js';

export const SCHEMA_BASE = 'https://agent-gateway.dev/schemas/';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const LOCATIONS = ['path', 'query', 'header'] as const;

type Document = OpenAPIV3_1.Document;
type Reference = OpenAPIV3_1.ReferenceObject;

export type JsonSchema = Record<string, unknown>;

export interface ParameterSpec {
  name: string;
  in: (typeof LOCATIONS)[number];
  required: boolean;
  schema: JsonSchema;
}

export interface OperationSpec {
  operationId: string;
  method: string;
  /** OpenAPI path template, e.g. /v1/runs/{run_id}. */
  path: string;
  pattern: RegExp;
  pathParams: string[];
  isPublic: boolean;
  parameters: ParameterSpec[];
  body?: { schema: JsonSchema; required: boolean };
  /** status ("200", "4XX", "default") -> JSON schema of the body, or null when the status has no JSON body. */
  responses: Record<string, { json: JsonSchema | null; sse: boolean }>;
}

export interface Contract {
  operations: OperationSpec[];
  schemaFiles: JsonSchema[];
  version: string;
}

/** openapi.yaml and the schema files it points into (by file name), as parsed from disk. */
function readSources(): { doc: Document; files: Map<string, JsonSchema> } {
  const doc = readDocument();
  // The types below (and JSON Schema 2020-12 in the validators) hold for OpenAPI 3.1 only.
  if (!doc.openapi.startsWith('3.1.')) throw new Error(`openapi.yaml: expected OpenAPI 3.1, got ${doc.openapi}`);
  const files = new Map(
    readdirSync(packagePath('schemas'))
      .filter((file) => file.endsWith('.json') && file !== 'config.schema.json')
      .sort()
      .map((file) => [file, JSON.parse(readFileSync(packagePath('schemas', file), 'utf8')) as JsonSchema]),
  );
  return { doc, files };
}

/**
 * openapi.yaml, parsed. While the file is the one `npm run generate` last saw (same SHA-256), its JSON twin in
 * lib/generated is parsed instead: the same document, without loading the YAML parser or making its garbage.
 */
function readDocument(): Document {
  const yaml = readFileSync(packagePath('openapi.yaml'), 'utf8');
  if (createHash('sha256').update(yaml).digest('hex') === OPENAPI_YAML_SHA256) return JSON.parse(OPENAPI_JSON);
  const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return parse(yaml);
}

export function loadContract(): Contract {
  const { doc, files } = readSources();
  const schemaFiles = [...files.values()];
  const globalSecurity = doc.security ?? [];
  const operations: OperationSpec[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (!item) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      if (!op.operationId) throw new Error(`openapi.yaml: ${method.toUpperCase()} ${path} has no operationId`);
      const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) =>
        resolveLocal<OpenAPIV3_1.ParameterObject>(doc, p),
      );
      const requestBody = op.requestBody && resolveLocal(doc, op.requestBody);
      const bodySchema = requestBody?.content['application/json']?.schema;
      operations.push({
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}/g, '([^/]+)')}/?$`),
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
        isPublic: Array.isArray(op.security) ? op.security.length === 0 : globalSecurity.length === 0,
        parameters: parameters.map((p) => ({
          name: p.in === 'header' ? p.name.toLowerCase() : p.name,
          in: location(p, `${method.toUpperCase()} ${path}`),
          required: Boolean(p.required || p.in === 'path'),
          schema: absoluteRefs(p.schema ?? {}),
        })),
        body: bodySchema ? { schema: absoluteRefs(bodySchema), required: Boolean(requestBody?.required) } : undefined,
        responses: Object.fromEntries(
          Object.entries(op.responses ?? {}).map(([status, response]) => {
            const { content } = resolveLocal<OpenAPIV3_1.ResponseObject>(doc, response);
            const json = content?.['application/json']?.schema;
            return [status, { json: json ? absoluteRefs(json) : null, sse: Boolean(content?.['text/event-stream']) }];
          }),
        ),
      });
    }
  }
  return { operations, schemaFiles, version: doc.info.version };
}

/** The parameter locations the validators know; a cookie parameter has nowhere to go. */
function location(parameter: OpenAPIV3_1.ParameterObject, where: string): ParameterSpec['in'] {
  const found = LOCATIONS.find((l) => l === parameter.in);
  if (found) return found;
  throw new Error(`openapi.yaml: ${where}: parameter ${parameter.name} in ${parameter.in} is not supported`);
}

function isReference(node: unknown): node is Reference {
  return typeof node === 'object' && node !== null && typeof (node as { $ref?: unknown }).$ref === 'string';
}

/** Follows `#/components/...` references inside openapi.yaml to the object they name. */
function resolveLocal<T extends object>(doc: Document, node: T | Reference): T {
  let current: unknown = node;
  for (let hops = 0; isReference(current); hops++) {
    const ref = current.$ref;
    if (hops > 10) throw new Error(`openapi.yaml: $ref loop at ${ref}`);
    if (!ref.startsWith('#/')) throw new Error(`openapi.yaml: ${ref}: only schemas may point outside the file`);
    current = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[unescapePointer(key)], doc);
    if (current === undefined) throw new Error(`openapi.yaml: ${ref} points nowhere`);
  }
  // A local reference names a component of the kind its holder expects (OpenAPI 3.1 §4.8.23).
  return current as T;
}

/** JSON Pointer escapes (RFC 6901): ~1 is `/`, ~0 is `~`. */
function unescapePointer(key: string): string {
  return key.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** `schemas/x.json#/$defs/Y` in openapi.yaml becomes the absolute $id the schema files are registered under. */
export function absoluteRefs(schema: unknown): JsonSchema {
  return JSON.parse(
    JSON.stringify(schema, (key, value) =>
      key === '$ref' && typeof value === 'string' ? value.replace(/^(\.\/)?schemas\//, SCHEMA_BASE) : value,
    ),
  );
}

const REF_INTO_FILE =
  /^(?:\.\/)?(?:schemas\/|https:\/\/agent-gateway\.dev\/schemas\/)?([\w.-]+\.json)#\/\$defs\/([^/]+)(.*)$/;

/**
 * The contract as one self-contained OpenAPI 3.1 document, for `GET /openapi.json`: every `$defs` entry of the schema
 * files becomes a component schema (under its own name, or `<file>.<name>` when two files share it), and every $ref
 * into a file — from openapi.yaml (`schemas/x.json#/$defs/Y`) or between files (`x.json#…`, `#/$defs/Y`, the
 * absolute $id) — points at that component. `info.version` is the given version. Throws on a $ref it cannot place.
 */
export function bundleContract(version: string): Record<string, unknown> {
  const { doc, files } = readSources();
  const bundled = structuredClone(doc) as Document & { components: OpenAPIV3_1.ComponentsObject };
  bundled.info = { ...bundled.info, version };
  bundled.components ??= {};
  const components: Record<string, unknown> = { ...(bundled.components.schemas ?? {}) };
  // A component that only names the $defs entry of the same name (`X: {$ref: schemas/f.json#/$defs/X}`) becomes it.
  for (const [name, schema] of Object.entries(components)) {
    const m = isReference(schema) && Object.keys(schema).length === 1 ? REF_INTO_FILE.exec(schema.$ref) : null;
    if (m && m[2] === name && m[3] === '' && files.get(m[1])?.$defs) delete components[name];
  }
  const owners = new Map<string, number>();
  for (const schema of files.values()) {
    for (const name of Object.keys(defsOf(schema))) owners.set(name, (owners.get(name) ?? 0) + 1);
  }
  const componentName = (file: string, def: string) =>
    owners.get(def) === 1 && !(def in components) ? def : `${file.replace(/\.json$/, '')}.${def}`;
  const placed = (file: string, def: string, rest: string, where: string): string => {
    if (!(def in defsOf(files.get(file) ?? {})))
      throw new Error(`${where}: $ref to ${file}#/$defs/${def}: no such schema`);
    return `#/components/schemas/${componentName(file, def)}${rest}`;
  };
  const rewrite = (node: unknown, fromFile: string | null): unknown =>
    JSON.parse(
      JSON.stringify(node, (key, value) => {
        if (key !== '$ref' || typeof value !== 'string') return value;
        if (fromFile && value.startsWith('#/$defs/')) {
          const [def, ...rest] = value.slice('#/$defs/'.length).split('/');
          return placed(fromFile, unescapePointer(def), rest.length ? `/${rest.join('/')}` : '', fromFile);
        }
        if (value.startsWith('#')) {
          if (fromFile) throw new Error(`${fromFile}: $ref ${value} cannot be bundled`);
          return value;
        }
        const m = REF_INTO_FILE.exec(value);
        if (!m) throw new Error(`${fromFile ?? 'openapi.yaml'}: $ref ${value} cannot be bundled`);
        return placed(m[1], unescapePointer(m[2]), m[3], fromFile ?? 'openapi.yaml');
      }),
    );
  const out = rewrite(bundled, null) as typeof bundled;
  const schemas = rewrite(components, null) as Record<string, unknown>;
  for (const [file, schema] of files) {
    for (const [def, body] of Object.entries(defsOf(schema))) schemas[componentName(file, def)] = rewrite(body, file);
  }
  out.components.schemas = schemas as OpenAPIV3_1.ComponentsObject['schemas'];
  return out as unknown as Record<string, unknown>;
}

const defsOf = (schema: JsonSchema): Record<string, unknown> => (schema.$defs ?? {}) as Record<string, unknown>;
