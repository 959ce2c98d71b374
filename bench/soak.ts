// Soak bench (issue 19): a bounded mixed load — stateless and named-session chats, Responses chains (half of them
// deleted afterwards), runs — against one gateway process on SQLite, for SOAK_SECONDS (default 300). Every 15 s it
// counts what the store holds (sessions, messages, stored responses); afterwards it looks for orphans (a chain
// session no stored response references, a message whose session is gone, a response whose session is gone), then
// measures RSS after 60 s idle against RSS after start-up. Run: npm run bench -- soak
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { type GatewayProcess, rssMb, SCRIPTED_AGENT, startGatewayProcess } from './gateway-process.js';

const KEY = 'soak-key-0123456789abcdef';
const SECONDS = Number(process.env.SOAK_SECONDS ?? 300);
const IDLE_SECONDS = Number(process.env.SOAK_IDLE_SECONDS ?? 60);
const WORKERS = Number(process.env.SOAK_WORKERS ?? 6);
const MAX_STORED = 200;
const NAMED_SESSIONS = 40;
/** Sessions idle this long go (the retention sweep runs this often too), so a short soak shows them level off. */
const SESSION_IDLE_SECONDS = Number(process.env.SOAK_SESSION_IDLE_SECONDS ?? 60);

interface Sample {
  at: number;
  sessions: number;
  messages: number;
  responses: number;
  rssMb: number;
  requests: number;
}

export async function runSoakBench(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'agw-soak-'));
  const db = join(dir, 'gateway.sqlite');
  const { child, url } = await startSoakGateway(dir, db);
  const pid = child.pid!;
  let requests = 0;
  let failures = 0;
  const call = async (method: string, path: string, json?: unknown, headers: Record<string, string> = {}) => {
    requests++;
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...headers },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const body = (await res.json().catch(() => null)) as Record<string, any> | null;
    if (res.status >= 500) failures++;
    return { status: res.status, body };
  };
  try {
    await sleep(2000);
    const startRss = rssMb(pid);
    const samples: Sample[] = [];
    const started = Date.now();
    const deadline = started + SECONDS * 1000;
    const sampler = setInterval(async () => {
      const counts = await countRecords(db).catch(() => null);
      if (counts) samples.push({ at: (Date.now() - started) / 1000, ...counts, rssMb: rssMb(pid), requests });
    }, 15_000);

    const worker = async (w: number) => {
      for (let i = 0; Date.now() < deadline; i++) {
        const kind = (w + i) % 4;
        const text = `[[text "ok ${i}"]] message ${w}-${i} ${'x'.repeat(500)}`;
        if (kind === 0) {
          await call('POST', '/v1/chat/completions', {
            messages: [{ role: 'user', content: `${text} ${Math.random()}` }],
          });
        } else if (kind === 1) {
          const id = `named-${(w * 7 + i) % NAMED_SESSIONS}`;
          await call(
            'POST',
            '/v1/chat/completions',
            { messages: [{ role: 'user', content: text }] },
            {
              'X-Hermes-Session-Id': id,
            },
          );
        } else if (kind === 2) {
          let previous: string | undefined;
          const turns = 1 + (i % 3);
          const ids: string[] = [];
          for (let t = 0; t < turns; t++) {
            const r = await call('POST', '/v1/responses', {
              input: text,
              ...(previous ? { previous_response_id: previous } : {}),
            });
            previous = r.body?.id;
            if (previous) ids.push(previous);
          }
          if (i % 2 === 0) for (const id of ids.reverse()) await call('DELETE', `/v1/responses/${id}`);
        } else {
          const r = await call('POST', '/v1/runs', { input: text, session_id: `run-session-${i % 20}` });
          const runId = r.body?.run_id;
          for (let k = 0; runId && k < 50; k++) {
            const status = await call('GET', `/v1/runs/${runId}`);
            if (['completed', 'failed', 'cancelled'].includes(status.body?.status)) break;
            await sleep(100);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
    clearInterval(sampler);
    const afterLoad = { ...(await countRecords(db)), rssMb: rssMb(pid) };
    const orphans = await findOrphans(db);
    await sleep(IDLE_SECONDS * 1000);
    const idleRss = rssMb(pid);
    return report({ samples, afterLoad, orphans, startRss, idleRss, requests, failures });
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(r: {
  samples: Sample[];
  afterLoad: Omit<Sample, 'at' | 'requests'>;
  orphans: { chainSessions: number; messages: number; responses: number };
  startRss: number;
  idleRss: number;
  requests: number;
  failures: number;
}): string {
  const rows = r.samples.map(
    (s) =>
      `| ${s.at.toFixed(0)} | ${s.requests} | ${s.sessions} | ${s.messages} | ${s.responses} | ${s.rssMb.toFixed(0)} |`,
  );
  const rssChange = ((r.idleRss - r.startRss) / r.startRss) * 100;
  return [
    '## Soak (issue 19)',
    '',
    `A mixed load for ${SECONDS} s with ${WORKERS} concurrent clients against one gateway process (SQLite,`,
    `\`responses.maxStored: ${MAX_STORED}\`, \`sessions.idleDays\` = ${SESSION_IDLE_SECONDS} s so that sessions age out within the run): stateless chats (a new conversation each), chats on ${NAMED_SESSIONS} named`,
    'sessions, Responses chains of 1–3 turns (every other chain deleted afterwards, newest first), and runs on 20',
    'sessions. What the store holds is counted from the SQLite file every 15 s.',
    '',
    '| s | requests | sessions | messages | stored responses | gateway RSS MB |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `- ${r.requests} requests, ${r.failures} answered 5xx.`,
    `- Stored responses after the load: ${r.afterLoad.responses} (limit ${MAX_STORED}).`,
    `- Orphans after the load: ${r.orphans.chainSessions} chain sessions without a stored response, ${r.orphans.messages} messages without a session, ${r.orphans.responses} stored responses whose session is gone.`,
    `- Gateway RSS: ${r.startRss.toFixed(1)} MB after start-up, ${r.afterLoad.rssMb.toFixed(1)} MB at the end of the load, ${r.idleRss.toFixed(1)} MB after ${IDLE_SECONDS} s idle (${rssChange >= 0 ? '+' : ''}${rssChange.toFixed(1)} %; goal within 10 %).`,
    '',
    'Sessions are bounded by age, not count: every stateless chat is a session a client can list, and the',
    'retention sweep removes those idle past `sessions.idleDays` with their messages (hourly, or as often as that',
    'setting when it is shorter). RSS is of the gateway process running under tsx (its TypeScript compiler included).',
  ].join('\n');
}

function startSoakGateway(dir: string, db: string): Promise<GatewayProcess> {
  return startGatewayProcess(
    dir,
    [
      `store: "sqlite://${db}"`,
      'maxConcurrentRuns: 0',
      `responses: { maxStored: ${MAX_STORED} }`,
      `sessions: { idleDays: ${SESSION_IDLE_SECONDS / 86_400} }`,
      'agents:',
      `  - { name: scripted-agent, command: "${process.execPath}", args: ["--import", "tsx", "${SCRIPTED_AGENT}"], poolSize: 2 }`,
    ],
    KEY,
  );
}

type Row = { key: string; value: string };

function query(db: string, sql: string): Promise<Row[]> {
  return new Promise((resolve, reject) => {
    const conn = new sqlite3.Database(db, sqlite3.OPEN_READONLY, (error) => error && reject(error));
    conn.all(sql, (error, rows: Row[]) => {
      conn.close();
      if (error) reject(error);
      else resolve(rows);
    });
  });
}

const tableRows = (db: string, table: string) => query(db, `SELECT key, value FROM ${table}`).catch(() => [] as Row[]);

/** Keyv stores `{"value": …, "expires": …}` under `<namespace>:<key>`. */
const storedValue = (row: Row) => (JSON.parse(row.value) as { value: unknown }).value;

async function countRecords(db: string) {
  const [sessions, messages, responses] = await Promise.all([
    tableRows(db, 'gw_sessions'),
    tableRows(db, 'gw_session_messages'),
    tableRows(db, 'gw_responses'),
  ]);
  return { sessions: sessions.length, messages: messages.length, responses: responses.length };
}

async function findOrphans(db: string) {
  const sessions = (await tableRows(db, 'gw_sessions')).map(
    (row) => storedValue(row) as { key: string; heldByResponses?: boolean },
  );
  const keys = new Set(sessions.map((s) => s.key));
  const messages = await tableRows(db, 'gw_session_messages');
  const orphanMessages = messages.filter((row) => {
    const key = row.key.slice('session-messages:'.length);
    return !keys.has(key.slice(0, key.lastIndexOf('#')));
  }).length;
  const responses = (await tableRows(db, 'gw_responses')).map(
    (row) => storedValue(row) as { session: { key: string } },
  );
  const referenced = new Set(responses.map((r) => r.session.key));
  return {
    chainSessions: sessions.filter((s) => s.heldByResponses && !referenced.has(s.key)).length,
    messages: orphanMessages,
    responses: responses.filter((r) => !keys.has(r.session.key)).length,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
