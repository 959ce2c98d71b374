// Streams whose client stops reading (issue 14, fault 4): an agent stream's backlog is bounded (closed past
// `streams.maxBufferedBytes` or after `streams.stallTimeoutSeconds` without the client taking anything); a proxied
// stream pauses its upstream while the client does not read, and is closed after the same stall timeout. The memory
// figures under load are bench/stalled.ts's (`npm run bench -- stalled`), not a timed spec's.
import { readdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:http';
import { expect } from 'chai';
import type { FakeUpstream } from '../../fixtures/upstream/openai-upstream.js';
import {
  scriptedAgentConfig,
  startTestGateway,
  TEST_KEY,
  type TestGateway,
  withUpstreamGateway,
} from '../support/gateway.js';
import { openFilesUnder } from '../support/open-files.js';
import { sleep } from '../support/redis-server.js';

interface Stalled {
  /** Bytes read before the client stopped reading, and after it read again. */
  read(): number;
  /** Reads again, to the end; resolves with what the stream ended with. */
  drain(): Promise<{ text: string; aborted: boolean }>;
  /** Everything read (kept once `drain` starts, with the first bytes). */
  body(): string;
}

/** A streaming POST whose client reads the first bytes, then stops reading. */
function stallAfterFirstBytes(url: string, path: string, body: unknown): Promise<Stalled> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
        agent: false,
      },
      (res: IncomingMessage) => {
        let size = 0;
        let tail = '';
        const chunks: Buffer[] = [];
        let aborted = false;
        res.on('aborted', () => {
          aborted = true;
        });
        res.on('error', () => {
          aborted = true;
        });
        res.once('data', (chunk: Buffer) => {
          size += chunk.length;
          chunks.push(chunk);
          res.pause();
          resolve({
            read: () => size,
            body: () => Buffer.concat(chunks).toString('utf8'),
            drain: () =>
              new Promise((done) => {
                res.on('data', (more: Buffer) => {
                  size += more.length;
                  chunks.push(more);
                  tail = (tail + more.toString('latin1')).slice(-64);
                });
                res.on('close', () => done({ text: tail, aborted: aborted || !res.complete }));
                res.resume();
              }),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('streams whose client stops reading', function () {
  this.timeout(60_000);

  describe('an agent stream', () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startTestGateway({
        agents: [scriptedAgentConfig()],
        streams: { maxBufferedBytes: 65_536, stallTimeoutSeconds: 1 },
      });
    });
    after(() => gw.stop());

    it('is closed once its client took nothing for the stall timeout, and the turn ends', async () => {
      const piece = 'x'.repeat(4096);
      // 40 MB if it were all produced: far more than the socket buffers hold.
      const stalled = await stallAfterFirstBytes(gw.url, '/v1/chat/completions', {
        model: 'scripted-agent',
        stream: true,
        messages: [{ role: 'user', content: `[[text "${piece}" chunks=1 repeat=10000]]` }],
      });
      await sleep(4000);
      const { text, aborted } = await stalled.drain();
      expect(aborted, 'the stream was cut, not ended').to.equal(true);
      expect(text).to.not.include('[DONE]');
      expect(stalled.read()).to.be.below(40_000_000);
      // The gateway serves on: the next stream completes.
      const res = await gw.request('/v1/chat/completions', {
        method: 'POST',
        json: { model: 'scripted-agent', stream: true, messages: [{ role: 'user', content: '[[text "hi"]]' }] },
      });
      expect(await res.text()).to.include('[DONE]');
    });

    it('lets a client that reads take a stream far larger than the buffer limit', async () => {
      const piece = 'y'.repeat(4096);
      const res = await gw.request('/v1/chat/completions', {
        method: 'POST',
        json: {
          model: 'scripted-agent',
          stream: true,
          messages: [{ role: 'user', content: `[[text "${piece}" chunks=1 repeat=500]]` }],
        },
      });
      const text = await res.text();
      expect(text.length).to.be.above(2_000_000);
      expect(text).to.include('[DONE]');
    });
  });

  describe('an agent stream whose client falls behind', () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startTestGateway({
        agents: [scriptedAgentConfig()],
        streams: { maxBufferedBytes: 32 * 1024 * 1024, stallTimeoutSeconds: 10 },
      });
    });
    after(() => gw.stop());

    /** Files the (in-process) gateway holds open under its data dir: spilled backlogs and texts, unlinked. */
    const spilled = () => openFilesUnder(gw.dataDir);

    it('keeps the backlog past 1 MB in a temp file and delivers all of it, in order, when the client reads', async () => {
      // 3 × 2,000 deltas of 4 KB (25 MB): more than the kernel's socket buffers and a stream's memory hold.
      const script = ['a', 'b', 'c'].map((c) => `[[text "${c.repeat(4096)}" chunks=1 repeat=2000]]`).join('');
      const stalled = await stallAfterFirstBytes(gw.url, '/v1/chat/completions', {
        model: 'scripted-agent',
        stream: true,
        messages: [{ role: 'user', content: script }],
      });
      await sleep(1500);
      // The turn is over (its text read back for the record, its file closed): the one file is the backlog.
      const open = spilled();
      expect(open, 'the backlog file').to.have.length(1);
      expect(open[0]).to.match(/\(deleted\)$/);
      expect(readdirSync(gw.dataDir).filter((name) => name.startsWith('.spill-'))).to.deep.equal([]);
      const { aborted } = await stalled.drain();
      expect(aborted, 'the stream ended, not cut').to.equal(false);
      const frames = stalled.body().split('\n\n').filter(Boolean);
      expect(frames.at(-1)).to.equal('data: [DONE]');
      const deltas = frames
        .slice(0, -1)
        .map((frame) => JSON.parse(frame.slice('data: '.length)).choices[0]?.delta?.content)
        .filter((content: string | undefined) => content);
      expect(deltas.map((d: string) => d[0]).join('')).to.equal('a'.repeat(2000) + 'b'.repeat(2000) + 'c'.repeat(2000));
      expect(deltas.every((d: string) => d.length === 4096 && d === d[0].repeat(4096))).to.equal(true);
      await sleep(100);
      expect(spilled(), 'every file closed with the stream').to.deep.equal([]);
    });

    it('records a turn whose text outgrew memory whole', async () => {
      const res = await gw.request('/v1/chat/completions', {
        method: 'POST',
        headers: { 'x-hermes-session-id': 'big-text' },
        json: {
          model: 'scripted-agent',
          messages: [{ role: 'user', content: `[[text "${'q'.repeat(4096)}é" chunks=1 repeat=200]]` }],
        },
      });
      const completion = (await res.json()) as { choices: { message: { content: string } }[] };
      const reply = completion.choices[0].message.content;
      expect(reply).to.equal(`${'q'.repeat(4096)}é`.repeat(200));
      const page = (await (await gw.request('/api/sessions/big-text/messages?order=oldest')).json()) as {
        data: { role: string; content: string }[];
      };
      expect(page.data.map((m) => m.role)).to.deep.equal(['user', 'assistant']);
      expect(page.data[1].content).to.equal(reply);
      expect(spilled()).to.deep.equal([]);
    });
  });

  describe('an agent stream whose backlog passes the limit in its file', () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startTestGateway({
        agents: [scriptedAgentConfig()],
        streams: { maxBufferedBytes: 3 * 1024 * 1024, stallTimeoutSeconds: 30 },
      });
    });
    after(() => gw.stop());

    it('is cut once memory and file together hold more than maxBufferedBytes, long before the stall timeout', async () => {
      const started = Date.now();
      const stalled = await stallAfterFirstBytes(gw.url, '/v1/chat/completions', {
        model: 'scripted-agent',
        stream: true,
        messages: [{ role: 'user', content: `[[text "${'x'.repeat(4096)}" chunks=1 repeat=10000]]` }],
      });
      await sleep(3000);
      const { aborted, text } = await stalled.drain();
      expect(aborted, 'cut').to.equal(true);
      expect(text).to.not.include('[DONE]');
      expect(Date.now() - started).to.be.below(15_000);
      // What reached the client: what the kernel held and at most the limit behind it, far from the 40 MB produced.
      expect(stalled.read()).to.be.below(30_000_000);
    });
  });

  describe('a proxied stream', () => {
    let up: FakeUpstream;
    let gw: TestGateway;
    withUpstreamGateway(
      { key: 'sk-upstream-0123456789abcdef', models: ['up-model'] },
      (u) => ({
        upstreams: [{ name: 'default', baseUrl: u.baseUrl, key: 'sk-upstream-0123456789abcdef' }],
        streams: { stallTimeoutSeconds: 1 },
      }),
      (u, g) => {
        up = u;
        gw = g;
      },
    );

    it('pauses the upstream while the client does not read, then closes both after the stall timeout', async () => {
      let produced = 0;
      let upstreamClosed = false;
      const frame = `data: ${JSON.stringify({ choices: [{ delta: { content: 'z'.repeat(4000) } }] })}\n\n`;
      up.handler = async (_req: IncomingMessage, res: ServerResponse) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.on('close', () => {
          upstreamClosed = true;
          res.emit('drain'); // wakes the writer below, which then stops
        });
        // A well-behaved upstream: it writes while its socket takes the bytes, up to 200 MB.
        while (!res.destroyed && produced < 200_000_000) {
          produced += frame.length;
          if (!res.write(frame)) await new Promise((resolve) => res.once('drain', resolve));
        }
        res.end();
        return true;
      };
      const stalled = await stallAfterFirstBytes(gw.url, '/v1/chat/completions', {
        model: 'up-model',
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      });
      await sleep(500);
      const whileStalled = produced;
      await sleep(500);
      // Paused: the upstream could only fill the socket buffers, nowhere near its 200 MB.
      expect(produced - whileStalled).to.be.below(1_000_000);
      expect(produced).to.be.below(100_000_000);
      await sleep(3000);
      expect(upstreamClosed, 'the upstream request ended with the stalled client').to.equal(true);
      const { aborted } = await stalled.drain();
      expect(aborted).to.equal(true);
    });
  });
});
