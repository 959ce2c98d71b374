// PeerForwarder (lib/http/peer-forward.ts) on real loopback sockets: a "front" instance forwards each request it gets
// to an "owner" server, which sees what the front sent and answers as a test tells it to.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { expect } from 'chai';
import { FORWARDED_HEADER, forwardProof, type PeerOutcome, PeerForwarder } from '../../lib/http/peer-forward.js';

const SECRET = 'peer-secret-0123456789';

type OwnerHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

interface Setup {
  front: string;
  owner: string;
  /** What the owner received. */
  received: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }>;
  outcomes: PeerOutcome[];
  /** Resolves when the owner's request closes (its client, the front, went away or finished). */
  ownerRequestClosed: Promise<void>;
}

const listen = async (server: Server) => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

describe('PeerForwarder', () => {
  let servers: Server[] = [];
  let forwarder: PeerForwarder;
  const sockets = new Set<Socket>();

  beforeEach(() => {
    forwarder = new PeerForwarder({ secret: SECRET, timeoutMs: 1000 });
  });
  afterEach(async () => {
    forwarder.close();
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    servers = [];
  });

  const serve = async (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
    const server = createServer(handler);
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    servers.push(server);
    return listen(server);
  };

  /** A front that forwards every request (body: its JSON) to `owner`, and an owner answering with `handler`. */
  async function setup(handler: OwnerHandler, ownerUrl?: string): Promise<Setup> {
    const received: Setup['received'] = [];
    const outcomes: PeerOutcome[] = [];
    let closed: () => void = () => undefined;
    const ownerRequestClosed = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const owner =
      ownerUrl ??
      (await serve(async (req, res) => {
        req.on('close', closed);
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const body = Buffer.concat(chunks);
        received.push({ method: req.method!, url: req.url!, headers: req.headers, body: body.toString() });
        await handler(req, res, body);
      }));
    const front = await serve(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const gone = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) gone.abort();
      });
      res.setHeader('x-request-id', 'front-id');
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : undefined;
      const outcome = await forwarder.forward(req, res, { url: owner, body, requestId: 'req-1', signal: gone.signal });
      outcomes.push(outcome);
      if (outcome.kind === 'failed' && !res.headersSent) res.writeHead(599).end(outcome.reason);
    });
    return { front, owner, received, outcomes, ownerRequestClosed };
  }

  it("sends the client's request with its headers, the body as JSON and a proof the owner verifies", async () => {
    const s = await setup((_req, res) => {
      forwarder.acknowledge(res);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    const res = await fetch(`${s.front}/p/team/v1/chat/completions?x=1`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer client-key-0123456789',
        'x-hermes-session-id': 's1',
        'content-type': 'application/json; charset=utf-8',
        [FORWARDED_HEADER]: 'forged',
      },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'héllo' }] }),
    });
    expect(res.status).to.equal(200);
    const [got] = s.received;
    expect(got.method).to.equal('POST');
    expect(got.url).to.equal('/p/team/v1/chat/completions?x=1');
    expect(got.body).to.equal('{"messages":[{"role":"user","content":"héllo"}]}');
    expect(got.headers).to.include({
      authorization: 'Bearer client-key-0123456789',
      'x-hermes-session-id': 's1',
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(got.body)),
      'x-request-id': 'req-1',
      host: new URL(s.owner).host,
    });
    expect(forwarder.isForwarded(got.headers), 'the owner accepts the proof').to.equal(true);
    expect(JSON.stringify(got.headers)).to.not.include(SECRET);
    expect(s.outcomes).to.deep.equal([{ kind: 'relayed', status: 200 }]);
  });

  it('refuses a proof made with another secret, for another request id, too old, or forged', () => {
    const at = Date.now();
    const headers = (proof: string, id = 'r1') => ({ [FORWARDED_HEADER]: proof, 'x-request-id': id });
    expect(forwarder.isForwarded(headers(forwardProof(SECRET, at, 'r1')))).to.equal(true);
    expect(forwarder.isForwarded(headers(forwardProof('another-secret-0123456789', at, 'r1')))).to.equal(false);
    expect(forwarder.isForwarded(headers(forwardProof(SECRET, at, 'r1'), 'r2'))).to.equal(false);
    expect(forwarder.isForwarded(headers(forwardProof(SECRET, at - 10 * 60_000, 'r1')))).to.equal(false);
    expect(forwarder.isForwarded(headers('forged'))).to.equal(false);
    expect(forwarder.isForwarded({ 'x-request-id': 'r1' })).to.equal(false);
  });

  it('tells a request its sender stopped waiting for (older than the acknowledgement timeout) from a fresh one', () => {
    const headers = (at: number) => ({ [FORWARDED_HEADER]: forwardProof(SECRET, at, 'r1'), 'x-request-id': 'r1' });
    expect(forwarder.isLate(headers(Date.now() - 200))).to.equal(false);
    expect(forwarder.isLate(headers(Date.now() - 1500))).to.equal(true);
    expect(forwarder.isLate({})).to.equal(false);
  });

  it("relays the owner's status, headers and bytes exactly, without hop-by-hop fields or the proof header", async () => {
    const body = Buffer.from('{"a":"ü€😀","b":[1,2,3]}\n  ');
    const s = await setup((_req, res) => {
      forwarder.acknowledge(res);
      res.setHeader('x-hermes-session-id', 's1');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.setHeader(FORWARDED_HEADER, 'leak');
      res.setHeader('proxy-authenticate', 'Basic');
      res.setHeader('x-request-id', 'req-1');
      res.writeHead(207, 'Multi Whatever', { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    });
    const res = await fetch(`${s.front}/v1/x`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).to.equal(207);
    expect(res.statusText).to.equal('Multi Whatever');
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).to.equal(true);
    expect(res.headers.get('x-hermes-session-id')).to.equal('s1');
    expect(res.headers.get('x-request-id')).to.equal('req-1');
    expect(res.headers.getSetCookie()).to.deep.equal(['a=1', 'b=2']);
    expect(res.headers.get(FORWARDED_HEADER)).to.equal(null);
    expect(res.headers.get('proxy-authenticate')).to.equal(null);
  });

  it('relays a stream chunk by chunk, as it comes, a character split across chunks included', async () => {
    let next: () => void = () => undefined;
    const s = await setup(async (_req, res) => {
      forwarder.acknowledge(res);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const euro = Buffer.from('€');
      const parts = [
        Buffer.from('data: {"x":"a'),
        euro.subarray(0, 1),
        Buffer.concat([euro.subarray(1), Buffer.from('"}\n\n')]),
      ];
      for (const part of parts) {
        res.write(part);
        // The next part waits for the client to have read this one: only an unbuffered relay lets it through.
        await new Promise<void>((resolve) => {
          next = resolve;
        });
      }
      res.end('data: [DONE]\n\n');
    });
    const res = await fetch(`${s.front}/v1/x`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.headers.get('content-type')).to.equal('text/event-stream');
    const reader = res.body!.getReader();
    const seen: Buffer[] = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      seen.push(Buffer.from(value));
      next();
    }
    expect(Buffer.concat(seen).toString()).to.equal('data: {"x":"a€"}\n\ndata: [DONE]\n\n');
  });

  it('aborts the peer request when the client leaves', async () => {
    const s = await setup((_req, res) => {
      forwarder.acknowledge(res);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
    });
    const leaving = new AbortController();
    const res = await fetch(`${s.front}/v1/x`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
      signal: leaving.signal,
    });
    await res.body!.getReader().read();
    leaving.abort();
    await s.ownerRequestClosed;
  });

  it('fails as unreachable when the connection fails, and as timeout without an acknowledgement in time', async () => {
    const dead = createServer();
    dead.on('connection', (socket: Socket) => socket.destroy());
    servers.push(dead);
    const a = await setup(() => undefined, await listen(dead));
    const res = await fetch(`${a.front}/v1/x`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).to.equal(599);
    expect(await res.text()).to.equal('unreachable');

    const b = await setup(() => undefined); // accepts, reads, never answers
    const started = Date.now();
    const stuck = await fetch(`${b.front}/v1/x`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(await stuck.text()).to.equal('timeout');
    expect(Date.now() - started).to.be.within(900, 5000);
  });

  it('waits past the timeout once the owner acknowledged, however long the turn takes', async () => {
    const s = await setup(async (_req, res) => {
      forwarder.acknowledge(res);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"late":true}');
    });
    const res = await fetch(`${s.front}/v1/x`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(await res.json()).to.deep.equal({ late: true });
  });

  it('fails as refused on a 503 before any acknowledgement (a draining owner), and relays one after it', async () => {
    const draining = await setup((_req, res) => void res.writeHead(503).end('{"error":{}}'));
    const res = await fetch(`${draining.front}/v1/x`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(await res.text()).to.equal('refused');

    const busy = await setup((_req, res) => {
      forwarder.acknowledge(res);
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"code":"agent_unavailable"}}');
    });
    const relayed = await fetch(`${busy.front}/v1/x`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(relayed.status).to.equal(503);
    expect(await relayed.json()).to.deep.equal({ error: { code: 'agent_unavailable' } });
  });

  it('reports lost, and cuts the client response, when the owner goes away mid-answer', async () => {
    const s = await setup((req, res) => {
      forwarder.acknowledge(res);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n', () => setTimeout(() => req.socket.destroy(), 50));
    });
    const res = await fetch(`${s.front}/v1/x`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    const error = await res.text().then(
      () => null,
      (e: Error) => e,
    );
    expect(error, 'the client sees its stream cut').to.be.instanceOf(Error);
    expect(s.outcomes.map((o) => o.kind)).to.deep.equal(['lost']);
  });
});
