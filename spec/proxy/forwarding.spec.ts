import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { spawn } from 'node:child_process';
import { expect } from 'chai';
import {
  chatStreamFrames,
  type FakeUpstream,
  openSse,
  sendJson,
  startFakeUpstream,
} from '../../fixtures/upstream/openai-upstream.js';
import { SECURITY_HEADERS } from '../../lib/http/security-headers.js';
import { bodyOf, startTestGateway, TEST_KEY, type TestGateway, withUpstreamGateway } from '../support/gateway.js';

const UP_KEY = 'sk-upstream-secret-0123456789';
const chatBody = (model: string, extra: object = {}) => ({
  model,
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

describe('proxy forwarding (upstream-only mode)', () => {
  let up: FakeUpstream;
  let gw: TestGateway;
  withUpstreamGateway(
    { key: UP_KEY, models: ['up-model', 'up-other'] },
    (up) => ({
      corsOrigins: ['https://app.example'],
      upstreams: [{ name: 'default', baseUrl: up.baseUrl, key: UP_KEY, headers: { 'x-extra': 'yes' } }],
    }),
    (u, g) => {
      up = u;
      gw = g;
    },
  );

  it('forwards a chat completion with the upstream key, never the client key, and passes X-Request-Id', async () => {
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      json: chatBody('up-model'),
      headers: { 'x-request-id': 'req-proxy-1', connection: 'keep-alive', 'x-custom': 'kept' },
    });
    expect(res.status).to.equal(200);
    const body = await bodyOf(res);
    expect(body.object).to.equal('chat.completion');
    expect(body.choices[0].message.content).to.equal('Hello from the upstream');
    const seen = up.requests[0];
    expect(seen.url).to.equal('/v1/chat/completions');
    expect(seen.headers.authorization).to.equal(`Bearer ${UP_KEY}`);
    expect(JSON.stringify(seen.headers)).not.to.include(TEST_KEY);
    expect(seen.headers['x-request-id']).to.equal('req-proxy-1');
    expect(seen.headers['x-custom']).to.equal('kept');
    expect(seen.headers['x-extra']).to.equal('yes');
    expect(JSON.parse(seen.body)).to.deep.equal(chatBody('up-model'));
    expect(res.headers.get('x-request-id')).to.equal('req-proxy-1');
  });

  it('never shows the upstream key to the client and keeps the gateway security and CORS headers', async () => {
    up.handler = (_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'access-control-allow-origin': '*',
        'x-frame-options': 'SAMEORIGIN',
        'x-request-id': 'up-req-9',
        'x-upstream-thing': '1',
      });
      res.end('{"ok":true}');
      return true;
    };
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      json: chatBody('up-model'),
      headers: { origin: 'https://app.example' },
    });
    expect(res.status).to.equal(200);
    expect(res.headers.get('access-control-allow-origin')).to.equal('https://app.example');
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name), name).to.equal(value);
    expect(res.headers.get('x-upstream-request-id')).to.equal('up-req-9');
    expect(res.headers.get('x-upstream-thing')).to.equal('1');
    expect([...res.headers.values()].join(' ')).not.to.include(UP_KEY);
    expect(await res.text()).to.equal('{"ok":true}');
  });

  it('passes upstream 4xx and 5xx answers through with their body', async () => {
    for (const status of [400, 429, 500, 503]) {
      up.handler = (_req, res) => {
        sendJson(res, status, { error: { message: `boom ${status}`, type: 'x', param: null, code: 'up_code' } });
        return true;
      };
      const res = await gw.request('/v1/chat/completions', { method: 'POST', json: chatBody('up-model') });
      expect(res.status).to.equal(status);
      expect(await bodyOf(res)).to.deep.equal({
        error: { message: `boom ${status}`, type: 'x', param: null, code: 'up_code' },
      });
    }
  });

  it('forwards Responses calls and GET/DELETE of stored responses to the upstream', async () => {
    const created = await gw.request('/v1/responses', { method: 'POST', json: { model: 'up-model', input: 'hi' } });
    expect(created.status).to.equal(200);
    expect((await bodyOf(created)).id).to.equal('resp_up1');
    const got = await gw.request('/v1/responses/resp_up1');
    expect(got.status).to.equal(404); // the fake upstream stores nothing: its own 404 comes back
    expect((await bodyOf(got)).error.message).to.equal('Unknown route GET /v1/responses/resp_up1');
    expect(up.requests.map((r) => `${r.method} ${r.url}`)).to.deep.equal([
      'POST /v1/responses',
      'GET /v1/responses/resp_up1',
    ]);
  });

  it('proxies every /v1/* route the gateway does not own, JSON or not, and 404s the rest', async () => {
    const embeddings = await gw.request('/v1/embeddings', { method: 'POST', json: { model: 'up-model', input: 'a' } });
    expect(embeddings.status).to.equal(200);
    expect((await bodyOf(embeddings)).data[0].embedding).to.deep.equal([0.1, 0.2, 0.3]);

    const form = '--b\r\ncontent-disposition: form-data; name="purpose"\r\n\r\nbatch\r\n--b--\r\n';
    const upload = await gw.request('/v1/files?x=1', {
      method: 'POST',
      body: form,
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
    });
    expect(upload.status).to.equal(404); // the fake upstream has no /v1/files
    const seen = up.requests.at(-1)!;
    expect(seen.url).to.equal('/v1/files?x=1');
    expect(seen.body).to.equal(form);
    expect(seen.headers['content-type']).to.equal('multipart/form-data; boundary=b');

    const outside = await gw.request('/api/other');
    expect(outside.status).to.equal(404);
    expect((await bodyOf(outside)).error.code).to.equal('not_found');
    const wrongMethod = await gw.request('/v1/chat/completions', { method: 'PUT', json: {} });
    expect(wrongMethod.status).to.equal(405);
    expect(up.requests).to.have.length(2);
  });

  it('lists the upstream models at /v1/models', async () => {
    const res = await gw.request('/v1/models');
    const body = await bodyOf(res);
    expect(body.data.map((m: { id: string }) => m.id)).to.deep.equal(['up-model', 'up-other']);
    expect(body.data[0]).to.include({
      object: 'model',
      owned_by: 'agent-gateway',
      root: 'up-model',
      parent: 'default',
    });
  });

  it('streams SSE byte for byte with X-Accel-Buffering: no and no compression', async () => {
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      json: chatBody('up-model', { stream: true }),
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('text/event-stream');
    expect(res.headers.get('x-accel-buffering')).to.equal('no');
    expect(await res.text()).to.equal(chatStreamFrames('up-model', 'Hello from the upstream').join(''));
    expect(up.requests[0].headers['accept-encoding']).to.equal(undefined);
  });

  it('delivers each chunk as it leaves the upstream: chunk 1 arrives before chunk 2 is sent', async () => {
    const frames = chatStreamFrames('up-model', 'one two three');
    let release: () => void = () => undefined;
    const sentAt: number[] = [];
    up.handler = async (_req, res) => {
      openSse(res);
      for (const frame of frames) {
        sentAt.push(performance.now());
        res.write(frame);
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      }
      res.end();
      return true;
    };
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      json: chatBody('up-model', { stream: true }),
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    const delays: number[] = [];
    for (let i = 0; i < frames.length; i++) {
      while (received.length < frames.slice(0, i + 1).join('').length) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended early');
        received += decoder.decode(value, { stream: true });
      }
      delays.push(performance.now() - sentAt[i]);
      expect(sentAt).to.have.length(i + 1); // the next chunk is still held back by the upstream
      release();
    }
    expect(received).to.equal(frames.join(''));
    expect((await reader.read()).done).to.equal(true);
    // Generous for CI: the gateway adds no buffering, so each chunk arrives within a few ms.
    expect(Math.max(...delays)).to.be.below(100);
  });

  it('aborts the upstream request when the client disconnects', async () => {
    let upstreamClosed: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => {
      upstreamClosed = resolve;
    });
    up.handler = (_req, res) => {
      openSse(res);
      res.write(chatStreamFrames('up-model', 'x')[0]);
      res.on('close', () => upstreamClosed());
      return true;
    };
    const controller = new AbortController();
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      json: chatBody('up-model', { stream: true }),
      signal: controller.signal,
    });
    await res.body!.getReader().read();
    controller.abort();
    await closed; // the upstream saw its request go away
    const health = await gw.request('/v1/models');
    expect(health.status).to.equal(200);
  });

  it('ends the client stream with one error frame when the upstream dies mid-stream', async () => {
    const frames = chatStreamFrames('up-model', 'a b');
    up.handler = (_req, res) => {
      openSse(res);
      res.write(frames[0]);
      res.write(frames[1]);
      setTimeout(() => res.socket?.destroy(), 20);
      return true;
    };
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      json: chatBody('up-model', { stream: true }),
    });
    const text = await res.text();
    expect(text.startsWith(frames[0] + frames[1])).to.equal(true);
    const last = JSON.parse(text.slice((frames[0] + frames[1]).length).replace(/^data: /, ''));
    expect(last.error.code).to.equal('upstream_unavailable');
    expect(last.error.type).to.equal('server_error');
  });

  it('cuts a non-SSE body the upstream abandons, so the client sees it is incomplete', async () => {
    up.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 20);
      return true;
    };
    const res = await gw.request('/v1/audio/speech', { method: 'POST', json: { model: 'up-model', input: 'x' } });
    expect(res.status).to.equal(200);
    let failed = false;
    await res.text().catch(() => {
      failed = true;
    });
    expect(failed).to.equal(true);
  });

  it('answers 502 upstream_invalid_response for a 2xx JSON body that does not parse', async () => {
    up.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id": "chatcmpl-1", "choices": [');
      return true;
    };
    const res = await gw.request('/v1/chat/completions', { method: 'POST', json: chatBody('up-model') });
    expect(res.status).to.equal(502);
    const body = await bodyOf(res);
    expect(body.error.code).to.equal('upstream_invalid_response');
    expect(body.error.type).to.equal('server_error');
  });
});

describe('proxy timeouts and unreachable upstreams', () => {
  it('answers 504 upstream_timeout when the upstream goes quiet, and keeps serving', async () => {
    const up = await startFakeUpstream();
    up.handler = (req, res) => {
      if (req.url?.includes('slow')) return true; // never answers
      sendJson(res, 200, { ok: true });
      return true;
    };
    const gw = await startTestGateway({ upstreams: [{ name: 'default', baseUrl: up.url, timeoutSeconds: 0.2 }] });
    try {
      const started = performance.now();
      const res = await gw.request('/v1/slow', { method: 'POST', json: { model: 'm' } });
      expect(res.status).to.equal(504);
      expect((await bodyOf(res)).error.code).to.equal('upstream_timeout');
      expect(performance.now() - started).to.be.below(2000);
      const ok = await gw.request('/v1/fast', { method: 'POST', json: { model: 'm' } });
      expect(ok.status).to.equal(200);
    } finally {
      await gw.stop();
      await up.close();
    }
  });

  it('answers 504 upstream_timeout when the connection is never established (connect timeout)', async function () {
    this.timeout(15_000);
    // A listener that never accepts: a child process blocks its event loop right after listen() with a backlog of
    // 1, a few sockets fill its accept queue, and the kernel then drops the gateway's SYNs: connect() hangs.
    const child = spawn(
      process.execPath,
      [
        '-e',
        `require('node:net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, function () {
          process.stdout.write(this.address().port + '\\n');
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
        });`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const fillers: Socket[] = [];
    try {
      const [line] = (await once(child.stdout!, 'data')) as [Buffer];
      const port = Number(line.toString().trim());
      // Fill the queue until a connect no longer completes (the kernel admits a backlog + 1).
      for (let i = 0; i < 16; i++) {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        fillers.push(socket);
        const connected = await Promise.race([
          once(socket, 'connect').then(() => true),
          new Promise<boolean>((resolve) => setTimeout(resolve, 200, false)),
        ]);
        if (!connected) break;
      }
      const gw = await startTestGateway({
        upstreams: [
          { name: 'default', baseUrl: `http://127.0.0.1:${port}/v1`, connectTimeoutSeconds: 0.3, timeoutSeconds: 30 },
        ],
      });
      try {
        const started = performance.now();
        const res = await gw.request('/v1/chat/completions', { method: 'POST', json: chatBody('m') });
        expect(res.status).to.equal(504);
        const body = await bodyOf(res);
        expect(body.error.code).to.equal('upstream_timeout');
        expect(body.error.message).to.include('no connection within 300 ms');
        // The connect timer, not the 30 s idle one; a POST is never retried.
        expect(performance.now() - started).to.be.below(5000);
      } finally {
        await gw.stop();
      }
    } finally {
      for (const socket of fillers) socket.destroy();
      child.kill('SIGKILL');
    }
  });

  it('answers 502 upstream_unavailable when nothing listens, after retrying idempotent requests only', async () => {
    // A port that was free a moment ago: connection refused.
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const gw = await startTestGateway({ upstreams: [{ name: 'default', baseUrl: `http://127.0.0.1:${port}/v1` }] });
    try {
      const post = await gw.request('/v1/chat/completions', { method: 'POST', json: chatBody('m') });
      expect(post.status).to.equal(502);
      const body = await bodyOf(post);
      expect(body.error.code).to.equal('upstream_unavailable');
      expect(body.error.message).to.include('ECONNREFUSED');
      const get = await gw.request('/v1/files');
      expect(get.status).to.equal(502);
    } finally {
      await gw.stop();
    }
  });

  it('retries a GET whose connection was refused and succeeds once the upstream is up', async () => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const gw = await startTestGateway({ upstreams: [{ name: 'default', baseUrl: `http://127.0.0.1:${port}` }] });
    const late = createServer((_req, res) => sendJson(res, 200, { late: true }));
    try {
      const pending = gw.request('/v1/files');
      setTimeout(() => late.listen(port, '127.0.0.1'), 10); // up before the second attempt (25 ms later)
      const res = await pending;
      expect(res.status).to.equal(200);
      expect(await bodyOf(res)).to.deep.equal({ late: true });
    } finally {
      await gw.stop();
      late.closeAllConnections();
      late.close();
    }
  });

  it('answers 413 for a chunked raw body past the limit without waiting for the upstream', async () => {
    const up = await startFakeUpstream();
    up.handler = () => true; // reads everything, never answers
    const gw = await startTestGateway({ bodyLimitBytes: 2048, upstreams: [{ name: 'default', baseUrl: up.url }] });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          `${gw.url}/v1/files`,
          {
            method: 'POST',
            headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/octet-stream' },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
          },
        );
        req.on('error', reject);
        for (let i = 0; i < 10; i++) req.write('x'.repeat(512));
        req.end();
      });
      expect(status).to.equal(413);
    } finally {
      await gw.stop();
      await up.close();
    }
  });
});
