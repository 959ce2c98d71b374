// A chat completion replies as soon as the agent's turn is over; the turn's session record is written after the
// reply, and every read of the session (and its next turn) waits for that record.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createSessionStore, type SessionStore } from '../../lib/store/session-store.js';
import { bodyOf, scriptedAgentConfig, startTestGateway, TEST_KEY, type TestGateway } from '../support/gateway.js';

const RECORD_DELAY_MS = 600;

/** A gateway whose session store holds each append back by RECORD_DELAY_MS. */
function startSlowRecordGateway(store: string, dataDir: string): Promise<TestGateway> {
  return startTestGateway({
    agents: [scriptedAgentConfig()],
    store,
    dataDir,
    options: {
      createSessionStore: (backend) => {
        const sessions = createSessionStore(backend);
        const append: SessionStore['append'] = async (...args) => {
          await new Promise((resolve) => setTimeout(resolve, RECORD_DELAY_MS));
          return sessions.append(...args);
        };
        return Object.assign(Object.create(sessions) as SessionStore, { append });
      },
    },
  });
}

describe('a chat turn whose session record is slow to write', function () {
  this.timeout(20_000);
  let gw: TestGateway;
  let dataDir: string;

  const start = () => startSlowRecordGateway(`sqlite://${join(dataDir, 'gateway.sqlite')}`, dataDir);

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'agw-record-'));
    gw = await start();
  });
  afterEach(() => gw.close(1000));

  const chat = (content: string, stream = false) =>
    gw.request('/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_KEY}`, 'x-hermes-session-id': 's1' },
      json: { model: 'scripted-agent', stream, messages: [{ role: 'user', content }] },
    });
  const get = async (path: string) =>
    bodyOf(await gw.request(path, { headers: { authorization: `Bearer ${TEST_KEY}` } }));

  it('answers before the record is written, and a read right after the reply sees the turn', async () => {
    const started = performance.now();
    const res = await chat('[[text "first answer"]]');
    expect(res.status).to.equal(200);
    expect((await bodyOf(res)).choices[0].message.content).to.equal('first answer');
    expect(performance.now() - started).to.be.lessThan(RECORD_DELAY_MS);

    const messages = await get('/api/sessions/s1/messages');
    expect(messages.data.map((m: { role: string; content: string }) => [m.role, m.content])).to.deep.equal([
      ['user', '[[text "first answer"]]'],
      ['assistant', 'first answer'],
    ]);
    const list = await get('/api/sessions');
    expect(list.data.find((s: { id: string }) => s.id === 's1').message_count).to.equal(2);
  });

  it('ends a stream before the record is written; the next turn of the session waits for it', async () => {
    const started = performance.now();
    const res = await chat('[[text "streamed"]]', true);
    const text = await res.text();
    expect(text.trimEnd().endsWith('data: [DONE]')).to.equal(true);
    expect(performance.now() - started).to.be.lessThan(RECORD_DELAY_MS);

    const next = await chat('[[echo]]');
    const echo = (await bodyOf(next)).choices[0].message.content as string;
    // The same agent session continued (not seeded from a record that lacked the first turn).
    expect(JSON.parse(echo.slice('received: '.length)).history).to.equal(1);
    const session = await get('/api/sessions/s1');
    expect(session.session.message_count).to.equal(4);
  });

  it('is written before a gateway stopped right after the reply lets go of its store', async () => {
    expect((await chat('[[text "kept"]]')).status).to.equal(200);
    await gw.close(1000);
    gw = await start();
    const messages = await get('/api/sessions/s1/messages');
    expect(messages.data.map((m: { content: string }) => m.content)).to.deep.equal(['[[text "kept"]]', 'kept']);
  });
});

describe('a chat turn on a store other instances share (Redis)', function () {
  this.timeout(20_000);
  let gw: TestGateway;
  before(async function () {
    if (!process.env.REDIS_URL) return this.skip();
    gw = await startSlowRecordGateway(process.env.REDIS_URL, mkdtempSync(join(tmpdir(), 'agw-record-')));
  });
  after(() => gw?.close(1000));

  it('answers only once the turn is recorded: another instance may take the conversation over right after', async () => {
    const session = `shared-${process.pid}-${Date.now()}`;
    const started = performance.now();
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      headers: { 'x-hermes-session-id': session },
      json: { model: 'scripted-agent', messages: [{ role: 'user', content: '[[text "recorded first"]]' }] },
    });
    expect(res.status).to.equal(200);
    await res.arrayBuffer();
    expect(performance.now() - started).to.be.at.least(RECORD_DELAY_MS);
    const messages = await bodyOf(await gw.request(`/api/sessions/${session}/messages`));
    expect(messages.data).to.have.length(2);
  });
});
