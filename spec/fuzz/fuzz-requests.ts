// Schema-driven fuzzing (issue 14): fast-check arbitraries for requests derived from openapi.yaml (every operation,
// its path parameters, query, headers and a body drawn from its JSON Schema, or broken on purpose), for malformed
// raw HTTP, and the checks every answer must pass: no 5xx but the documented ones, the error envelope on every error,
// the security headers on every answer. Shared by spec/fuzz/fuzz.spec.ts (fixed seed, in `npm test`) and
// bench/fuzz.ts (the long mode).
import fc from 'fast-check';
import { bundleContract } from '../../lib/http/contract.js';
import { SECURITY_HEADERS } from '../../lib/http/security-headers.js';

type Schema = Record<string, unknown>;

/** 5xx a fuzzed request may get, by code: documented answers that are no gateway fault. */
export const DOCUMENTED_5XX: ReadonlySet<string> = new Set([
  'not_implemented', // 501: a route whose capability is not built
  'agent_incomplete', // 502: the scripted agent runs directives found in fuzzed text ([[error]], [[crash]])
  'agent_unavailable', // 503: its process restarting after a fuzzed [[crash]]
]);

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** The operation it was derived from (for the report). */
  operationId: string;
}

interface Operation {
  operationId: string;
  method: string;
  path: string;
  params: Array<{ name: string; in: string; schema: Schema; required: boolean }>;
  body: Schema | null;
}

/** Every operation of the contract, with its schemas made self-contained (bundled: `#/components/schemas/X`). */
export function contractOperations(): { operations: Operation[]; components: Record<string, Schema> } {
  const doc = bundleContract('fuzz') as {
    paths: Record<string, Record<string, Schema>>;
    components: { schemas: Record<string, Schema>; parameters?: Record<string, Schema> };
  };
  const components = doc.components.schemas;
  const deref = <T>(node: unknown): T => {
    let at = node as Schema;
    while (typeof at?.$ref === 'string') {
      const ref = at.$ref as string;
      at = ref
        .split('/')
        .slice(1)
        .reduce<Schema>((o, k) => o?.[k] as Schema, doc as unknown as Schema);
    }
    return at as T;
  };
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = item[method] as Schema | undefined;
      if (!op) continue;
      const params = [
        ...((item.parameters as unknown as unknown[]) ?? []),
        ...((op.parameters as unknown as unknown[]) ?? []),
      ]
        .map((p) => deref<Schema>(p))
        .map((p) => ({
          name: String(p.name),
          in: String(p.in),
          schema: (p.schema as Schema) ?? {},
          required: Boolean(p.required),
        }));
      const requestBody = op.requestBody ? deref<Schema>(op.requestBody) : null;
      const content = requestBody?.content as Record<string, { schema?: Schema }> | undefined;
      operations.push({
        operationId: String(op.operationId),
        method: method.toUpperCase(),
        path,
        params,
        body: content?.['application/json']?.schema ?? null,
      });
    }
  }
  return { operations, components };
}

/** An arbitrary for values of a JSON Schema (the subset the contract uses), bounded in size and depth. */
export function schemaArbitrary(schema: Schema, components: Record<string, Schema>, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  const next = (s: unknown) => schemaArbitrary((s ?? {}) as Schema, components, depth + 1);
  if (typeof schema.$ref === 'string') {
    const name = (schema.$ref as string).replace('#/components/schemas/', '').split('/')[0];
    return schemaArbitrary(components[name] ?? {}, components, depth + 1);
  }
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const alternatives = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (alternatives?.length) return fc.oneof(...alternatives.map(next));
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return next(schema.allOf[0]);
  const type = Array.isArray(schema.type) ? (schema.type as string[]) : schema.type ? [schema.type as string] : [];
  if (type.length > 1) return fc.oneof(...type.map((t) => schemaArbitrary({ ...schema, type: t }, components, depth)));
  switch (type[0]) {
    case 'string':
      return text(schema);
    case 'integer':
      return fc.integer({
        min: typeof schema.minimum === 'number' ? schema.minimum : -1000,
        max: typeof schema.maximum === 'number' ? schema.maximum : 100_000,
      });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(next(schema.items), { maxLength: 3 });
    case 'object':
    case undefined: {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set((schema.required as string[]) ?? []);
      const names = Object.keys(properties);
      if (names.length === 0)
        return type[0]
          ? fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 })
          : fc.jsonValue({ maxDepth: 2 });
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const name of names) record[name] = next(properties[name]);
      return fc.record(record, { requiredKeys: names.filter((name) => required.has(name)) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Strings: mostly short words, some with what breaks parsers (quotes, control bytes, unicode, directives). */
function text(schema: Schema): fc.Arbitrary<string> {
  const max = typeof schema.maxLength === 'number' ? Math.min(schema.maxLength, 64) : 64;
  const min = typeof schema.minLength === 'number' ? Math.min(schema.minLength, max) : 0;
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength: min, maxLength: max }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: min, maxLength: max }) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '\u0000', '"', '../', '%2e%2e', '[[echo]]', 'null', '1e309') },
  );
}

/** A path parameter: a well-formed id of its kind, garbage, or something a router must refuse. */
const pathValue = fc.oneof(
  fc.constantFrom('run_0123456789abcdef', 'resp_0123', '0123456789ab', 'sess-1', 'scripted-agent', 'x'),
  fc.string({ minLength: 1, maxLength: 20 }),
  fc.constantFrom('%2e%2e', '..', '%00', '%2F', 'a%20b', '%E2%82%AC'),
);

const AUTH_VARIANTS = ['good', 'none', 'bad', 'basic'] as const;

/** Requests derived from the contract: every operation, valid-ish and broken variants. */
export function requestArbitrary(key: string): fc.Arbitrary<FuzzRequest> {
  const { operations, components } = contractOperations();
  return fc.constantFrom(...operations).chain((op) => {
    const pathParams = op.params.filter((p) => p.in === 'path');
    const query = op.params.filter((p) => p.in === 'query');
    const values = fc.record(
      Object.fromEntries(pathParams.map((p) => [p.name, pathValue])) as Record<string, fc.Arbitrary<string>>,
    );
    const queryValues = fc.record(
      Object.fromEntries(query.map((p) => [p.name, schemaArbitrary(p.schema, components).map(String)])) as Record<
        string,
        fc.Arbitrary<string>
      >,
      { requiredKeys: [] },
    );
    const body = op.body
      ? fc.oneof(
          { weight: 6, arbitrary: schemaArbitrary(op.body, components).map((v) => JSON.stringify(v)) },
          { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
          { weight: 1, arbitrary: fc.string({ maxLength: 40 }) }, // not JSON
          { weight: 1, arbitrary: fc.constant(undefined) },
        )
      : fc.option(
          fc.jsonValue({ maxDepth: 1 }).map((v) => JSON.stringify(v)),
          { nil: undefined, freq: 4 },
        );
    return fc
      .record({
        values,
        queryValues,
        body,
        auth: fc.constantFrom(...AUTH_VARIANTS, 'good', 'good'),
        contentType: fc.constantFrom(
          'application/json',
          'application/json',
          'text/plain',
          'application/json; charset=latin1',
          '',
        ),
        idempotency: fc.option(fc.string({ maxLength: 300 }), { nil: undefined, freq: 6 }),
        sessionId: fc.option(fc.string({ maxLength: 40 }), { nil: undefined, freq: 6 }),
        lastEventId: fc.option(fc.string({ maxLength: 25 }), { nil: undefined, freq: 8 }),
      })
      .map(({ values, queryValues, body, auth, contentType, idempotency, sessionId, lastEventId }) => {
        let path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponentLoosely(values[name]));
        const search = new URLSearchParams(queryValues as Record<string, string>).toString();
        if (search) path += `?${search}`;
        const headers: Record<string, string> = {};
        if (auth === 'good') headers.authorization = `Bearer ${key}`;
        if (auth === 'bad') headers.authorization = 'Bearer sk-wrong-0123456789abcdef';
        if (auth === 'basic') headers.authorization = 'Basic dXNlcjpwYXNz';
        if (body !== undefined && contentType) headers['content-type'] = contentType;
        if (idempotency !== undefined) headers['idempotency-key'] = headerSafe(idempotency);
        if (sessionId !== undefined) headers['x-hermes-session-id'] = headerSafe(sessionId);
        if (lastEventId !== undefined) headers['last-event-id'] = headerSafe(lastEventId);
        return { method: op.method, path, headers, body, operationId: op.operationId };
      });
  });
}

/** Path values go out as generated where they are legal bytes in a path, escaped where they are not. */
function encodeURIComponentLoosely(value: string): string {
  return /^[\w.~%-]*$/.test(value) && value !== '' ? value : encodeURIComponent(value) || 'x';
}

/** fetch refuses header values with CR, LF or NUL and non-latin1 text: those are the raw fuzzer's job. */
function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7E]/g, '?');
}

/** Malformed raw HTTP: a valid request broken in one of the ways parsers disagree on, or random bytes. */
export function rawRequestArbitrary(key: string): fc.Arbitrary<string> {
  const valid = (extra: string, body = '') =>
    `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const controlByte = fc
    .integer({ min: 0, max: 31 })
    .filter((b) => b !== 9)
    .map((b) => String.fromCharCode(b));
  return fc.oneof(
    controlByte.map((c) => valid(`X-Bad: a${c}b\r\n`, '{}')),
    controlByte.map((c) => `GET /v1/mo${c}dels HTTP/1.1\r\nHost: x\r\n\r\n`),
    fc.nat({ max: 40_000 }).map((n) => `GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(n)}\r\n\r\n`),
    fc.constantFrom(
      valid('Transfer-Encoding: chunked\r\n', '0\r\n\r\n'),
      `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`,
      `GET /v1/models HTTP/1.1\nHost: x\n\n`,
      `GET /v1/models HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n`,
      valid('Expect: bogus\r\n', '{}'),
      `GET /v1/models HTTP/9.9\r\nHost: x\r\n\r\n`,
      `BREW /v1/models HTTP/1.1\r\nHost: x\r\n\r\n`,
      `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
      `GET http://evil.example/ HTTP/1.1\r\nHost: x\r\n\r\n`,
    ),
    fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 200 }).map((s) => `${s}\r\n\r\n`),
    fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((s) => valid(`X-Fuzz: ${s.replace(/\r|\n/g, '')}\r\n`, s)),
  );
}

/** What one answer broke, if anything (empty: it passed every check). */
export function answerProblems(
  status: number,
  headers: Record<string, string | undefined>,
  body: string,
  documented5xx: ReadonlySet<string> = DOCUMENTED_5XX,
): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    const sent = headers[name.toLowerCase()];
    // The docs and console pages carry a CSP of their own (same-origin scripts): documented, and still a CSP.
    const ok =
      name === 'Content-Security-Policy'
        ? typeof sent === 'string' && sent.includes("frame-ancestors 'none'")
        : sent === value;
    if (!ok) problems.push(`missing security header ${name}`);
  }
  if (status < 400) return problems;
  // A refused CORS origin is an empty 403 (DESIGN); fuzzed requests send no Origin, so every error has a body.
  let envelope: { error?: { message?: unknown; type?: unknown; code?: unknown; param?: unknown } } | null = null;
  try {
    envelope = JSON.parse(body);
  } catch {
    problems.push(`${status} without a JSON body`);
  }
  const error = envelope?.error;
  if (
    envelope &&
    (!error ||
      typeof error.message !== 'string' ||
      typeof error.type !== 'string' ||
      !('code' in error) ||
      !('param' in error))
  ) {
    problems.push(`${status} outside the error envelope: ${body.slice(0, 200)}`);
  }
  if (status >= 500 && !documented5xx.has(String(error?.code)))
    problems.push(`${status} ${String(error?.code)}: ${body.slice(0, 200)}`);
  return problems;
}
