// The forwarder's known risks (lib/proxy/upstream.ts, upstream-response.ts, lib/http/path-guard.ts): path
// traversal, the upstream key echoed back in error bodies, uncapped 2xx bodies, stale keep-alive connections,
// credentials in the upstream URL, Expect: 100-continue. Real loopback sockets throughout.
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import { type AddressInfo, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { brotliCompressSync, deflateSync, gunzipSync, gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { type FakeUpstream, sendJson, startFakeUpstream } from '../../fixtures/upstream/openai-upstream.js';
import { memoryLogger } from '../agents/scripted-agent-config.js';
import { bodyOf, startTestGateway, TEST_KEY, type TestGateway, withUpstreamGateway } from '../support/gateway.js';
import { jsonOf, type RawResponse, rawRequest } from '../support/raw-http.js';

const UP_KEY = 'sk-risks-upstream-0123456789';
const LIMIT = 4096;
const chatBody = { model: 'up-model', messages: [{ role: 'user', content: 'hi' }] };
const completion = {
  id: 'chatcmpl-risk',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'up-model',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
};

/** A raw POST of JSON with the test key. */
function postJson(gw: TestGateway, path: string, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  return rawRequest(`${gw.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TEST_KEY}`,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    },
    chunks: [text],
  });
}

/** An upstream handler answering 200 with these gzip bytes as its JSON body. */
const answerGzipJson =
  (compressed: Buffer): FakeUpstream['handler'] =>
  (_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'content-length': String(compressed.length),
    });
    res.end(compressed);
    return true;
  };

/** The Content-Length the gateway declared is the body it sent. */
function expectFramed(res: RawResponse) {
  expect(res.headers['content-length'], 'Content-Length').to.equal(String(res.body.length));
}

describe('forwarder risks', function () {
  this.timeout(20_000);
  let up: FakeUpstream;
  let gw: TestGateway;
  withUpstreamGateway(
    { key: UP_KEY },
    (up) => ({ bodyLimitBytes: LIMIT, upstreams: [{ name: 'default', baseUrl: up.baseUrl, key: UP_KEY }] }),
    (u, g) => {
      up = u;
      gw = g;
    },
  );

  describe('path traversal', () => {
    const TRAVERSALS = [
      '/v1/../../admin/users',
      '/v1/%2e%2e/admin',
      '/v1/..%2fadmin',
      '/v1/%2E%2E/x',
      '/v1/chat/completions/..',
      '/v1/a%5cb',
      '/v1/./models',
      '/v1/a\\b',
      '/v1/.%2e/admin',
      '/v1/..;/admin', // Tomcat and Spring read `..;` as `..`
      '/v1/.;x/admin',
    ];

    for (const path of TRAVERSALS) {
      it(`answers 400 invalid_path for ${path} (GET and POST) and forwards nothing`, async () => {
        for (const method of ['GET', 'POST']) {
          const text = JSON.stringify(chatBody);
          const res = await rawRequest(gw.url, {
            method,
            path,
            headers: {
              authorization: `Bearer ${TEST_KEY}`,
              ...(method === 'POST' && {
                'content-type': 'application/json',
                'content-length': String(text.length),
              }),
            },
            chunks: method === 'POST' ? [text] : [],
          });
          expect(res.status, `${method} ${path}`).to.equal(400);
          expect(jsonOf(res), `${method} ${path}`).to.deep.equal({
            error: {
              message: 'The URL path may not contain dot segments or encoded dots, slashes or backslashes.',
              type: 'invalid_request_error',
              param: null,
              code: 'invalid_path',
            },
          });
          expectFramed(res);
        }
        expect(up.requests).to.have.length(0);
      });
    }

    it('refuses a traversal before auth: no key, still 400 invalid_path', async () => {
      const res = await rawRequest(gw.url, { path: '/v1/../admin' });
      expect(res.status).to.equal(400);
      expect(jsonOf(res).error.code).to.equal('invalid_path');
      expect(up.requests).to.have.length(0);
    });

    it('forwards a path with dots inside its segments unchanged', async () => {
      for (const path of ['/v1/files/a.b', '/v1/files/a..b', '/v1/files/.well', '/v1/files/x.?q=../y']) {
        const res = await rawRequest(gw.url, { path, headers: { authorization: `Bearer ${TEST_KEY}` } });
        expect(res.status, path).to.equal(404); // the fake upstream's own answer: it has no /v1/files
        expect(jsonOf(res).error.message).to.equal(`Unknown route GET ${path.split('?')[0]}`);
        expect(up.requests.at(-1)?.url).to.equal(path);
      }
      expect(up.requests).to.have.length(4);
    });
  });

  describe('the upstream key echoed in an error body', () => {
    /** An upstream that reports the Authorization it received, as some do in their 401 message. */
    const echoing = (status: number, encode: (bytes: Buffer) => Buffer, coding: string | null, framed: boolean) => {
      up.handler = (req, res) => {
        const body = encode(
          Buffer.from(
            JSON.stringify({
              error: {
                message: `Incorrect API key provided: ${req.headers.authorization}.`,
                type: 'invalid_request_error',
                param: null,
                code: 'invalid_api_key',
              },
            }),
          ),
        );
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (coding) headers['content-encoding'] = coding;
        if (framed) headers['content-length'] = String(body.length);
        res.writeHead(status, headers);
        if (framed) res.end(body);
        else {
          res.write(body.subarray(0, 10)); // chunked, in pieces
          res.end(body.subarray(10));
        }
        return true;
      };
    };
    const redacted = {
      error: {
        message: 'Incorrect API key provided: Bearer [redacted].',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    };
    const identity = (bytes: Buffer) => bytes;
    const CASES: Array<[string, number, (bytes: Buffer) => Buffer, string | null, boolean]> = [
      ['a 401 with Content-Length', 401, identity, null, true],
      ['a 500 with Content-Length', 500, identity, null, true],
      ['a chunked 403', 403, identity, null, false],
      ['a gzip-encoded 401', 401, gzipSync, 'gzip', true],
      ['a chunked gzip-encoded 502', 502, gzipSync, 'gzip', false],
      ['a deflate-encoded 400', 400, deflateSync, 'deflate', true],
      ['a br-encoded 429', 429, brotliCompressSync, 'br', true],
    ];

    for (const [name, status, encode, coding, framed] of CASES) {
      it(`reaches the client without the key, correctly framed: ${name}`, async () => {
        echoing(status, encode, coding, framed);
        const res = await postJson(gw, '/v1/chat/completions', chatBody, { 'accept-encoding': 'gzip, deflate, br' });
        expect(res.status).to.equal(status);
        expect(res.body.toString('latin1')).not.to.include(UP_KEY);
        expect(res.headers['content-encoding']).to.equal(undefined); // sent decoded
        expect(JSON.stringify(res.headers)).not.to.include(UP_KEY);
        expectFramed(res);
        expect(jsonOf(res)).to.deep.equal(redacted);
        expect(up.requests[0].headers.authorization).to.equal(`Bearer ${UP_KEY}`); // the echo was real
      });
    }

    const encodedError = (body: Buffer) => {
      up.handler = (_req, res) => {
        res.writeHead(401, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(body);
        return true;
      };
    };

    it('answers 502 upstream_invalid_response for an error body that claims gzip but is not', async () => {
      encodedError(Buffer.from(`{"error":{"message":"Bearer ${UP_KEY}"}}`));
      const res = await postJson(gw, '/v1/chat/completions', chatBody);
      expect(res.status).to.equal(502);
      expect(jsonOf(res)).to.deep.equal({
        error: {
          message: 'Upstream sent an invalid response: default: body not valid gzip',
          type: 'server_error',
          param: null,
          code: 'upstream_invalid_response',
        },
      });
    });

    it('answers 502 upstream_invalid_response for a gzip error body that inflates past the limit', async () => {
      encodedError(gzipSync(Buffer.from(JSON.stringify({ error: { message: 'x'.repeat(100 * LIMIT) } }))));
      const res = await postJson(gw, '/v1/chat/completions', chatBody);
      expect(res.status).to.equal(502);
      expect(jsonOf(res).error.message).to.equal(
        `Upstream sent an invalid response: default: body larger than ${LIMIT} bytes once decoded`,
      );
    });
  });

  describe('2xx JSON bodies', () => {
    it('answers 502 upstream_invalid_response for a chunked 2xx JSON body past the body limit', async () => {
      let sent = 0;
      up.handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id":"chatcmpl-big","pad":"');
        for (let i = 0; i < 8; i++) {
          res.write('x'.repeat(1024));
          sent += 1024;
        }
        res.end('"}');
        return true;
      };
      const res = await postJson(gw, '/v1/chat/completions', chatBody);
      expect(res.status).to.equal(502);
      expect(jsonOf(res)).to.deep.equal({
        error: {
          message: `Upstream sent an invalid response: default: body larger than ${LIMIT} bytes`,
          type: 'server_error',
          param: null,
          code: 'upstream_invalid_response',
        },
      });
      expect(sent).to.be.greaterThan(LIMIT);
    });

    it('passes a chunked 2xx JSON body under the limit whole, with a Content-Length', async () => {
      const text = JSON.stringify(completion);
      up.handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        for (let i = 0; i < text.length; i += 40) res.write(text.slice(i, i + 40));
        res.end();
        return true;
      };
      const res = await postJson(gw, '/v1/chat/completions', chatBody);
      expect(res.status).to.equal(200);
      expect(res.body.toString('utf8')).to.equal(text);
      expectFramed(res);
    });

    it('passes a gzip-compressed valid 2xx JSON body byte for byte, Content-Encoding kept', async () => {
      const compressed = gzipSync(Buffer.from(JSON.stringify(completion)));
      up.handler = answerGzipJson(compressed);
      const res = await postJson(gw, '/v1/chat/completions', chatBody, { 'accept-encoding': 'gzip' });
      expect(res.status).to.equal(200);
      expect(res.headers['content-encoding']).to.equal('gzip');
      expect(res.body.equals(compressed)).to.equal(true);
      expectFramed(res);
      expect(JSON.parse(gunzipSync(res.body).toString('utf8'))).to.deep.equal(completion);
      expect(up.requests[0].headers['accept-encoding']).to.equal('gzip'); // the client's, passed on
    });

    it('answers 502 upstream_invalid_response for a gzip-compressed 2xx JSON body that is not JSON', async () => {
      const compressed = gzipSync(Buffer.from('{"id": "chatcmpl-1", "choices": ['));
      up.handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(compressed);
        return true;
      };
      const res = await postJson(gw, '/v1/chat/completions', chatBody, { 'accept-encoding': 'gzip' });
      expect(res.status).to.equal(502);
      expect(jsonOf(res).error.code).to.equal('upstream_invalid_response');
    });

    it('answers 502 upstream_invalid_response for a small gzip body that inflates past the limit', async () => {
      // A few hundred bytes on the wire, a hundred times the limit once decoded (a decompression bomb in small).
      const compressed = gzipSync(Buffer.from(JSON.stringify({ pad: 'x'.repeat(100 * LIMIT) })));
      expect(compressed.length).to.be.below(LIMIT);
      up.handler = answerGzipJson(compressed);
      const res = await postJson(gw, '/v1/chat/completions', chatBody, { 'accept-encoding': 'gzip' });
      expect(res.status).to.equal(502);
      expect(jsonOf(res)).to.deep.equal({
        error: {
          message: `Upstream sent an invalid response: default: body larger than ${LIMIT} bytes once decoded`,
          type: 'server_error',
          param: null,
          code: 'upstream_invalid_response',
        },
      });
    });
  });

  describe('Expect: 100-continue', () => {
    it('swaps the Authorization of a JSON request sent after 100 Continue', async () => {
      const text = JSON.stringify(chatBody);
      const res = await rawRequest(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TEST_KEY}`,
          'content-type': 'application/json',
          'content-length': String(text.length),
        },
        chunks: [text],
        expectContinue: true,
      });
      expect(res.continued).to.equal(true);
      expect(res.status).to.equal(200);
      expect(jsonOf(res).object).to.equal('chat.completion');
      const seen = up.requests[0];
      expect(seen.headers.authorization).to.equal(`Bearer ${UP_KEY}`);
      expect(seen.headers.expect).to.equal(undefined);
      expect(JSON.stringify(seen)).not.to.include(TEST_KEY);
      expect(seen.body).to.equal(text);
    });

    it('swaps the Authorization of a raw body streamed to the upstream after 100 Continue', async () => {
      const res = await rawRequest(`${gw.url}/v1/files`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/octet-stream' },
        chunks: ['part one, ', 'part two'],
        expectContinue: true,
      });
      expect(res.continued).to.equal(true);
      expect(res.status).to.equal(404); // the fake upstream's own answer
      const seen = up.requests[0];
      expect(seen.url).to.equal('/v1/files');
      expect(seen.headers.authorization).to.equal(`Bearer ${UP_KEY}`);
      expect(seen.headers.expect).to.equal(undefined);
      expect(JSON.stringify(seen)).not.to.include(TEST_KEY);
      expect(seen.body).to.equal('part one, part two');
    });
  });
});

describe('forwarder risks: a kept-alive connection the upstream dropped', () => {
  /** One upstream whose numbered requests (from 1, over all connections) in `drop` lose their connection. */
  async function droppingUpstream(drop: number[]) {
    const seen: Array<{ n: number; port: number; body: string }> = [];
    const server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const n = seen.length + 1;
        seen.push({ n, port: (req.socket as Socket).remotePort!, body: Buffer.concat(chunks).toString('utf8') });
        // The whole request arrived; the connection goes without an answer, as when an idle connection is closed
        // by the upstream at the moment a request is written to it.
        if (drop.includes(n)) return void req.socket.destroy();
        sendJson(res, 200, { ...completion, id: `chatcmpl-${n}` });
      });
    });
    server.keepAliveTimeout = 60_000;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const gw = await startTestGateway({ upstreams: [{ name: 'default', baseUrl: url, key: UP_KEY }] });
    return {
      gw,
      seen,
      async stop() {
        await gw.stop();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  const post = (gw: TestGateway, n: number) =>
    gw.request('/v1/chat/completions', { method: 'POST', json: { ...chatBody, n } });

  it('retries a POST once when its reused connection is dropped, and succeeds', async () => {
    const { gw, seen, stop } = await droppingUpstream([2]);
    try {
      expect((await post(gw, 1)).status).to.equal(200);
      const res = await post(gw, 2);
      expect(res.status).to.equal(200);
      expect((await bodyOf(res)).id).to.equal('chatcmpl-3');
      expect(seen.map((s) => s.n)).to.deep.equal([1, 2, 3]);
      expect(seen[1].port, 'the second request went on the kept-alive connection').to.equal(seen[0].port);
      expect(seen[2].port, 'the retry went on a new connection').not.to.equal(seen[1].port);
      expect(JSON.parse(seen[2].body)).to.deep.equal({ ...chatBody, n: 2 }); // the same bytes, sent again
      expect(seen[2].body).to.equal(seen[1].body);
    } finally {
      await stop();
    }
  });

  it('retries only once: a retry whose new connection is dropped too answers 502', async () => {
    const { gw, seen, stop } = await droppingUpstream([2, 3]);
    try {
      expect((await post(gw, 1)).status).to.equal(200);
      const res = await post(gw, 2);
      expect(res.status).to.equal(502);
      expect((await bodyOf(res)).error).to.deep.include({ code: 'upstream_unavailable', type: 'server_error' });
      await new Promise((resolve) => setTimeout(resolve, 200)); // no late attempt
      expect(seen.map((s) => s.n)).to.deep.equal([1, 2, 3]);
    } finally {
      await stop();
    }
  });

  it('never retries a POST whose new connection is dropped after it was sent (502)', async () => {
    const { gw, seen, stop } = await droppingUpstream([1]);
    try {
      const res = await post(gw, 1);
      expect(res.status).to.equal(502);
      expect(await bodyOf(res)).to.deep.equal({
        error: {
          message: 'Upstream unavailable: default: ECONNRESET (socket hang up)',
          type: 'server_error',
          param: null,
          code: 'upstream_unavailable',
        },
      });
      await new Promise((resolve) => setTimeout(resolve, 200)); // no late attempt
      expect(seen).to.have.length(1);
      // The gateway keeps serving.
      expect((await post(gw, 2)).status).to.equal(200);
    } finally {
      await stop();
    }
  });
});

describe('forwarder risks: credentials in the upstream URL', () => {
  const SECRET = 's3cret';
  const BASIC = Buffer.from(`user:${SECRET}`).toString('base64');
  let up: FakeUpstream;
  let gw: TestGateway;
  let lines: ReturnType<typeof memoryLogger>['lines'];
  let deadPort: number;
  let dead: NetServer;
  before(async () => {
    up = await startFakeUpstream({ key: UP_KEY });
    // An upstream that drops every connection: held open for the whole block, so no other server can take its
    // port (a freed port was once reused by another spec's server, answering 401 instead).
    dead = createNetServer((socket) => socket.destroy());
    dead.listen(0, '127.0.0.1');
    await once(dead, 'listening');
    deadPort = (dead.address() as AddressInfo).port;
    const memory = memoryLogger();
    lines = memory.lines;
    gw = await startTestGateway({
      upstreams: [
        { name: 'default', baseUrl: `http://user:${SECRET}@${up.url.slice('http://'.length)}/v1`, key: UP_KEY },
        { name: 'dead', baseUrl: `http://user:${SECRET}@127.0.0.1:${deadPort}/v1`, key: UP_KEY },
      ],
      routes: [{ model: 'dead-model', upstream: 'dead' }],
      logLevel: 'debug',
      options: { logger: memory.logger },
    });
  });
  after(async () => {
    await gw.stop();
    await up.close();
    await new Promise<void>((resolve) => dead.close(() => resolve()));
  });

  it('forwards with the configured key, never the URL credentials, and never logs them', async () => {
    const answers: string[] = [];
    const keep = async (res: Response) => {
      answers.push(`${res.status} ${JSON.stringify([...res.headers])} ${await res.text()}`);
      return res.status;
    };
    expect(await keep(await gw.request('/v1/chat/completions', { method: 'POST', json: chatBody }))).to.equal(200);
    expect(await keep(await gw.request('/v1/models'))).to.equal(200);
    expect(await keep(await gw.request('/v1/files?purpose=x'))).to.equal(404); // the upstream's own 404
    expect(await keep(await gw.request('/health/detailed'))).to.equal(200);
    up.handler = (req) => {
      if (req.url?.includes('boom')) {
        req.socket.destroy();
        return true;
      }
      return false;
    };
    expect(await keep(await gw.request('/v1/boom', { method: 'POST', json: { model: 'm' } }))).to.equal(502);
    const refused = await gw.request('/v1/chat/completions', {
      method: 'POST',
      json: { ...chatBody, model: 'dead-model' },
    });
    expect(await keep(refused)).to.equal(502);
    up.handler = null;

    expect(up.requests.length).to.be.at.least(4);
    for (const seen of up.requests) {
      expect(seen.headers.authorization, seen.url).to.equal(`Bearer ${UP_KEY}`);
      const all = JSON.stringify(seen);
      for (const needle of [SECRET, BASIC, 'user:', TEST_KEY]) expect(all, seen.url).not.to.include(needle);
    }
    for (const answer of answers) expect(answer).not.to.include(SECRET);

    expect(lines.length).to.be.greaterThan(0);
    const warned = lines.filter((line) => line.msg.startsWith('ignoring the credentials in the upstream URL'));
    expect(warned.map((line) => line.url)).to.deep.equal([up.baseUrl, `http://127.0.0.1:${deadPort}/v1`]);
    expect(lines.some((line) => line.code === 'upstream_unavailable')).to.equal(true); // failures were logged
    const logged = JSON.stringify(lines);
    expect(logged).not.to.include(SECRET);
    expect(logged).not.to.include(BASIC);
    expect(logged).not.to.include(UP_KEY);
  });
});
