import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { bodyOf, scriptedAgentConfig, startTestGateway, TEST_KEY, type TestGateway } from '../../support/gateway.js';
import { echoOf, expectResponse, outputText, promptText } from './responses-support.js';

const OTHER_KEY = 'sk-other-0123456789abcdef';

describe('stored responses: GET, DELETE, conversations, retention', function () {
  this.timeout(30_000);
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({
      agents: [scriptedAgentConfig()],
      keys: [
        { name: 'test', key: TEST_KEY },
        { name: 'other', key: OTHER_KEY },
      ],
    });
  });
  after(() => gw.stop());

  async function create(body: Record<string, unknown>, key = TEST_KEY) {
    const res = await gw.request('/v1/responses', {
      method: 'POST',
      json: { model: 'scripted-agent', ...body },
      headers: { authorization: `Bearer ${key}` },
    });
    const json = await bodyOf(res);
    expect(res.status, JSON.stringify(json)).to.equal(200);
    return json;
  }
  const get = (id: string, key = TEST_KEY) =>
    gw.request(`/v1/responses/${id}`, { headers: { authorization: `Bearer ${key}` } });
  const del = (id: string, key = TEST_KEY) =>
    gw.request(`/v1/responses/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } });

  it('answers GET with the stored envelope, exactly as POST returned it', async () => {
    const created = await create({ input: '[[text "keep me"]]' });
    const res = await get(created.id);
    expect(res.status).to.equal(200);
    const stored = await bodyOf(res);
    expect(stored).to.deep.equal(created);
    expectResponse(stored);
  });

  it('answers 404 response_not_found for an unknown id', async () => {
    const res = await get('resp_unknown');
    expect(res.status).to.equal(404);
    expect(await bodyOf(res)).to.deep.equal({
      error: {
        message: 'Response not found: resp_unknown',
        type: 'invalid_request_error',
        param: null,
        code: 'response_not_found',
      },
    });
  });

  it('deletes a stored response, then GET and DELETE answer 404; without auth 401 (case 45)', async () => {
    const created = await create({ input: '[[text "delete me"]]' });
    expect((await gw.request(`/v1/responses/${created.id}`, { method: 'DELETE', auth: false })).status).to.equal(401);
    const res = await del(created.id);
    expect(res.status).to.equal(200);
    expect(await bodyOf(res)).to.deep.equal({ id: created.id, object: 'response', deleted: true });
    expect((await get(created.id)).status).to.equal(404);
    expect((await del(created.id)).status).to.equal(404);
    expect((await del('resp_never_there')).status).to.equal(404);
  });

  it('leaves nothing retrievable and no name mapping with store:false (case 36)', async () => {
    const name = `unstored-${Date.now()}`;
    const created = await create({ input: '[[text "ephemeral"]]', store: false, conversation: name });
    expect(created.store).to.equal(false);
    expect((await get(created.id)).status).to.equal(404);
    const next = await create({ input: '[[echo]]', conversation: name });
    expect(promptText(echoOf(next))).to.not.contain('ephemeral');
    const res = await gw.request('/v1/responses', {
      method: 'POST',
      json: { model: 'scripted-agent', input: 'x', previous_response_id: created.id },
    });
    expect(res.status).to.equal(404);
  });

  it('chains a named conversation to its latest response and keeps two names apart (case 37)', async () => {
    const a = `chat-a-${Date.now()}`;
    const b = `chat-b-${Date.now()}`;
    const a1 = await create({ input: '[[text "alpha one"]]', conversation: a });
    const b1 = await create({ input: '[[text "beta one"]]', conversation: b });
    expect(a1.conversation).to.deep.equal({ id: a });
    const a2 = await create({ input: '[[echo]]', conversation: a });
    const b2 = await create({ input: '[[echo]]', conversation: b });
    expect(a1.id).to.not.equal(b1.id);
    // Each name continues its own chain, in its own ACP session.
    expect(echoOf(a2).promptIndex).to.equal(2);
    expect(echoOf(b2).promptIndex).to.equal(2);
    expect(echoOf(a2).session).to.not.equal(echoOf(b2).session);
    const a3 = await create({ input: '[[echo]]', conversation: a });
    expect(echoOf(a3)).to.include({ session: echoOf(a2).session, promptIndex: 3 });
  });

  it('starts a new conversation when its latest response was deleted', async () => {
    const name = `deleted-${Date.now()}`;
    const first = await create({ input: '[[text "forgotten"]]', conversation: name });
    await del(first.id);
    const next = await create({ input: '[[echo]]', conversation: name });
    expect(echoOf(next).promptIndex).to.equal(1);
    expect(promptText(echoOf(next))).to.not.contain('forgotten');
  });

  it('keeps responses and names of different API keys apart', async () => {
    const name = `shared-name-${Date.now()}`;
    const mine = await create({ input: '[[text "mine"]]', conversation: name });
    expect((await get(mine.id, OTHER_KEY)).status).to.equal(404);
    expect((await del(mine.id, OTHER_KEY)).status).to.equal(404);
    const res = await gw.request('/v1/responses', {
      method: 'POST',
      json: { model: 'scripted-agent', input: 'x', previous_response_id: mine.id },
      headers: { authorization: `Bearer ${OTHER_KEY}` },
    });
    expect(res.status).to.equal(404);
    const theirs = await create({ input: '[[echo]]', conversation: name }, OTHER_KEY);
    expect(promptText(echoOf(theirs))).to.not.contain('mine');
    expect((await get(mine.id)).status).to.equal(200);
  });
});

describe('stored responses: retention', function () {
  this.timeout(30_000);
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ agents: [scriptedAgentConfig()], responses: { maxStored: 3 } });
  });
  after(() => gw.stop());

  const create = async (body: Record<string, unknown>) =>
    bodyOf(await gw.request('/v1/responses', { method: 'POST', json: { model: 'scripted-agent', ...body } }));

  it('keeps the configured number of responses, evicting the least recently read, and the names on them', async () => {
    const r1 = await create({ input: '[[text "1"]]', conversation: 'named' });
    const r2 = await create({ input: '[[text "2"]]' });
    const r3 = await create({ input: '[[text "3"]]' });
    expect((await gw.request(`/v1/responses/${r1.id}`)).status).to.equal(200); // r2 is now the oldest
    const r4 = await create({ input: '[[text "4"]]' });
    expect((await gw.request(`/v1/responses/${r2.id}`)).status).to.equal(404);
    for (const r of [r1, r3, r4]) expect((await gw.request(`/v1/responses/${r.id}`)).status).to.equal(200);
    await create({ input: '[[text "5"]]' });
    await create({ input: '[[text "6"]]' }); // r1 goes, and the name with it
    expect((await gw.request(`/v1/responses/${r1.id}`)).status).to.equal(404);
    const fresh = await create({ input: '[[echo]]', conversation: 'named' });
    expect(echoOf(fresh).promptIndex).to.equal(1);
  });
});

describe('stored responses across a gateway restart', function () {
  this.timeout(60_000);

  it('serves a stored response and its conversation name after a restart on Redis', async function () {
    if (!process.env.REDIS_URL) return this.skip();
    const config = { agents: [scriptedAgentConfig()], store: process.env.REDIS_URL };
    const name = `redis-restart-${Date.now()}`;
    const first = await startTestGateway(config);
    const one = await bodyOf(
      await first.request('/v1/responses', {
        method: 'POST',
        json: { model: 'scripted-agent', input: '[[text "kept in redis"]]', conversation: name },
      }),
    );
    await first.stop();
    const second = await startTestGateway(config);
    try {
      const stored = await bodyOf(await second.request(`/v1/responses/${one.id}`));
      expect(stored).to.deep.equal(one);
      const next = await bodyOf(
        await second.request('/v1/responses', {
          method: 'POST',
          json: { model: 'scripted-agent', input: '[[echo]]', conversation: name },
        }),
      );
      expect(promptText(echoOf(next))).to.contain('Assistant: kept in redis');
      for (const id of [one.id, next.id]) await second.request(`/v1/responses/${id}`, { method: 'DELETE' });
    } finally {
      await second.stop();
    }
  });

  it('keeps a three-turn chain working after a restart between turn 2 and 3 (SQLite)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'agw-resp-restart-'));
    const config = { agents: [scriptedAgentConfig()], store: `sqlite://${join(dataDir, 'gw.sqlite')}`, dataDir };
    const post = async (gw: TestGateway, body: Record<string, unknown>) => {
      const res = await gw.request('/v1/responses', { method: 'POST', json: { model: 'scripted-agent', ...body } });
      const json = await bodyOf(res);
      expect(res.status, JSON.stringify(json)).to.equal(200);
      return json;
    };

    const first = await startTestGateway(config);
    const one = await post(first, { input: '[[text "the secret is 7"]]', instructions: 'Answer briefly.' });
    const two = await post(first, { input: '[[echo]]', previous_response_id: one.id });
    expect(echoOf(two).promptIndex).to.equal(2);
    await first.stop();

    const second = await startTestGateway(config);
    try {
      expect(outputText(await bodyOf(await second.request(`/v1/responses/${two.id}`)))).to.contain('received:');
      const three = await post(second, { input: '[[echo]]', previous_response_id: two.id });
      const echo = echoOf(three);
      // The agent process and its live session are gone, so turn 3 opens a new session (prompt 1), seeded
      // with the stored transcript: every earlier turn exactly once, and the inherited instructions.
      expect(echo.promptIndex).to.equal(1);
      expect(echo.session).to.not.equal(echoOf(two).session);
      const prompt = promptText(echo);
      expect(prompt.match(/Assistant: the secret is 7/g)).to.have.length(1);
      expect(prompt.match(/User: \[\[echo]]/g)).to.have.length(1);
      expect(prompt).to.contain('Answer briefly.');
      expect(three.instructions).to.equal('Answer briefly.');
      // And the chain goes on in that new session: turn 4 reuses it.
      const four = await post(second, { input: '[[echo]]', previous_response_id: three.id });
      expect(echoOf(four)).to.include({ session: echo.session, promptIndex: 2 });
    } finally {
      await second.stop();
    }
  });
});
