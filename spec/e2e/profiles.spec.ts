import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import OpenAI from 'openai';
import { bodyOf, scriptedAgentConfig, startTestGateway, TEST_KEY, type TestGateway } from '../support/gateway.js';

const KEY_A = 'sk-profile-a-0123456789abcdef';
const KEY_B = 'sk-profile-b-0123456789abcdef';
const KEY_C = 'sk-profile-c-0123456789abcdef';
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function until<T>(probe: () => Promise<T | null>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

for (const store of ['memory://', 'sqlite://']) {
  describe(`profiles: every route under /p/<profile>/, keys, agents and state of its own (${store})`, function () {
    this.timeout(30_000);
    let gw: TestGateway;
    before(async () => {
      gw = await startTestGateway({
        store,
        corsOrigins: ['http://app.example'],
        agents: [scriptedAgentConfig({ name: 'base-agent' })],
        profiles: [
          { name: 'a', keys: [{ key: KEY_A }], agents: [scriptedAgentConfig({ name: 'agent-a' })] },
          { name: 'b', keys: [{ key: KEY_B }], agents: [scriptedAgentConfig({ name: 'agent-b' })] },
          { name: 'c', keys: [{ key: KEY_C }] },
        ],
      });
    });
    after(() => gw.stop());

    it('lists each profile its own model, and the default routes the default one', async () => {
      const ids = async (path: string, key: string) =>
        (await bodyOf(await gw.request(path, { headers: bearer(key) }))).data.map((m: { id: string }) => m.id);
      expect(await ids('/p/a/v1/models', KEY_A)).to.deep.equal(['agent-a']);
      expect(await ids('/p/b/v1/models', KEY_B)).to.deep.equal(['agent-b']);
      expect(await ids('/v1/models', TEST_KEY)).to.deep.equal(['base-agent']);
    });

    it('gives a profile that names no agents the default ones, spawned for it alone', async () => {
      const res = await gw.request('/p/c/v1/models', { headers: bearer(KEY_C) });
      expect((await bodyOf(res)).data.map((m: { id: string }) => m.id)).to.deep.equal(['base-agent']);
      const own = gw.profiles.get('c')!.services.agents.get('base-agent');
      expect(own).to.not.equal(undefined);
      expect(own).to.not.equal(gw.services.agents.get('base-agent'));
    });

    it('takes each key under its own prefix only: 401 elsewhere, the default key included', async () => {
      const cases: Array<[string, string, number]> = [
        ['/p/a/v1/models', KEY_A, 200],
        ['/p/a/v1/models', KEY_B, 401],
        ['/p/a/v1/models', TEST_KEY, 401],
        ['/p/b/v1/models', KEY_B, 200],
        ['/p/b/v1/models', KEY_A, 401],
        ['/p/b/v1/models', TEST_KEY, 401],
        ['/v1/models', TEST_KEY, 200],
        ['/v1/models', KEY_A, 401],
        ['/v1/models', KEY_B, 401],
      ];
      for (const [path, key, status] of cases) {
        const res = await gw.request(path, { headers: bearer(key) });
        expect(res.status, `${path} with ${key}`).to.equal(status);
        if (status === 401) expect((await bodyOf(res)).error).to.include({ code: 'gateway_auth_failed' });
      }
    });

    it('keeps a stored response in its profile: 404 under another profile and at the default routes', async () => {
      const created = await gw.request('/p/a/v1/responses', {
        method: 'POST',
        headers: bearer(KEY_A),
        json: { model: 'agent-a', input: '[[text "kept in a"]]' },
      });
      expect(created.status).to.equal(200);
      const { id } = await bodyOf(created);
      const own = await gw.request(`/p/a/v1/responses/${id}`, { headers: bearer(KEY_A) });
      expect(own.status).to.equal(200);
      expect((await bodyOf(own)).id).to.equal(id);
      expect((await gw.request(`/p/b/v1/responses/${id}`, { headers: bearer(KEY_B) })).status).to.equal(404);
      expect((await gw.request(`/v1/responses/${id}`)).status).to.equal(404);
    });

    it('keeps a run in its profile: 404 under another profile and at the default routes', async () => {
      const created = await gw.request('/p/a/v1/runs', {
        method: 'POST',
        headers: bearer(KEY_A),
        json: { model: 'agent-a', input: 'hello' },
      });
      expect(created.status).to.equal(202);
      const { run_id: runId } = await bodyOf(created);
      const done = await until(async () => {
        const body = await bodyOf(await gw.request(`/p/a/v1/runs/${runId}`, { headers: bearer(KEY_A) }));
        return body.status === 'completed' ? body : null;
      });
      expect(done.output).to.equal('echo: hello');
      expect((await gw.request(`/p/b/v1/runs/${runId}`, { headers: bearer(KEY_B) })).status).to.equal(404);
      expect((await gw.request(`/v1/runs/${runId}`)).status).to.equal(404);
      expect((await gw.request(`/v1/runs/${runId}/events`)).status).to.equal(404);
    });

    it('answers an unknown profile with the 404 envelope, gateway head and CORS included, without a key', async () => {
      const res = await gw.request('/p/unknown/v1/models', {
        auth: false,
        headers: { origin: 'http://app.example', 'x-request-id': 'req-profile-1' },
      });
      expect(res.status).to.equal(404);
      expect(res.headers.get('x-request-id')).to.equal('req-profile-1');
      expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(res.headers.get('access-control-allow-origin')).to.equal('http://app.example');
      expect(await bodyOf(res)).to.deep.equal({
        error: {
          message: 'No route for GET /p/unknown/v1/models.',
          type: 'invalid_request_error',
          param: null,
          code: 'not_found',
        },
      });
      expect((await gw.request('/p/unknown/v1/models', { headers: bearer(KEY_A) })).status).to.equal(404);
    });

    it('serves health under a profile prefix without a key', async () => {
      const res = await gw.request('/p/b/health', { auth: false });
      expect(res.status).to.equal(200);
      expect(res.headers.get('x-request-id')).to.be.a('string');
    });

    it('works with the openai SDK at baseURL /p/a/v1', async () => {
      const client = new OpenAI({ baseURL: `${gw.url}/p/a/v1`, apiKey: KEY_A, maxRetries: 0 });
      const models = await client.models.list();
      expect(models.data.map((m) => m.id)).to.deep.equal(['agent-a']);
      const completion = await client.chat.completions.create({
        model: 'agent-a',
        messages: [{ role: 'user', content: '[[text "from profile a"]]' }],
      });
      expect(completion.choices[0].message.content).to.equal('from profile a');
      const wrong = new OpenAI({ baseURL: `${gw.url}/p/b/v1`, apiKey: KEY_A, maxRetries: 0 });
      const status = await wrong.models.list().then(
        () => 200,
        (error: InstanceType<typeof OpenAI.APIError>) => error.status,
      );
      expect(status).to.equal(401);
    });

    if (store === 'sqlite://') {
      it('keeps each profile in an SQLite file of its own under the data dir', () => {
        expect(existsSync(join(gw.dataDir, 'profiles', 'a', 'gateway.sqlite'))).to.equal(true);
        expect(existsSync(join(gw.dataDir, 'profiles', 'b', 'gateway.sqlite'))).to.equal(true);
      });
    }
  });
}
