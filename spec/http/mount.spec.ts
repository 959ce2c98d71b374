// The gateway as a library: `createGateway(...).handler` mounted under a prefix in a user's own express 5 app (with
// and without express.json() in front) and as the request listener of a bare node:http server, driven by the
// official openai SDK against the scripted agent, and forwarding a routed model to an upstream.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import express from 'express';
import OpenAI from 'openai';
import { type FakeUpstream, startFakeUpstream } from '../../fixtures/upstream/openai-upstream.js';
import { createAgents } from '../../lib/agents/create-agents.js';
import type { GatewayConfig } from '../../lib/config/config.js';
import { defaultConfig } from '../../lib/config/defaults.js';
import { createGateway, type Gateway } from '../../lib/gateway.js';
import { SECURITY_HEADERS } from '../../lib/http/security-headers.js';
import { silentLogger } from '../../lib/log.js';
import { responseViolations, scriptedAgentConfig, TEST_KEY } from '../support/gateway.js';

const UP_KEY = 'sk-mount-upstream-0123456789';
const json = (res: Response): Promise<any> => res.json();
const say = (text: string) => [{ role: 'user' as const, content: `[[text "${text}" chunks=3]]` }];

/** Listens on a loopback port; the base URL of the server. */
async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function shut(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('the gateway mounted in a user app', function () {
  this.timeout(30_000);
  let up: FakeUpstream;
  let dataDir: string;
  let gateway: Gateway;
  const servers: Server[] = [];

  before(async () => {
    up = await startFakeUpstream({ key: UP_KEY, text: 'Routed hello' });
    dataDir = mkdtempSync(join(tmpdir(), 'agw-mount-'));
    const config: GatewayConfig = {
      ...defaultConfig(),
      store: 'memory://',
      dataDir,
      keys: [{ name: 'test', key: TEST_KEY }],
      logLevel: 'silent',
      agents: [scriptedAgentConfig()],
      upstreams: [{ name: 'up', baseUrl: up.baseUrl, key: UP_KEY }],
      routes: [{ model: 'up-model', upstream: 'up' }],
    };
    gateway = await createGateway(config, {
      logger: silentLogger,
      createAgents,
      onResponseViolation: (violation) => responseViolations.push(violation),
    });
  });
  after(async () => {
    await Promise.all(servers.map(shut));
    await gateway.close();
    await up.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    up.requests.length = 0;
  });

  /** Starts a server and remembers it for the `after` hook. */
  async function serve(server: Server): Promise<string> {
    servers.push(server);
    return listen(server);
  }

  /** What every mount must do: the SDK's calls against the agent, a 401, a routed model reaching the upstream. */
  function drivesTheGateway(mountUrl: () => string) {
    const sdk = (apiKey = TEST_KEY) => new OpenAI({ baseURL: `${mountUrl()}/v1`, apiKey, maxRetries: 0 });

    it('answers a non-streaming chat completion from the scripted agent', async () => {
      const { data, response } = await sdk()
        .chat.completions.create({ model: 'scripted-agent', messages: say('Hello from the mount') })
        .withResponse();
      expect(data.object).to.equal('chat.completion');
      expect(data.model).to.equal('scripted-agent');
      expect(data.choices[0].message.content).to.equal('Hello from the mount');
      expect(data.choices[0].finish_reason).to.equal('stop');
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(response.headers.get(name)).to.equal(value);
      expect(response.headers.get('x-request-id')).to.be.a('string');
    });

    it('streams a chat completion through chat.completions.stream()', async () => {
      const stream = sdk().chat.completions.stream({ model: 'scripted-agent', messages: say('one two three') });
      const deltas: string[] = [];
      stream.on('content', (delta) => deltas.push(delta));
      const final = await stream.finalChatCompletion();
      expect(deltas.length).to.be.greaterThan(1);
      expect(deltas.join('')).to.equal('one two three');
      expect(final.choices[0].message.content).to.equal('one two three');
      expect(final.choices[0].finish_reason).to.equal('stop');
    });

    it('lists the agent and the routed model in models.list()', async () => {
      const ids: string[] = [];
      for await (const model of sdk().models.list()) ids.push(model.id);
      expect(ids).to.deep.equal(['scripted-agent', 'up-model']);
    });

    it('raises AuthenticationError (401 gateway_auth_failed) for a wrong key', async () => {
      const error = await sdk('sk-mount-wrong-0123456789')
        .models.list()
        .then(
          () => expect.fail('a wrong key was accepted'),
          (e: unknown) => e,
        );
      expect(error).to.be.instanceOf(OpenAI.AuthenticationError);
      const failure = error as InstanceType<typeof OpenAI.AuthenticationError>;
      expect(failure.status).to.equal(401);
      expect(failure.error).to.deep.equal({
        message: 'Invalid gateway API key (API_SERVER_KEY)',
        type: 'gateway_auth_error',
        param: null,
        code: 'gateway_auth_failed',
      });
    });

    it('answers a schema violation with 400 naming the field', async () => {
      const res = await fetch(`${mountUrl()}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'scripted-agent', messages: [{ role: 'user', content: 42 }] }),
      });
      expect(res.status).to.equal(400);
      expect((await json(res)).error).to.deep.include({ param: 'messages[0].content', code: 'invalid_request' });
    });

    it('forwards a routed model to the upstream at its own path, with the upstream key', async () => {
      const completion = await sdk().chat.completions.create({ model: 'up-model', messages: say('ignored') });
      expect(completion.choices[0].message.content).to.equal('Routed hello');
      expect(up.requests).to.have.length(1);
      expect(up.requests[0].url).to.equal('/v1/chat/completions');
      expect(up.requests[0].headers.authorization).to.equal(`Bearer ${UP_KEY}`);
      expect(JSON.parse(up.requests[0].body)).to.deep.equal({ model: 'up-model', messages: say('ignored') });
    });
  }

  describe("under /agents in an express 5 app, next to the user's own route", () => {
    let base = '';
    before(async () => {
      const app = express();
      app.get('/hello', (_req, res) => void res.json({ hello: 'world' }));
      app.use('/agents', gateway.handler);
      base = await serve(createServer(app));
    });

    drivesTheGateway(() => `${base}/agents`);

    it("leaves the user's own route to the user", async () => {
      const res = await fetch(`${base}/hello`);
      expect(res.status).to.equal(200);
      expect(await json(res)).to.deep.equal({ hello: 'world' });
      expect(res.headers.get('x-request-id')).to.equal(null); // the gateway never saw it
    });

    it('answers a path under the mount that no route serves with its own 404 envelope', async () => {
      const res = await fetch(`${base}/agents/v1/nowhere`, { headers: { authorization: `Bearer ${TEST_KEY}` } });
      expect(res.status).to.equal(404);
      expect((await json(res)).error).to.deep.include({ code: 'not_found', message: 'No route for GET /v1/nowhere.' });
    });
  });

  describe('under /agents in an express 5 app that parses JSON itself (express.json() in front)', () => {
    let base = '';
    before(async () => {
      const app = express();
      app.use(express.json());
      app.post('/echo', (req, res) => void res.json({ got: req.body }));
      app.use('/agents', gateway.handler);
      base = await serve(createServer(app));
    });

    drivesTheGateway(() => `${base}/agents`);

    it("leaves the user's own JSON route to the user", async () => {
      const res = await fetch(`${base}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"a":1}',
      });
      expect(await json(res)).to.deep.equal({ got: { a: 1 } });
    });
  });

  describe('as the request listener of a bare node:http server', () => {
    let base = '';
    before(async () => {
      base = await serve(createServer(gateway.handler));
    });

    drivesTheGateway(() => base);
  });
});

describe('the gateway mounted behind body parsers of the user app (upstream-only mode)', () => {
  let up: FakeUpstream;
  let dataDir: string;
  let gateway: Gateway;
  let base = '';
  let server: Server;

  before(async () => {
    up = await startFakeUpstream({ key: UP_KEY });
    dataDir = mkdtempSync(join(tmpdir(), 'agw-mount-raw-'));
    gateway = await createGateway(
      {
        ...defaultConfig(),
        store: 'memory://',
        dataDir,
        keys: [{ name: 'test', key: TEST_KEY }],
        logLevel: 'silent',
        upstreams: [{ name: 'up', baseUrl: up.baseUrl, key: UP_KEY }],
      },
      { logger: silentLogger, onResponseViolation: (violation) => responseViolations.push(violation) },
    );
    const app = express();
    app.use('/raw', express.raw({ type: '*/*' }), gateway.handler);
    app.use('/text', express.text({ type: 'text/*' }), gateway.handler);
    app.use('/form', express.urlencoded({ extended: false }), gateway.handler);
    app.use('/json', express.json(), gateway.handler);
    server = createServer(app);
    base = await listen(server);
  });
  after(async () => {
    await shut(server);
    await gateway.close();
    await up.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    up.requests.length = 0;
  });

  const post = (path: string, type: string, body: string) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': type },
      body,
    });

  it('forwards a body the app read as bytes, text or a form as the client sent it, in its own type', async () => {
    for (const [path, type, body] of [
      ['/raw/v1/files', 'application/octet-stream', 'hello bytes'],
      ['/text/v1/files', 'text/plain', 'hello text'],
      ['/form/v1/files', 'application/x-www-form-urlencoded', 'purpose=batch&name=a%20b'],
    ]) {
      await post(path, type, body);
      const seen = up.requests.at(-1)!;
      expect(seen.url, path).to.equal('/v1/files');
      expect(seen.body, path).to.equal(body);
      expect(seen.headers['content-type'], path).to.equal(type);
      expect(seen.headers['content-length'], path).to.equal(String(Buffer.byteLength(body)));
      expect(seen.headers.authorization, path).to.equal(`Bearer ${UP_KEY}`);
    }
  });

  it('takes a JSON body the app read as bytes or parsed itself as JSON, and forwards it as JSON', async () => {
    for (const path of ['/raw/v1/embeddings', '/json/v1/embeddings']) {
      const res = await post(path, 'application/json', '{"model":"up-model","input":"a"}');
      expect(res.status, path).to.equal(200);
      const seen = up.requests.at(-1)!;
      expect(JSON.parse(seen.body), path).to.deep.equal({ model: 'up-model', input: 'a' });
      expect(seen.headers['content-type'], path).to.equal('application/json');
    }
  });
});
