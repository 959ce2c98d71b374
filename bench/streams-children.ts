// The processes of the streams bench (bench/streams.ts) other than the gateway, one role each (BENCH_STREAMS_ROLE):
//   upstream    a loopback OpenAI-compatible upstream: every POST streams `chunks` SSE chunks, one per interval, then
//               [DONE] (`chunks=N` in the body sets N; else BENCH_STREAMS_CHUNKS)
//   clients     the load generator: opens `count` streams in batches, reads them to the end, reports events. Each
//               stream asks for `seconds` chunks plus what the rest of the ramp should take at its pace so far, so
//               all streams end about `seconds` after the last one opened, however loaded the machine
//   pipe-floor  the least a streaming Node proxy holds per stream: node:http server, http.request on a keep-alive
//               agent, the answer's head written at once and its body piped as it comes
//   acp-floor   the least a Node ACP client holds per turn: the official SDK on the same pool of scripted agents,
//               one session per turn, every turn at once (no HTTP, no store)
// Node built-ins only (the ACP floor aside), so the bench runs it transpiled, without tsx in the measured processes.
// Every role prints `ready <port>` (or `ready 0`) when it can take work; the clients print JSON event lines.
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, Writable } from 'node:stream';

const env = process.env;
const INTERVAL_MS = Number(env.BENCH_STREAMS_INTERVAL_MS ?? 1000);
const DEFAULT_CHUNKS = Number(env.BENCH_STREAMS_CHUNKS ?? 20);

export interface ClientsConfig {
  url: string;
  key: string;
  count: number;
  batch: number;
  /** How long every stream is open with all the others: chunks one `intervalMs` apart after the ramp. */
  seconds: number;
  intervalMs: number;
  /** The request body; `{{CHUNKS}}` in it becomes the chunk count the stream asks for (and must get). */
  body: string;
  /** A session of its own per stream (agent path: one conversation per turn). */
  sessionPerStream: boolean;
  /**
   * When the next batch starts: once every stream of this one has its response head (`head`), or once its
   * requests are written, after `pauseMs` (`sent`: for a target that answers only at the end, the buffering floor).
   */
  gate: 'head' | 'sent';
  pauseMs: number;
}

switch (env.BENCH_STREAMS_ROLE) {
  case 'upstream':
    upstream();
    break;
  case 'clients':
    await clients(JSON.parse(env.BENCH_STREAMS_CLIENTS ?? '{}') as ClientsConfig);
    break;
  case 'pipe-floor':
    pipeFloor();
    break;
  case 'acp-floor':
    await acpFloor();
    break;
  default:
    throw new Error(`unknown BENCH_STREAMS_ROLE ${env.BENCH_STREAMS_ROLE}`);
}

function listen(server: ReturnType<typeof createServer>): void {
  server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
    process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`);
  });
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

function upstream(): void {
  const frame = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({
      id: 'chatcmpl-bench',
      object: 'chat.completion.chunk',
      created: 1700000000,
      model: 'up-model',
      choices: [{ index: 0, delta, finish_reason: finish }],
    })}\n\n`;
  const first = frame({ role: 'assistant', content: 'word ' }, null);
  const middle = frame({ content: 'word ' }, null);
  const last = `${frame({}, 'stop')}data: [DONE]\n\n`;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => {
      const chunks = Number(/chunks=(\d+)/.exec(text)?.[1] ?? DEFAULT_CHUNKS);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.flushHeaders(); // the head now, as an SSE server does, not with the first chunk
      let sent = 0;
      // One timer per stream (streams opened apart tick apart, as independent streams do).
      const timer = setInterval(() => {
        if (res.destroyed) return clearInterval(timer);
        sent += 1;
        res.write(sent === 1 ? first : middle);
        if (sent >= chunks) {
          clearInterval(timer);
          res.end(last);
        }
      }, INTERVAL_MS);
      res.on('close', () => clearInterval(timer));
    });
  });
  listen(server);
}

async function clients(config: ClientsConfig): Promise<void> {
  const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const target = new URL('/v1/chat/completions', config.url);
  const say = (event: string, fields: Record<string, unknown> = {}) =>
    process.stdout.write(`${JSON.stringify({ event, t: Date.now(), ...fields })}\n`);
  const failures: Record<string, number> = {};
  const fail = (why: string) => {
    failures[why] = (failures[why] ?? 0) + 1;
  };
  let completed = 0;
  let firstDone = false;
  const durations: number[] = [];

  let headedCount = 0;
  let allSent = false;
  const headed_ = () => {
    headedCount += 1;
    if (allSent && headedCount === config.count) say('all-headed');
  };
  /** One stream; resolves at its gate (head, or request written), and calls `ended` when it is over. */
  const open = (index: number, chunks: number, payload: Buffer, ended: () => void): Promise<void> =>
    new Promise((gate) => {
      let hasHead = false;
      const headed = () => {
        if (hasHead) return;
        hasHead = true;
        headed_();
        if (config.gate === 'head') gate();
      };
      const started = Date.now();
      let settled = false;
      const finish = (why: string | null) => {
        if (settled) return;
        settled = true;
        headed();
        gate();
        if (why) fail(why);
        else {
          completed += 1;
          durations.push(Date.now() - started);
          if (!firstDone) {
            firstDone = true;
            say('first-done');
          }
        }
        ended();
      };
      const headers: Record<string, string | number> = {
        authorization: `Bearer ${config.key}`,
        'content-type': 'application/json',
        'content-length': payload.length,
      };
      if (config.sessionPerStream) headers['x-hermes-session-id'] = `bench-streams-${process.pid}-${index}`;
      const req = request(target, { method: 'POST', agent, headers }, (res) => {
        headed();
        if (res.statusCode !== 200) {
          res.resume();
          return finish(`status ${res.statusCode}`);
        }
        let frames = 0;
        let tail = '';
        let error = false;
        res.setEncoding('latin1');
        res.on('data', (chunk: string) => {
          const text = tail + chunk;
          for (let at = text.indexOf('data: ', tail.length > 5 ? tail.length - 5 : 0); at >= 0; ) {
            frames += 1;
            at = text.indexOf('data: ', at + 6);
          }
          if (!error && text.includes('"error"')) error = true;
          tail = text.slice(-16);
        });
        res.on('end', () => {
          if (error) finish('error frame');
          else if (!tail.includes('[DONE]')) finish('no [DONE]');
          else if (frames < chunks) finish('too few chunks');
          else finish(null);
        });
        res.on('error', () => finish('response error'));
        res.on('close', () => finish('closed early'));
      });
      req.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
      if (config.gate === 'sent') req.on('finish', () => gate());
      req.end(payload);
    });

  let open_ = 0;
  let ended = 0;
  const allEnded = new Promise<void>((resolve) => {
    const onEnded = () => {
      ended += 1;
      if (ended === config.count) resolve();
    };
    (async () => {
      const rampStarted = Date.now();
      const batches = Math.ceil(config.count / config.batch);
      for (let from = 0, done = 0; from < config.count; from += config.batch, done++) {
        const to = Math.min(config.count, from + config.batch);
        // The rest of the ramp at its pace so far (a second a batch before the first one is measured).
        const perBatch = done === 0 ? 1000 : (Date.now() - rampStarted) / done;
        const chunks = config.seconds + Math.ceil(((batches - done - 1) * perBatch) / config.intervalMs);
        const payload = Buffer.from(config.body.replace('{{CHUNKS}}', String(chunks)));
        const heads: Promise<void>[] = [];
        for (let i = from; i < to; i++) heads.push(open(i, chunks, payload, onEnded));
        await Promise.all(heads);
        open_ = to;
        say('opened', { n: open_ });
        if (config.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, config.pauseMs));
      }
      allSent = true;
      say('all-sent', { n: open_ });
      if (headedCount === config.count) say('all-headed');
    })();
  });
  await allEnded;
  durations.sort((a, b) => a - b);
  say('summary', {
    completed,
    failures,
    p50: durations[Math.floor(durations.length / 2)] ?? null,
    max: durations[durations.length - 1] ?? null,
  });
  agent.destroy();
  process.exit(0);
}

function pipeFloor(): void {
  const upstreamUrl = new URL(env.BENCH_UPSTREAM_URL ?? 'http://127.0.0.1:1');
  const authorization = `Bearer ${env.BENCH_UPSTREAM_KEY}`;
  const agent = new Agent({ keepAlive: true, scheduling: 'lifo' });
  const server = createServer((req, res) => {
    const headers = ['Host', upstreamUrl.host, 'Authorization', authorization];
    const raw = req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i].toLowerCase();
      if (name !== 'host' && name !== 'connection' && name !== 'authorization') headers.push(raw[i], raw[i + 1]);
    }
    const out = request(
      { host: upstreamUrl.hostname, port: upstreamUrl.port, method: req.method, path: req.url, agent, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, [
          'content-type',
          answer.headers['content-type'] ?? 'application/octet-stream',
        ]);
        res.flushHeaders();
        answer.pipe(res);
      },
    );
    out.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
    res.on('close', () => out.destroy());
    req.pipe(out);
  });
  listen(server);
}

async function acpFloor(): Promise<void> {
  const acp = await import('@agentclientprotocol/sdk/unstable');
  const command = env.BENCH_ACP_COMMAND ?? process.execPath;
  const args = JSON.parse(env.BENCH_ACP_ARGS ?? '[]') as string[];
  const poolSize = Number(env.BENCH_ACP_POOL ?? 1);
  const count = Number(env.BENCH_ACP_TURNS ?? 1);
  const batch = Number(env.BENCH_ACP_BATCH ?? 500);
  const prompt = env.BENCH_ACP_PROMPT ?? 'hello';
  const say = (event: string, fields: Record<string, unknown> = {}) =>
    process.stdout.write(`${JSON.stringify({ event, t: Date.now(), ...fields })}\n`);
  const children: ChildProcess[] = [];
  let deltas = 0;
  const connections = await Promise.all(
    Array.from({ length: poolSize }, async () => {
      const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
      children.push(child);
      const connection = acp
        .client({ name: 'bench-acp-floor' })
        .onNotification(acp.methods.client.session.update, ({ params }) => {
          if (params.update.sessionUpdate === 'agent_message_chunk') deltas += 1;
        })
        .onRequest(acp.methods.client.session.requestPermission, async () => ({ outcome: { outcome: 'cancelled' } }))
        .connect(
          acp.ndJsonStream(
            Writable.toWeb(child.stdin!) as WritableStream<Uint8Array>,
            Readable.toWeb(child.stdout!) as ReadableStream<Uint8Array>,
          ),
        );
      await connection.agent.request(acp.methods.agent.initialize, {
        protocolVersion: acp.PROTOCOL_VERSION,
        clientCapabilities: {},
      });
      return connection;
    }),
  );
  process.stdout.write(`ready 0\n`);
  process.stdout.write(`agents ${children.map((c) => c.pid).join(' ')}\n`);
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve())); // "go"
  let completed = 0;
  let firstDone = false;
  const failures: Record<string, number> = {};
  const turns: Promise<void>[] = [];
  for (let from = 0; from < count; from += batch) {
    const started: Promise<void>[] = [];
    for (let i = from; i < Math.min(count, from + batch); i++) {
      const connection = connections[i % poolSize];
      let sessionStarted!: () => void;
      started.push(new Promise((resolve) => (sessionStarted = resolve)));
      turns.push(
        (async () => {
          try {
            const { sessionId } = await connection.agent.request(acp.methods.agent.session.new, {
              cwd: process.cwd(),
              mcpServers: [],
            });
            sessionStarted();
            const answer = await connection.agent.request(acp.methods.agent.session.prompt, {
              sessionId,
              prompt: [{ type: 'text', text: prompt }],
            });
            if (answer.stopReason !== 'end_turn') throw new Error(`stop ${answer.stopReason}`);
            completed += 1;
            if (!firstDone) {
              firstDone = true;
              say('first-done');
            }
          } catch (error) {
            sessionStarted();
            const why = (error as Error).message.slice(0, 60);
            failures[why] = (failures[why] ?? 0) + 1;
          }
        })(),
      );
    }
    await Promise.all(started);
    say('opened', { n: Math.min(count, from + batch) });
  }
  say('all-sent', { n: count });
  say('all-headed');
  await Promise.all(turns);
  say('summary', { completed, failures, deltas });
  for (const child of children) child.kill('SIGTERM');
  process.exit(0);
}
