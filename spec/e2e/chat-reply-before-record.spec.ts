// A chat completion replies as soon as the agent's turn is over; the turn's session record is written after the
// reply, and every read of the session (and its next turn) waits for that record.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createSessionStore, type SessionStore } from '../../lib/store/session-store.js';
import { bodyOf, scriptedAgentConfig, startTestGateway, TEST_KEY, type TestGateway } from '../support/gateway.js';

const RECORD_DELAY_MS = 600;

describe('a chat turn whose session record is slow to write', function () {
  this.timeout(20_000);
  let gw: TestGateway;
  let dataDir: string;

  const start = () =>
    startTestGateway({
      agents: [scriptedAgentConfig()],
      store: `sqlite://${join(dataDir, 'gateway.sqlite')}`,
      dataDir,
      options: {
        // The store every turn records through, with each append held back.
        createSessionStore: (store) => {
          const sessions = createSessionStore(store);
          const append: SessionStore['append'] = async (...args) => {
            await new Promise((resolve) => setTimeout(resolve, RECORD_DELAY_MS));
            return sessions.append(...args);
          };
          return Object.assign(Object.create(sessions) as SessionStore, { append });
        },
      },
    });

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
