// One owner per live session across gateway processes on one Redis (issue 18, item 2): three real gateway processes,
// each with its own scripted agent, and a conversation whose turns arrive round-robin as a load balancer sends them.
// Agents keep their sessions per process here (no SCRIPTED_AGENT_SESSIONS_DIR), so only forwarding each turn to the
// instance holding the live session keeps one agent session: the agent's `[[echo]]` shows its prompt index rising on
// one session id. Then the owner's failure: kill -9 (taken over at once, seeded once) and a stopped process (taken
// over after the forward timeout).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createClient, type RedisClientType } from '@keyv/redis';
import { expect } from 'chai';
import OpenAI from 'openai';
import { ChatCompletionStream } from 'openai/lib/ChatCompletionStream';
import { type Echo, parseEcho } from '../agents/scripted-agent-config.js';

const LAUNCHER = fileURLToPath(new URL('../support/session-ownership-gateway.ts', import.meta.url));
const KEY = 'sk-test-0123456789abcdef';
const SECRET = 'instances-secret-0123456789';
const SEED_MARK = '[Conversation so far';
const TURNS = 12;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The first defined value `check` resolves with, polled until `timeoutMs`. */
async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

interface GatewayProcess {
  child: ChildProcess;
  url: string;
  /** Response bodies that broke openapi.yaml. */
  violations: string[];
  /** Every log line the process wrote (JSON). */
  logs: string[];
  exit: Promise<unknown>;
}

async function spawnGateway(env: Record<string, string>): Promise<GatewayProcess> {
  // Its own process group: kill -9 of the group takes its agent with it, as a crashed host would.
  const child = spawn(process.execPath, ['--import', 'tsx', LAUNCHER], {
    env: { ...process.env, GW_CHECK_RESPONSES: '1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  const exit = once(child, 'exit');
  const violations: string[] = [];
  const logs: string[] = [];
  let ready: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => {
    ready = resolve;
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('READY ')) return ready(line.slice(6));
    if (line.startsWith('VIOLATION ')) return void violations.push(line.slice(10));
    logs.push(line);
  });
  const started = await Promise.race([url, exit.then(() => null)]);
  if (started === null) throw new Error('the gateway process exited before it listened');
  return { child, url: started, violations, logs, exit };
}

function killGroup(gw: GatewayProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-gw.child.pid!, signal);
  } catch {
    // the group is gone already
  }
}

async function stopAll(gateways: GatewayProcess[]): Promise<void> {
  await Promise.all(
    gateways.map(async (gw) => {
      killGroup(gw, 'SIGCONT'); // a stopped one must run to exit
      if (gw.child.exitCode === null && gw.child.signalCode === null) gw.child.kill('SIGTERM');
      await Promise.race([gw.exit, sleep(5000)]);
      killGroup(gw, 'SIGKILL'); // what is left of its group
    }),
  );
}

const headers = (session: string | null) => ({
  authorization: `Bearer ${KEY}`,
  'content-type': 'application/json',
  ...(session ? { 'x-hermes-session-id': session } : {}),
});

async function post(gw: GatewayProcess, path: string, body: unknown, session: string | null = null) {
  const res = await fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: headers(session),
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

async function chatTurn(gw: GatewayProcess, session: string, label: string): Promise<Echo> {
  const res = await post(
    gw,
    '/v1/chat/completions',
    { messages: [{ role: 'user', content: `${label} [[echo]]` }] },
    session,
  );
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  expect(res.headers.get('x-hermes-session-id')).to.equal(session);
  return parseEcho(res.body.choices[0].message.content);
}

const seeded = (echo: Echo) => echo.blocks.some((block) => (block.text ?? '').includes(SEED_MARK));

/** The value of a counter (summed over its series that carry `labels`) in one gateway's /metrics. */
async function counter(gw: GatewayProcess, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${gw.url}/metrics`, { headers: headers(null) })).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) && line.includes(labels)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

const sumOver = async (gateways: GatewayProcess[], name: string, labels: string) =>
  (await Promise.all(gateways.map((gw) => counter(gw, name, labels)))).reduce((a, b) => a + b, 0);

/** The conversation ran in one agent session: prompt index 1…n, one session id, never seeded. */
function expectOneSession(echoes: Echo[]): void {
  expect(echoes.map((e) => e.session)).to.deep.equal(echoes.map(() => echoes[0].session));
  expect(echoes.map((e) => e.promptIndex)).to.deep.equal(echoes.map((_, i) => i + 1));
  expect(echoes.filter(seeded)).to.deep.equal([]);
}

describe('one owner per live session across gateway processes on one Redis', function () {
  this.timeout(180_000);
  let tag: string;
  let gateways: GatewayProcess[] = [];

  before(function () {
    if (!process.env.REDIS_URL) {
      console.log('    (skipped: set REDIS_URL to run the session ownership specs)');
      this.skip();
    }
  });
  beforeEach(() => {
    tag = `own-${randomBytes(5).toString('hex')}`;
  });
  afterEach(async function () {
    const violations = gateways.flatMap((gw) => gw.violations);
    const logs = gateways.flatMap((gw) => gw.logs);
    await stopAll(gateways);
    gateways = [];
    const client = createClient({ url: process.env.REDIS_URL }) as RedisClientType;
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `*${tag}*` })) if (keys.length) await client.del(keys);
    await client.quit();
    if (this.currentTest?.state !== 'passed') return;
    expect(violations, 'responses that break openapi.yaml').to.deep.equal([]);
    expect(
      logs.filter((line) => line.includes(SECRET)),
      'log lines holding the internal secret',
    ).to.deep.equal([]);
  });

  const start = async (count: number, env: Record<string, string> = {}) => {
    gateways = await Promise.all(
      Array.from({ length: count }, () =>
        spawnGateway({ GW_STORE: process.env.REDIS_URL!, GW_SECRET: SECRET, ...env }),
      ),
    );
    return gateways;
  };

  describe('a conversation sent round-robin to three instances', () => {
    it('runs its 12 chat turns (X-Hermes-Session-Id) in one agent session, forwarded to the owner', async () => {
      const gws = await start(3);
      const session = `${tag}-chat`;
      const echoes: Echo[] = [];
      for (let i = 0; i < TURNS; i++) echoes.push(await chatTurn(gws[i % 3], session, `turn ${i + 1}`));
      expectOneSession(echoes);
      // Turn 1 landed on the first instance, which owns the conversation: the other two forwarded their 8 turns.
      expect(await sumOver(gws, 'gateway_session_turns_forwarded_total', 'outcome="relayed"')).to.equal(8);
      expect(await sumOver(gws, 'gateway_agent_session_continuations_total', 'mode="reused"')).to.equal(TURNS - 1);
      expect(await sumOver(gws, 'gateway_session_takeovers_total', '')).to.equal(0);
    });

    it('runs a stateless chat (a derived api- session) in one agent session, each turn resending the history', async () => {
      const gws = await start(3);
      const messages: Array<{ role: string; content: string }> = [{ role: 'system', content: `You are ${tag}.` }];
      const echoes: Echo[] = [];
      for (let i = 0; i < 6; i++) {
        messages.push({ role: 'user', content: `turn ${i + 1} [[echo]]` });
        const res = await post(gws[i % 3], '/v1/chat/completions', { messages });
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        const text = res.body.choices[0].message.content as string;
        echoes.push(parseEcho(text));
        messages.push({ role: 'assistant', content: text });
      }
      expectOneSession(echoes);
    });

    it('streams its 12 turns through the owner, every chunk relayed as the owner sent it', async () => {
      const gws = await start(3);
      const session = `${tag}-stream`;
      const echoes: Echo[] = [];
      for (let i = 0; i < TURNS; i++) {
        const client = new OpenAI({
          baseURL: `${gws[i % 3].url}/v1`,
          apiKey: KEY,
          defaultHeaders: { 'X-Hermes-Session-Id': session },
          maxRetries: 0,
        });
        const { data, response } = await client.chat.completions
          .create({
            model: 'scripted-agent',
            stream: true,
            messages: [{ role: 'user', content: `turn ${i + 1} [[echo]] [[text "and some words" chunks=3]]` }],
          })
          .withResponse();
        expect(response.headers.get('content-type')).to.match(/^text\/event-stream/);
        expect(response.headers.get('x-hermes-session-id')).to.equal(session);
        expect([...response.headers.keys()].filter((name) => name.startsWith('x-agent-gateway'))).to.deep.equal([]);
        // The SDK's strict reader throws on a chunk out of order or a stream that ends without finish_reason.
        const stream = ChatCompletionStream.fromReadableStream(data.toReadableStream());
        const text = (await stream.finalChatCompletion()).choices[0].message.content ?? '';
        expect(text).to.match(/and some words$/);
        echoes.push(parseEcho(text.replace(/and some words$/, '')));
      }
      expectOneSession(echoes);
      expect(await sumOver(gws, 'gateway_session_turns_forwarded_total', 'outcome="relayed"')).to.equal(8);
    });

    it('runs a Responses chain (previous_response_id) in one agent session', async () => {
      const gws = await start(3);
      const echoes: Echo[] = [];
      let previous: string | null = null;
      for (let i = 0; i < TURNS; i++) {
        const res = await post(gws[i % 3], '/v1/responses', {
          input: `${tag} turn ${i + 1} [[echo]]`,
          ...(previous ? { previous_response_id: previous } : {}),
        });
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        expect(res.body.status).to.equal('completed');
        previous = res.body.id;
        echoes.push(parseEcho(res.body.output[0].content[0].text));
      }
      expectOneSession(echoes);
      expect(await sumOver(gws, 'gateway_session_turns_forwarded_total', 'outcome="relayed"')).to.equal(8);
    });

    it('runs background runs on one session_id in one agent session (the creation is forwarded)', async () => {
      const gws = await start(3);
      const session = `${tag}-runs`;
      const echoes: Echo[] = [];
      for (let i = 0; i < 6; i++) {
        const created = await post(gws[i % 3], '/v1/runs', { input: `run ${i + 1} [[echo]]`, session_id: session });
        expect(created.status, JSON.stringify(created.body)).to.equal(202);
        // Status from another instance than the one asked: the run's record is shared.
        const reader = gws[(i + 1) % 3];
        const run = await eventually(async () => {
          const res = await fetch(`${reader.url}/v1/runs/${created.body.run_id}`, { headers: headers(null) });
          const body = (await res.json()) as any;
          return body.status === 'completed' ? body : undefined;
        }, 30_000);
        expect(run.session_id).to.equal(session);
        echoes.push(parseEcho(run.output));
      }
      expectOneSession(echoes);
    });

    it('runs session chat (/api/sessions/{id}/chat and /chat/stream) in one agent session', async () => {
      const gws = await start(3);
      const session = `${tag}-sessions`;
      expect((await post(gws[1], '/api/sessions', { id: session })).status).to.equal(201);
      const echoes: Echo[] = [];
      for (let i = 0; i < 6; i++) {
        const gw = gws[i % 3];
        if (i % 2 === 0) {
          const res = await post(gw, `/api/sessions/${session}/chat`, { message: `chat ${i + 1} [[echo]]` });
          expect(res.status, JSON.stringify(res.body)).to.equal(200);
          echoes.push(parseEcho(res.body.message.content));
        } else {
          const res = await fetch(`${gw.url}/api/sessions/${session}/chat/stream`, {
            method: 'POST',
            headers: headers(null),
            body: JSON.stringify({ message: `stream ${i + 1} [[echo]]` }),
          });
          expect(res.status).to.equal(200);
          const frames = (await res.text()).split('\n\n').filter((frame) => frame.includes('assistant.completed'));
          const data = frames[0].split('\n').find((line) => line.startsWith('data: '))!;
          echoes.push(parseEcho(JSON.parse(data.slice(6)).content));
        }
      }
      expectOneSession(echoes);
    });
  });

  describe("the owner's failure", () => {
    it('kill -9 of the owner: the next turn is answered within the ownership expiry, on one new session kept after', async () => {
      const ttlSeconds = 15;
      const gws = await start(3, { GW_OWNERSHIP_TTL_SECONDS: String(ttlSeconds) });
      const session = `${tag}-kill`;
      const before: Echo[] = [];
      for (let i = 0; i < 5; i++) before.push(await chatTurn(gws[i % 3], session, `turn ${i + 1}`));
      expectOneSession(before);

      killGroup(gws[0], 'SIGKILL'); // the owner: turn 1 ran there
      await gws[0].exit;
      const started = Date.now();
      const taken = await chatTurn(gws[1], session, 'turn 6');
      const elapsed = Date.now() - started;
      // One turn's time on top of the expiry at most (a refused connection is taken over at once).
      expect(elapsed).to.be.below(ttlSeconds * 1000 + 15_000);
      expect(taken.session).to.not.equal(before[0].session);
      expect(taken.promptIndex).to.equal(1);
      expect(seeded(taken), 'the new session is seeded with the conversation').to.equal(true);

      const after: Echo[] = [taken];
      for (let i = 6; i < TURNS; i++) after.push(await chatTurn(gws[1 + (i % 2)], session, `turn ${i + 1}`));
      expect(after.map((e) => e.session)).to.deep.equal(after.map(() => taken.session));
      expect(after.map((e) => e.promptIndex)).to.deep.equal(after.map((_, i) => i + 1));
      expect(after.slice(1).filter(seeded)).to.deep.equal([]);
      expect(await sumOver(gws.slice(1), 'gateway_session_takeovers_total', '')).to.equal(1);
    });

    it('a stopped owner is taken over after the forward timeout; resumed, it takes nothing back', async () => {
      const gws = await start(2, { GW_FORWARD_TIMEOUT_SECONDS: '2' });
      const session = `${tag}-stopped`;
      const first = await chatTurn(gws[0], session, 'turn 1');
      expect((await chatTurn(gws[1], session, 'turn 2')).session).to.equal(first.session);

      killGroup(gws[0], 'SIGSTOP');
      const taken = await chatTurn(gws[1], session, 'turn 3');
      expect(taken.session).to.not.equal(first.session);
      expect(taken.promptIndex).to.equal(1);
      expect(await counter(gws[1], 'gateway_session_takeovers_total', 'reason="timeout"')).to.equal(1);

      // The stopped owner wakes up to the turn it was too slow to take: it neither runs it nor takes the
      // conversation back, and its next turns go to the new owner.
      killGroup(gws[0], 'SIGCONT');
      await sleep(1000);
      expect(await chatTurn(gws[0], session, 'turn 4')).to.include({ session: taken.session, promptIndex: 2 });
      expect(await chatTurn(gws[1], session, 'turn 5')).to.include({ session: taken.session, promptIndex: 3 });
      const res = await fetch(`${gws[0].url}/api/sessions/${session}/messages?order=oldest`, {
        headers: headers(null),
      });
      const users = ((await res.json()) as any).data
        .filter((m: { role: string }) => m.role === 'user')
        .map((m: { content: string }) => m.content.replace(' [[echo]]', ''));
      expect(users).to.deep.equal(['turn 1', 'turn 2', 'turn 3', 'turn 4', 'turn 5']);
    });

    it("a client that leaves a forwarded stream cancels the owner's turn", async () => {
      const gws = await start(2);
      const session = `${tag}-leave`;
      await chatTurn(gws[0], session, 'turn 1');
      const leaving = new AbortController();
      const res = await fetch(`${gws[1].url}/v1/chat/completions`, {
        method: 'POST',
        headers: headers(session),
        body: JSON.stringify({
          stream: true,
          messages: [{ role: 'user', content: '[[text "first words"]] [[sleep ms=60000]]' }],
        }),
        signal: leaving.signal,
      });
      expect(res.status).to.equal(200);
      const reader = res.body!.getReader();
      let seen = '';
      while (!seen.includes('first')) seen += new TextDecoder().decode((await reader.read()).value);
      leaving.abort();
      await eventually(
        async () => (await counter(gws[0], 'gateway_agent_turns_total', 'outcome="cancelled"')) === 1 || undefined,
        20_000,
      );
      // The conversation goes on, on the owner, right away.
      expect((await chatTurn(gws[1], session, 'turn 3')).session).to.be.a('string');
    });
  });
});
