// Instances bench (issue 18): a 12-turn conversation (X-Hermes-Session-Id, non-streaming chat) whose turns arrive
// round-robin at three gateway processes on one Redis, as a load balancer sends them: with forwarding to the owner of
// the conversation's live agent session, without it (each turn runs where it lands: the agent session of the last
// turn is elsewhere, so the conversation is re-seeded), and the same conversation on a single instance. Per setup:
// the characters of prompt text the agents were sent (counted by the tap in front of each agent,
// bench/instances-agent-tap.ts), agent sessions per conversation and the turn times; with forwarding, the turns that
// were forwarded against the owner's own turns of the same conversations: the latency a forward adds.
// Run: npm run bench -- instances  (BENCH_INSTANCES_CONVERSATIONS, BENCH_REDIS_URL tune it)
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createClient, type RedisClientType } from '@keyv/redis';
import { ms, summary } from './stats.js';

const LAUNCHER = fileURLToPath(new URL('../spec/support/session-ownership-gateway.ts', import.meta.url));
const TAP = fileURLToPath(new URL('./instances-agent-tap.ts', import.meta.url));
const KEY = 'sk-test-0123456789abcdef';
const SECRET = 'bench-instances-secret-0123456789';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CONVERSATIONS = Number(process.env.BENCH_INSTANCES_CONVERSATIONS ?? 20);
const TURNS = 12;
/** Each user message: a few sentences, as a person types them, ending with the agent's answer for this bench. */
const MESSAGE_CHARS = 300;
/** The agent's answer to each turn: as long again (the scripted agent says what `[[text]]` tells it to). */
const ANSWER = 'Understood. Here is where we are, building on what we decided earlier in this conversation. '
  .repeat(4)
  .slice(0, 300)
  .trim();

interface Setup {
  name: string;
  instances: number;
  forwarding: boolean;
}

const SETUPS: Setup[] = [
  { name: 'one instance', instances: 1, forwarding: false },
  { name: 'three instances, round-robin, no forwarding (before)', instances: 3, forwarding: false },
  { name: 'three instances, round-robin, forwarded to the owner', instances: 3, forwarding: true },
];

interface Tap {
  chars: number;
  session: string;
  conversation: string;
}

interface GatewayProcess {
  child: ChildProcess;
  url: string;
  taps: Tap[];
  exit: Promise<unknown>;
}

interface Result {
  setup: Setup;
  /** Per measured conversation: its prompt characters and agent sessions. */
  chars: number[];
  sessions: number[];
  turnMs: number[];
  /** Forwarding only: turns that reached an instance other than the owner (forwarded), and the owner's own. */
  forwardedMs: number[];
  ownerMs: number[];
}

export async function runInstancesBench(): Promise<string> {
  const run = randomUUID().slice(0, 8);
  const load = loadavg()[0];
  const results: Result[] = [];
  try {
    for (const setup of SETUPS) results.push(await measure(setup, run));
  } finally {
    await cleanUp(run);
  }
  return report(results, load);
}

async function measure(setup: Setup, run: string): Promise<Result> {
  const env = {
    GW_STORE: REDIS_URL,
    GW_LOG_LEVEL: 'info',
    GW_AGENT_ARGS: JSON.stringify(['--import', 'tsx', TAP]),
    ...(setup.forwarding ? { GW_SECRET: SECRET } : {}),
  };
  const gateways = await Promise.all(Array.from({ length: setup.instances }, () => spawnGateway(env)));
  const result: Result = { setup, chars: [], sessions: [], turnMs: [], forwardedMs: [], ownerMs: [] };
  try {
    // Conversation 0 warms every process and agent up; it is not counted.
    for (let c = 0; c <= CONVERSATIONS; c++) {
      const session = `bench-${run}-${SETUPS.indexOf(setup)}-c${c}`;
      for (let t = 0; t < TURNS; t++) {
        const gw = gateways[t % gateways.length];
        const started = performance.now();
        const res = await fetch(`${gw.url}/v1/chat/completions`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${KEY}`,
            'content-type': 'application/json',
            'x-hermes-session-id': session,
          },
          body: JSON.stringify({ messages: [{ role: 'user', content: message(c, t) }] }),
        });
        if (res.status !== 200) throw new Error(`turn ${t + 1} answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
        const elapsed = performance.now() - started;
        if (c === 0 || t === 0) continue; // a first turn opens the session wherever it lands
        result.turnMs.push(elapsed);
        if (setup.forwarding) (t % gateways.length === 0 ? result.ownerMs : result.forwardedMs).push(elapsed);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 500)); // the last tap lines reach us through the logs
    const taps = gateways.flatMap((gw) => gw.taps);
    for (let c = 1; c <= CONVERSATIONS; c++) {
      const mine = taps.filter((tap) => tap.conversation === String(c));
      if (mine.length !== TURNS) throw new Error(`conversation ${c}: ${mine.length} prompts seen, not ${TURNS}`);
      result.chars.push(mine.reduce((sum, tap) => sum + tap.chars, 0));
      result.sessions.push(new Set(mine.map((tap) => tap.session)).size);
    }
  } finally {
    await Promise.all(gateways.map(stop));
  }
  return result;
}

function message(conversation: number, turn: number): string {
  const head = `[c${conversation}] turn ${turn + 1}: `;
  const filler = 'Please keep track of what we decided so far and build on it in this answer. ';
  const text = (head + filler.repeat(Math.ceil(MESSAGE_CHARS / filler.length))).slice(0, MESSAGE_CHARS);
  return `${text} [[text "${ANSWER}"]]`;
}

async function spawnGateway(env: Record<string, string>): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', LAUNCHER], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  const exit = once(child, 'exit');
  const taps: Tap[] = [];
  let ready: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => {
    ready = resolve;
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('READY ')) return ready(line.slice(6));
    const tap = /bench-tap chars=(\d+) session=([\w-]+) conversation=([\w-]+)/.exec(line);
    if (tap) taps.push({ chars: Number(tap[1]), session: tap[2], conversation: tap[3] });
  });
  const started = await Promise.race([url, exit.then(() => null)]);
  if (started === null) throw new Error('a gateway process exited before it listened');
  return { child, url: started, taps, exit };
}

async function stop(gw: GatewayProcess): Promise<void> {
  if (gw.child.exitCode === null && gw.child.signalCode === null) gw.child.kill('SIGTERM');
  await Promise.race([gw.exit, new Promise((resolve) => setTimeout(resolve, 5000))]);
  try {
    process.kill(-gw.child.pid!, 'SIGKILL');
  } catch {
    // the group is gone already
  }
}

async function cleanUp(run: string): Promise<void> {
  const client = createClient({ url: REDIS_URL }) as RedisClientType;
  await client.connect();
  for await (const keys of client.scanIterator({ MATCH: `*bench-${run}-*` })) if (keys.length) await client.del(keys);
  await client.quit();
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const int = (value: number) => Math.round(value).toLocaleString('en-US');

function report(results: Result[], load: number): string {
  const [single, , forwarded] = results;
  const base = mean(single.chars);
  const rows = results.map((r) => {
    const turns = summary(r.turnMs);
    return `| ${r.setup.name} | ${mean(r.sessions).toFixed(1)} | ${int(mean(r.chars))} | ${(mean(r.chars) / base).toFixed(2)}× | ${ms(turns.p50)} | ${ms(turns.p99)} |`;
  });
  const fwd = summary(forwarded.forwardedMs);
  const own = summary(forwarded.ownerMs);
  const one = summary(single.turnMs);
  return [
    '## Instances: one conversation, round-robin over three gateways (issue 18)',
    '',
    `${CONVERSATIONS} conversations of ${TURNS} non-streaming chat turns on one X-Hermes-Session-Id, user messages of`,
    `${MESSAGE_CHARS} characters and answers of ${ANSWER.length}, each gateway a process of its own with its own agent process, on one`,
    'Redis; turn k goes to gateway k mod 3. Prompt characters: the text the agents were sent (counted by a tap in front',
    'of each agent). Turn times from the client, all turns after the first of each conversation. The host had',
    `${cpus().length} cores and a load average of ${load.toFixed(1)} when the run started (forwarding costs a second`,
    'process its share of them: on a busy host the added latency is mostly waiting for a core).',
    '',
    '| setup | agent sessions / conversation | prompt characters / conversation | vs one instance | turn p50 | turn p99 |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    'Added latency of a forwarded turn (forwarding setup: the turns that reached a gateway other than the owner, against',
    "the owner's own turns of the same conversations; and against the single instance's turns):",
    '',
    '| turns | count | p50 | p99 | mean |',
    '|---|---|---|---|---|',
    `| forwarded to the owner | ${forwarded.forwardedMs.length} | ${ms(fwd.p50)} | ${ms(fwd.p99)} | ${ms(fwd.mean)} |`,
    `| the owner's own | ${forwarded.ownerMs.length} | ${ms(own.p50)} | ${ms(own.p99)} | ${ms(own.mean)} |`,
    `| one instance | ${single.turnMs.length} | ${ms(one.p50)} | ${ms(one.p99)} | ${ms(one.mean)} |`,
    '',
    `Added per forwarded turn (p50): ${ms(fwd.p50 - own.p50)} against the owner's own turns, ${ms(fwd.p50 - one.p50)} against one instance.`,
  ].join('\n');
}
