// The one gate chain (lib/http/pipeline.ts) applies identically to every target: an agent operation, a chat
// completion routed to an upstream, and a `/v1/*` route only an upstream serves. Each case runs against every
// target of one gateway and expects the same answer (status, envelope, headers); a refused request reaches nobody.
import { expect } from 'chai';
import type { FakeUpstream } from '../../fixtures/upstream/openai-upstream.js';
import { SECURITY_HEADERS } from '../../lib/http/security-headers.js';
import { scriptedAgentConfig, TEST_KEY, type TestGateway, withUpstreamGateway } from '../support/gateway.js';
import { jsonOf, type RawResponse, rawRequest } from '../support/raw-http.js';

const UP_KEY = 'sk-gates-upstream-0123456789';
const WRONG_KEY = 'sk-gates-wrong-0123456789ab';
const NARROW_KEY = 'sk-gates-narrow-0123456789a';
/** May use exactly the targets' models. */
const LISTED_KEY = 'sk-gates-listed-0123456789a';
const ORIGIN = 'https://app.example';
const LIMIT = 4096;

interface Target {
  name: string;
  path: string;
  /** A valid body for this target, with `extra` merged in. */
  body(extra?: object): Record<string, unknown>;
  /** Its model (for the allowed-models case). */
  model: string;
  /** Served by the upstream (else by the scripted agent). */
  upstream: boolean;
  /** Validated against openapi.yaml (a `/v1/*` route the gateway does not own has no schema). */
  schema: boolean;
  /** A key limited to one request per minute, for this target alone. */
  limitedKey: string;
}

const chat =
  (model: string) =>
  (extra: object = {}) => ({
    model,
    messages: [{ role: 'user', content: 'hi' }],
    ...extra,
  });

const TARGETS: readonly Target[] = [
  {
    name: 'agent operation',
    path: '/v1/chat/completions',
    body: chat('scripted-agent'),
    model: 'scripted-agent',
    upstream: false,
    schema: true,
    limitedKey: 'sk-gates-limited-agent-012345',
  },
  {
    name: 'chat routed to the upstream',
    path: '/v1/chat/completions',
    body: chat('up-model'),
    model: 'up-model',
    upstream: true,
    schema: true,
    limitedKey: 'sk-gates-limited-upchat-01234',
  },
  {
    name: '/v1/embeddings (upstream only)',
    path: '/v1/embeddings',
    body: (extra = {}) => ({ model: 'up-model', input: 'hi', ...extra }),
    model: 'up-model',
    upstream: true,
    schema: false,
    limitedKey: 'sk-gates-limited-upembed-0123',
  },
];

/** An expected answer: a whole envelope, a predicate over it, or an empty body. */
type ExpectedBody = { envelope: (target: Target) => object } | { check: (body: any) => void } | 'empty';

interface GateCase {
  name: string;
  /** Sends the request under test (with `requestId` as X-Request-Id); may send earlier requests first. */
  send(gw: TestGateway, target: Target, requestId: string): Promise<RawResponse>;
  status: number;
  body: ExpectedBody;
  headers?: (response: RawResponse) => void;
  appliesTo?: (target: Target) => boolean;
}

const json = (value: unknown) => JSON.stringify(value);
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** A POST of `body` as JSON, with the test key unless `headers` gives another (undefined: no such header). */
function post(
  gw: TestGateway,
  target: Target,
  requestId: string,
  body: string,
  headers: Record<string, string | undefined> = {},
) {
  const all: Record<string, string | undefined> = {
    ...bearer(TEST_KEY),
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'x-request-id': requestId,
    ...headers,
  };
  return rawRequest(`${gw.url}${target.path}`, {
    method: 'POST',
    headers: Object.fromEntries(
      Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
    chunks: [body],
  });
}

const invalidJsonMessage = (() => {
  try {
    JSON.parse('{"model":');
  } catch (error) {
    return `Invalid JSON in request body: ${(error as Error).message}`;
  }
  throw new Error('unreachable');
})();

const AUTH_FAILED = {
  error: {
    message: 'Invalid gateway API key (API_SERVER_KEY)',
    type: 'gateway_auth_error',
    param: null,
    code: 'gateway_auth_failed',
  },
};

const TOO_LARGE = {
  error: {
    message: `Request body too large (limit ${LIMIT} bytes).`,
    type: 'invalid_request_error',
    param: null,
    code: 'body_too_large',
  },
};

const CASES: readonly GateCase[] = [
  {
    name: 'answers 401 gateway_auth_failed without a key',
    send: (gw, t, id) => post(gw, t, id, json(t.body()), { authorization: undefined }),
    status: 401,
    body: { envelope: () => AUTH_FAILED },
  },
  {
    name: 'answers 401 gateway_auth_failed for a wrong key',
    send: (gw, t, id) => post(gw, t, id, json(t.body()), bearer(WRONG_KEY)),
    status: 401,
    body: { envelope: () => AUTH_FAILED },
  },
  {
    name: 'answers 403 with an empty body to a disallowed Origin',
    send: (gw, t, id) => post(gw, t, id, json(t.body()), { origin: 'https://evil.example' }),
    status: 403,
    body: 'empty',
    headers: (res) => expect(res.headers['access-control-allow-origin']).to.equal(undefined),
  },
  {
    name: 'answers a preflight with 200, no key and the Access-Control-Allow-* headers',
    send: (gw, t, id) =>
      rawRequest(`${gw.url}${t.path}`, {
        method: 'OPTIONS',
        headers: {
          origin: ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type, x-stainless-os',
          'x-request-id': id,
        },
      }),
    status: 200,
    body: 'empty',
    headers: (res) => {
      expect(res.headers['access-control-allow-origin']).to.equal(ORIGIN);
      expect(res.headers['access-control-allow-methods']).to.equal('GET, POST, PATCH, DELETE, OPTIONS');
      expect(res.headers['access-control-allow-headers']).to.equal(
        'Authorization, Content-Type, Idempotency-Key, X-Hermes-Session-Id, X-Hermes-Session-Key, Last-Event-ID, ' +
          'X-Request-Id, x-stainless-os',
      );
      expect(res.headers['access-control-max-age']).to.equal('600');
      expect(res.headers.vary).to.equal('Origin');
    },
  },
  {
    name: 'answers 413 body_too_large for a Content-Length past the limit',
    send: (gw, t, id) => post(gw, t, id, json(t.body({ pad: 'x'.repeat(LIMIT) }))),
    status: 413,
    body: { envelope: () => TOO_LARGE },
  },
  {
    name: 'answers 413 body_too_large for a chunked body that grows past the limit',
    send: (gw, t, id) => {
      const head = json(t.body({ pad: '' })).slice(0, -2); // ...,"pad":"  — left open for the padding
      return rawRequest(`${gw.url}${t.path}`, {
        method: 'POST',
        headers: { ...bearer(TEST_KEY), 'content-type': 'application/json', 'x-request-id': id },
        chunks: [head, 'x'.repeat(LIMIT / 2), 'x'.repeat(LIMIT / 2), '"}'],
      });
    },
    status: 413,
    body: { envelope: () => TOO_LARGE },
  },
  {
    name: 'answers 400 invalid_json for a body that does not parse',
    send: (gw, t, id) => post(gw, t, id, '{"model":'),
    status: 400,
    body: {
      envelope: () => ({
        error: { message: invalidJsonMessage, type: 'invalid_request_error', param: null, code: 'invalid_json' },
      }),
    },
  },
  {
    name: 'answers 400 naming the field in `param` for a body that breaks the schema',
    send: (gw, t, id) => post(gw, t, id, json(t.body({ messages: [{ role: 'user', content: 42 }] }))),
    status: 400,
    body: {
      envelope: () => ({
        error: {
          message: "Invalid request: 'messages[0].content' must be string or array or null.",
          type: 'invalid_request_error',
          param: 'messages[0].content',
          code: 'invalid_request',
        },
      }),
    },
    appliesTo: (t) => t.schema,
  },
  {
    name: 'answers 403 model_not_allowed for a model outside the key list',
    send: (gw, t, id) => post(gw, t, id, json(t.body()), bearer(NARROW_KEY)),
    status: 403,
    body: {
      envelope: (t) => ({
        error: {
          message: `This API key may not use model '${t.model}'.`,
          type: 'permission_error',
          param: 'model',
          code: 'model_not_allowed',
        },
      }),
    },
  },
  {
    name: 'answers 429 rate_limit_exceeded with Retry-After once a key used its requests per minute',
    async send(gw, t, id) {
      const first = await post(gw, t, `${id}-first`, json(t.body()), bearer(t.limitedKey));
      expect(first.status, `${t.name}: the first request is admitted`).to.equal(200);
      expect(first.headers['x-ratelimit-limit-requests']).to.equal('1');
      expect(first.headers['x-ratelimit-remaining-requests']).to.equal('0');
      return post(gw, t, id, json(t.body()), bearer(t.limitedKey));
    },
    status: 429,
    body: {
      check(body) {
        expect(body.error).to.include({ type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' });
        expect(body.error.message).to.match(
          /^Rate limit reached for key 'limited-\d': 1 requests per minute\. Retry after \d+ s\.$/,
        );
      },
    },
    headers(res) {
      expect(Number(res.headers['retry-after'])).to.be.within(1, 60);
      expect(res.headers['x-ratelimit-limit-requests']).to.equal('1');
      expect(res.headers['x-ratelimit-remaining-requests']).to.equal('0');
    },
  },
];

describe('the gate chain, for every target', function () {
  this.timeout(30_000);
  let up: FakeUpstream;
  let gw: TestGateway;
  withUpstreamGateway(
    { key: UP_KEY },
    (up) => ({
      agents: [scriptedAgentConfig()],
      upstreams: [{ name: 'up', baseUrl: up.baseUrl, key: UP_KEY }],
      routes: [{ model: 'up-model', upstream: 'up' }],
      corsOrigins: [ORIGIN],
      bodyLimitBytes: LIMIT,
      keys: [
        { name: 'test', key: TEST_KEY },
        { name: 'narrow', key: NARROW_KEY, models: ['some-other-model'] },
        { name: 'listed', key: LISTED_KEY, models: ['scripted-agent', 'up-model'] },
        ...TARGETS.map((t, i) => ({ name: `limited-${i}`, key: t.limitedKey, requestsPerMinute: 1 })),
      ],
    }),
    (u, g) => {
      up = u;
      gw = g;
    },
  );

  /** What every answer carries, whoever answered it. */
  function expectDoorHeaders(res: RawResponse, requestId: string, label: string) {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      expect(res.headers[name.toLowerCase()], `${label}: ${name}`).to.equal(value);
    }
    expect(res.headers['x-request-id'], `${label}: X-Request-Id`).to.equal(requestId);
  }

  it('serves a valid request of a key listing its model on every target, with the door headers and CORS', async () => {
    for (const [i, target] of TARGETS.entries()) {
      up.requests.length = 0;
      const id = `gates-ok-${i}`;
      const res = await post(gw, target, id, json(target.body()), { origin: ORIGIN, ...bearer(LISTED_KEY) });
      expect(res.status, target.name).to.equal(200);
      expectDoorHeaders(res, id, target.name);
      expect(res.headers['access-control-allow-origin'], target.name).to.equal(ORIGIN);
      expect(res.headers['access-control-expose-headers'], target.name).to.include('X-Request-Id');
      expect(res.headers.vary, target.name).to.match(/^Origin\b/);
      const body = jsonOf(res);
      expect(body.object, target.name).to.equal(target.schema ? 'chat.completion' : 'list');
      if (!target.upstream) expect(body.choices[0].message.content).to.equal('echo: hi');
      expect(up.requests, target.name).to.have.length(target.upstream ? 1 : 0);
      if (target.upstream) {
        expect(up.requests[0].url).to.equal(target.path);
        expect(up.requests[0].headers.authorization).to.equal(`Bearer ${UP_KEY}`);
        expect(up.requests[0].headers['x-request-id']).to.equal(id);
      }
    }
  });

  for (const gate of CASES) {
    it(`${gate.name}, the same for every target`, async () => {
      const targets = TARGETS.filter((t) => gate.appliesTo?.(t) ?? true);
      const answers: Array<{ status: number; body: unknown }> = [];
      for (const [i, target] of targets.entries()) {
        up.requests.length = 0;
        const id = `gates-${CASES.indexOf(gate)}-${i}`;
        const res = await gate.send(gw, target, id);
        const label = `${target.name}: ${res.body.toString('utf8')}`;
        expect(res.status, label).to.equal(gate.status);
        expectDoorHeaders(res, id, target.name);
        gate.headers?.(res);
        if (gate.body === 'empty') {
          expect(res.body.length, label).to.equal(0);
          answers.push({ status: res.status, body: '' });
        } else {
          expect(res.headers['content-type'], label).to.equal('application/json; charset=utf-8');
          expect(Number(res.headers['content-length']), label).to.equal(res.body.length);
          const body = jsonOf(res);
          if ('envelope' in gate.body) expect(body, target.name).to.deep.equal(gate.body.envelope(target));
          else gate.body.check(body);
          answers.push({ status: res.status, body: { type: body.error.type, code: body.error.code } });
        }
        // The rate-limit case sends one admitted request first: only that one may reach the upstream.
        const admitted = gate.status === 429 && target.upstream ? 1 : 0;
        expect(up.requests, `${target.name}: the upstream received`).to.have.length(admitted);
      }
      expect(new Set(answers.map((a) => JSON.stringify(a))).size, 'answers differ between targets').to.equal(1);
    });
  }

  it('forwards the bytes the door read unchanged when the route does not rename the model', async () => {
    const text = '{ "model": "up-model",  "messages": [{"role": "user", "content": "hi"}] }';
    const res = await post(gw, TARGETS[1], 'gates-bytes', text);
    expect(res.status).to.equal(200);
    expect(up.requests[0].body).to.equal(text);
  });
});
