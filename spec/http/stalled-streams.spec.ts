// Streams whose client stops reading (issue 14, fault 4): an agent stream's backlog is bounded (closed past
// `streams.maxBufferedBytes` or after `streams.stallTimeoutSeconds` without the client taking anything); a proxied
// stream pauses its upstream while the client does not read, and is closed after the same stall timeout. The memory
// figures under load are bench/stalled.ts's (`npm run bench -- stalled`), not a timed spec's.
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
import { sleep } from '../support/redis-server.js';

interface Stalled {
  /** Bytes read before the client stopped reading, and after it read again. */
  read(): number;
  /** Reads again, to the end; resolves with what the stream ended with. */
  drain(): Promise<{ text: string; aborted: boolean }>;
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
        let aborted = false;
        res.on('aborted', () => {
          aborted = true;
        });
        res.on('error', () => {
          aborted = true;
        });
        res.once('data', (chunk: Buffer) => {
          size += chunk.length;
          res.pause();
          resolve({
            read: () => size,
            drain: () =>
              new Promise((done) => {
                res.on('data', (more: Buffer) => {
                  size += more.length;
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
