// Reads openapi.yaml and schemas/*.json once: the list of operations, their parameters and schemas.
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { packagePath } from '../paths.js';

export const SCHEMA_BASE = 'https://agent-gateway.dev/schemas/';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export type JsonSchema = Record<string, unknown>;

export interface ParameterSpec {
  name: string;
  in: 'path' | 'query' | 'header';
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

export function loadContract(): Contract {
  const doc = parse(readFileSync(packagePath('openapi.yaml'), 'utf8'));
  const schemaFiles = readdirSync(packagePath('schemas'))
    .filter((file) => file.endsWith('.json') && file !== 'config.schema.json')
    .map((file) => JSON.parse(readFileSync(packagePath('schemas', file), 'utf8')) as JsonSchema);
  const globalSecurity = doc.security ?? [];
  const operations: OperationSpec[] = [];
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => resolveLocal(doc, p));
      const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const bodyContent = op.requestBody ? resolveLocal(doc, op.requestBody) : undefined;
      operations.push({
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}/g, '([^/]+)')}/?$`),
        pathParams,
        isPublic: Array.isArray(op.security) ? op.security.length === 0 : globalSecurity.length === 0,
        parameters: parameters.map((p) => ({
          name: p.in === 'header' ? String(p.name).toLowerCase() : p.name,
          in: p.in,
          required: Boolean(p.required || p.in === 'path'),
          schema: absoluteRefs(p.schema ?? {}),
        })),
        body: bodyContent?.content?.['application/json']?.schema
          ? {
              schema: absoluteRefs(bodyContent.content['application/json'].schema),
              required: Boolean(bodyContent.required),
            }
          : undefined,
        responses: Object.fromEntries(
          Object.entries<any>(op.responses ?? {}).map(([status, response]) => {
            const resolved = resolveLocal(doc, response);
            const json = resolved.content?.['application/json']?.schema;
            return [
              status,
              { json: json ? absoluteRefs(json) : null, sse: Boolean(resolved.content?.['text/event-stream']) },
            ];
          }),
        ),
      });
    }
  }
  return { operations, schemaFiles, version: String(doc.info?.version ?? '0.0.0') };
}

/** Follows a `#/components/...` reference inside openapi.yaml. */
function resolveLocal(doc: any, node: any): any {
  let current = node;
  for (let hops = 0; current && typeof current.$ref === 'string' && current.$ref.startsWith('#/'); hops++) {
    if (hops > 10) throw new Error(`openapi.yaml: $ref loop at ${current.$ref}`);
    current = current.$ref
      .slice(2)
      .split('/')
      .reduce((at: any, key: string) => at?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return current;
}

/** `schemas/x.json#/$defs/Y` in openapi.yaml becomes the absolute $id the schema files are registered under. */
export function absoluteRefs(schema: unknown): JsonSchema {
  return JSON.parse(
    JSON.stringify(schema, (key, value) =>
      key === '$ref' && typeof value === 'string' ? value.replace(/^(\.\/)?schemas\//, SCHEMA_BASE) : value,
    ),
  );
}
