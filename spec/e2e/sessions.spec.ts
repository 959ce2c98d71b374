// The Sessions API (reference §8) over the one conversation store: every chat, Responses chain and run is a
// session; records and messages survive a restart; on SQLite and (with REDIS_URL) on Redis.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parseEcho } from '../agents/scripted-agent-config.js';
import { bodyOf, scriptedAgentConfig, startTestGateway, type TestGateway } from '../support/gateway.js';

interface Client {
  gw: TestGateway;
  call(method: string, path: string, json?: unknown, headers?: Record<string, string>): Promise<any>;
  status(method: string, path: string, json?: unknown, headers?: Record<string, string>): Promise<number>;
}

const stores = [
  { name: 'SQLite', url: (dir: string) => `sqlite://${join(dir, 'gateway.sqlite')}` },
  ...(process.env.REDIS_URL ? [{ name: 'Redis', url: () => process.env.REDIS_URL! }] : []),
];

for (const backend of stores) {
  describe(`Sessions API on ${backend.name}`, function () {
    this.timeout(30_000);
    let dir: string;
    let key: string;
    let otherKey: string;
    let client: Client;

    const start = async () => {
      const gw = await startTestGateway({
        agents: [scriptedAgentConfig()],
        store: backend.url(dir),
        dataDir: dir,
        keys: [
          { name: 'test', key },
          { name: 'other', key: otherKey },
        ],
      });
      const send = (method: string, path: string, json?: unknown, headers: Record<string, string> = {}) =>
        gw.request(path, { method, json, headers: { authorization: `Bearer ${key}`, ...headers } });
      return {
        gw,
        async call(method: string, path: string, json?: unknown, headers?: Record<string, string>) {
          const res = await send(method, path, json, headers);
          const body = await res.json();
          if (res.status >= 300) throw new Error(`${method} ${path} -> ${res.status} ${JSON.stringify(body)}`);
          return body;
        },
        async status(method: string, path: string, json?: unknown, headers?: Record<string, string>) {
          const res = await send(method, path, json, headers);
          await res.arrayBuffer();
          return res.status;
        },
      };
    };

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'agw-sessions-'));
      // Fresh keys: on a shared Redis, earlier runs' sessions belong to other owners.
      key = `sk-test-${randomBytes(12).toString('hex')}`;
      otherKey = `sk-other-${randomBytes(12).toString('hex')}`;
      client = await start();
    });
    afterEach(async () => {
      await client.gw.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    const chat = (content: string, headers: Record<string, string> = {}) =>
      client.call('POST', '/v1/chat/completions', { messages: [{ role: 'user', content }] }, headers);

    it('lists a chat sent with X-Hermes-Session-Id as a session with both turns, and keeps it over a restart', async () => {
      await chat('[[text "first answer"]] hello', { 'X-Hermes-Session-Id': 's1' });
      await chat('[[text "second answer"]] again', { 'X-Hermes-Session-Id': 's1' });

      const list = await client.call('GET', '/api/sessions');
      expect(list).to.include({ object: 'list', limit: 50, offset: 0, has_more: false });
      const s1 = list.data.find((s: any) => s.id === 's1');
      expect(s1).to.include({ source: 'api_server', message_count: 4, model: 'scripted-agent', pinned: false });
      expect(s1.preview).to.equal('[[text "first answer"]] hello');
      expect(s1).to.include({ has_system_prompt: false, has_model_config: false });

      const expectMessages = async () => {
        const page = await client.call('GET', '/api/sessions/s1/messages');
        expect(page).to.include({ object: 'list', session_id: 's1' });
        expect(page.data.map((m: any) => [m.id, m.role, m.content])).to.deep.equal([
          [1, 'user', '[[text "first answer"]] hello'],
          [2, 'assistant', 'first answer'],
          [3, 'user', '[[text "second answer"]] again'],
          [4, 'assistant', 'second answer'],
        ]);
        expect(page.data[1]).to.include({ session_id: 's1', finish_reason: 'stop' });
        expect(page.pagination).to.deep.equal({ limit: 500, offset: 0, order: 'latest', returned: 4 });
      };
      await expectMessages();

      await client.gw.stop();
      client = await start();
      await expectMessages();
      // The restarted gateway continues the conversation (seeded from the stored messages).
      await chat('[[text "third"]] more', { 'X-Hermes-Session-Id': 's1' });
      const after = await client.call('GET', '/api/sessions/s1');
      expect(after.session.message_count).to.equal(6);
    });

    it('shows a Responses chain as one session', async () => {
      const first = await client.call('POST', '/v1/responses', { input: '[[text "one"]] a' });
      const second = await client.call('POST', '/v1/responses', {
        input: '[[text "two"]] b',
        previous_response_id: first.id,
      });
      expect(second.status).to.equal('completed');
      const { session } = await client.call('GET', `/api/sessions/${first.id}`);
      expect(session.message_count).to.equal(4);
      const page = await client.call('GET', `/api/sessions/${first.id}/messages?order=oldest&limit=10`);
      expect(page.data.map((m: any) => m.content)).to.deep.equal([
        '[[text "one"]] a',
        'one',
        '[[text "two"]] b',
        'two',
      ]);
      const list = await client.call('GET', '/api/sessions');
      expect(list.data.map((s: any) => s.id)).to.deep.equal([first.id]);
    });

    it('creates, reads, patches and deletes a session, with the reference error codes', async () => {
      const created = await client.gw.request('/api/sessions', {
        method: 'POST',
        json: { id: 'my-session', title: 'Plans', system_prompt: 'Be brief.', source: 'browser', model: 'x' },
        headers: { authorization: `Bearer ${key}` },
      });
      expect(created.status).to.equal(201);
      const { session } = await bodyOf(created);
      expect(session).to.include({
        id: 'my-session',
        title: 'Plans',
        source: 'hermes_browser',
        message_count: 0,
        has_system_prompt: true,
        has_model_config: false,
      });
      expect(session).not.to.have.property('system_prompt');

      const conflict = await client.gw.request('/api/sessions', {
        method: 'POST',
        json: { session_id: 'my-session' },
        headers: { authorization: `Bearer ${key}` },
      });
      expect(conflict.status).to.equal(409);
      expect((await bodyOf(conflict)).error).to.include({
        code: 'session_exists',
        message: 'Session already exists: my-session',
      });

      expect(await client.status('POST', '/api/sessions', { id: 'x'.repeat(257) })).to.equal(400);
      // A blank id is no id: the gateway names the session, as when none is sent.
      const blank = await client.call('POST', '/api/sessions', { id: '   ' });
      expect(blank.session.id).to.match(/^api_\d+_[0-9a-f]{8}$/);
      const badTitle = await client.gw.request('/api/sessions', {
        method: 'POST',
        json: { title: 'Plans' },
        headers: { authorization: `Bearer ${key}` },
      });
      expect((await bodyOf(badTitle)).error).to.include({
        code: 'invalid_title',
        message: 'Title already in use by session my-session',
      });
      const badPrompt = await client.gw.request('/api/sessions', {
        method: 'POST',
        json: { system_prompt: 42 },
        headers: { authorization: `Bearer ${key}` },
      });
      expect(badPrompt.status).to.equal(400);

      const patched = await client.call('PATCH', '/api/sessions/my-session', { title: null, pinned: true });
      expect(patched.session).to.include({ title: null, pinned: true });
      const unsupported = await client.gw.request('/api/sessions/my-session', {
        method: 'PATCH',
        json: { model: 'x', foo: 1 },
        headers: { authorization: `Bearer ${key}` },
      });
      expect(unsupported.status).to.equal(400);
      expect((await bodyOf(unsupported)).error).to.include({
        code: 'unsupported_session_field',
        message: 'Unsupported session fields: model, foo',
      });
      const badFlag = await client.gw.request('/api/sessions/my-session', {
        method: 'PATCH',
        json: { archived: 'yes please' },
        headers: { authorization: `Bearer ${key}` },
      });
      expect((await bodyOf(badFlag)).error.code).to.equal('invalid_session_field');
      const ended = await client.call('PATCH', '/api/sessions/my-session', { end_reason: 'user_closed' });
      expect(ended.session.end_reason).to.equal('user_closed');
      expect(ended.session.ended_at).to.be.a('number');

      expect(await client.call('DELETE', '/api/sessions/my-session')).to.deep.equal({
        object: 'hermes.session.deleted',
        id: 'my-session',
        deleted: true,
      });
      const gone = await client.gw.request('/api/sessions/my-session', { headers: { authorization: `Bearer ${key}` } });
      expect(gone.status).to.equal(404);
      expect((await bodyOf(gone)).error).to.include({
        code: 'session_not_found',
        message: 'Session not found: my-session',
      });
    });

    it('deletes a session with its messages: its next turn starts from nothing', async () => {
      await chat('[[text "remember the secret word"]] hi', { 'X-Hermes-Session-Id': 'gone' });
      await client.call('DELETE', '/api/sessions/gone');
      expect(await client.status('GET', '/api/sessions/gone/messages')).to.equal(404);
      await chat('[[echo]] who', { 'X-Hermes-Session-Id': 'gone' });
      const page = await client.call('GET', '/api/sessions/gone/messages');
      expect(page.data).to.have.length(2);
      expect(JSON.stringify(page.data)).not.to.include('secret');
    });

    it('scopes sessions to the API key and to X-Hermes-Session-Key', async () => {
      await chat('[[text "a"]] mine', { 'X-Hermes-Session-Id': 'shared-name' });
      await chat('[[text "b"]] alice', { 'X-Hermes-Session-Id': 'shared-name', 'X-Hermes-Session-Key': 'alice' });
      const other = { authorization: `Bearer ${otherKey}` };
      expect(await client.status('GET', '/api/sessions/shared-name', undefined, other)).to.equal(404);
      expect((await client.call('GET', '/api/sessions', undefined, other)).data).to.deep.equal([]);

      const alice = await client.call('GET', '/api/sessions', undefined, { 'X-Hermes-Session-Key': 'alice' });
      expect(alice.data.map((s: any) => [s.id, s.preview])).to.deep.equal([['shared-name', '[[text "b"]] alice']]);
      const mine = await client.call('GET', '/api/sessions/shared-name/messages');
      expect(mine.data[0].content).to.equal('[[text "a"]] mine');
      expect(
        await client.status('GET', '/api/sessions/shared-name', undefined, { 'X-Hermes-Session-Key': 'bob' }),
      ).to.equal(404);
    });

    it('pages messages oldest or latest, and refuses bad pagination with invalid_pagination', async () => {
      for (let i = 1; i <= 3; i++) await chat(`[[text "r${i}"]] q${i}`, { 'X-Hermes-Session-Id': 'paged' });
      const oldest = await client.call('GET', '/api/sessions/paged/messages?limit=2&offset=1');
      expect(oldest.data.map((m: any) => m.id)).to.deep.equal([2, 3]);
      expect(oldest.pagination).to.deep.equal({ limit: 2, offset: 1, order: 'oldest', returned: 2 });
      const latest = await client.call('GET', '/api/sessions/paged/messages?limit=2&order=latest');
      expect(latest.data.map((m: any) => m.content)).to.deep.equal(['q3'.replace('q3', '[[text "r3"]] q3'), 'r3']);
      for (const query of ['limit=-1', 'limit=abc', 'offset=1.5', 'order=newest']) {
        const res = await client.gw.request(`/api/sessions/paged/messages?${query}`, {
          headers: { authorization: `Bearer ${key}` },
        });
        expect(res.status, query).to.equal(400);
        expect((await bodyOf(res)).error.code, query).to.equal('invalid_pagination');
      }
    });

    it('lists with limit, offset, title search, hidden and pinned sessions first', async () => {
      for (const id of ['a', 'b', 'c']) await client.call('POST', '/api/sessions', { id, title: `Title ${id}` });
      await client.call('PATCH', '/api/sessions/a', { pinned: true });
      await client.call('PATCH', '/api/sessions/b', { hidden: true });
      const all = await client.call('GET', '/api/sessions');
      expect(all.data.map((s: any) => s.id)).to.deep.equal(['a', 'c']);
      const withHidden = await client.call('GET', '/api/sessions?include_hidden=true&limit=2');
      expect(withHidden.data.map((s: any) => s.id)).to.deep.equal(['a', 'c']);
      expect(withHidden.has_more).to.equal(true);
      const searched = await client.call('GET', '/api/sessions?title=title%20B&include_hidden=1');
      expect(searched.data.map((s: any) => s.id)).to.deep.equal(['b']);
      const lenient = await client.call('GET', '/api/sessions?limit=-5&offset=abc');
      expect(lenient).to.include({ limit: 50, offset: 0 });
    });

    it("titles a session from the agent's session_info_update", async () => {
      await chat('[[title "Trip to Lisbon"]] [[text "ok"]] plan a trip', { 'X-Hermes-Session-Id': 'titled' });
      expect((await client.call('GET', '/api/sessions/titled')).session.title).to.equal('Trip to Lisbon');
    });

    it('hands X-Hermes-Session-Key to the agent as _meta of session/new', async () => {
      const reply = await chat('[[echo]] hi', { 'X-Hermes-Session-Id': 'meta', 'X-Hermes-Session-Key': 'user-42' });
      expect(parseEcho(reply.choices[0].message.content).meta).to.deep.equal({ 'hermes/sessionKey': 'user-42' });
    });

    it("forks the agent's own session (ACP session/fork) when the source's session is live", async () => {
      const first = parseEcho(
        (await chat('[[echo]] one', { 'X-Hermes-Session-Id': 'live-src' })).choices[0].message.content,
      );
      await client.call('POST', '/api/sessions/live-src/fork', { id: 'live-child' });
      const child = parseEcho(
        (await chat('[[echo]] two', { 'X-Hermes-Session-Id': 'live-child' })).choices[0].message.content,
      );
      expect(child.forkedFrom).to.equal(first.session);
      expect(child.history).to.equal(1);
      expect(JSON.stringify(child.blocks)).not.to.include('[Conversation so far');
    });

    it('forks after turn 2: the child continues independently, the source is ended "branched"', async () => {
      await chat('[[text "one"]] first', { 'X-Hermes-Session-Id': 'src' });
      await chat('[[text "two"]] second', { 'X-Hermes-Session-Id': 'src' });
      await client.call('PATCH', '/api/sessions/src', { title: 'Source' });
      const forked = await client.gw.request('/api/sessions/src/fork', {
        method: 'POST',
        json: { id: 'child' },
        headers: { authorization: `Bearer ${key}` },
      });
      expect(forked.status).to.equal(201);
      const { session: child } = await bodyOf(forked);
      expect(child).to.include({ id: 'child', parent_session_id: 'src', title: 'Source fork', message_count: 4 });
      const source = (await client.call('GET', '/api/sessions/src')).session;
      expect(source.end_reason).to.equal('branched');

      await chat('[[echo]] child turn', { 'X-Hermes-Session-Id': 'child' });
      await chat('[[text "src three"]] source turn', { 'X-Hermes-Session-Id': 'src' });
      const childMessages = (await client.call('GET', '/api/sessions/child/messages')).data.map((m: any) => m.content);
      const srcMessages = (await client.call('GET', '/api/sessions/src/messages')).data.map((m: any) => m.content);
      expect(childMessages.slice(0, 5)).to.deep.equal([
        '[[text "one"]] first',
        'one',
        '[[text "two"]] second',
        'two',
        '[[echo]] child turn',
      ]);
      expect(childMessages).to.have.length(6);
      expect(srcMessages).to.have.length(6);
      expect(srcMessages[4]).to.equal('[[text "src three"]] source turn');

      const again = await client.gw.request('/api/sessions/src/fork', {
        method: 'POST',
        json: { id: 'child' },
        headers: { authorization: `Bearer ${key}` },
      });
      expect(again.status).to.equal(409);
      const second = (await client.call('POST', '/api/sessions/src/fork', {})).session;
      expect(second.title).to.equal('Source fork 2');
    });
  });
}
