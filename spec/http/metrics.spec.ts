// GET /metrics: Prometheus text on a registry of the gateway's own, counters that move with traffic (agent turns,
// refusals, forwarded requests), a key needed unless metrics.public, and no key anywhere in it.
import { expect } from 'chai';
import { type FakeUpstream, startFakeUpstream } from '../../fixtures/upstream/openai-upstream.js';
import { scriptedAgentConfig, startTestGateway, TEST_KEY, type TestGateway } from '../support/gateway.js';

const LIMITED_KEY = 'sk-metrics-limited-0123456789';
const UP_KEY = 'sk-metrics-upstream-0123456789';

/** One sample line of the exposition format: name, optional labels, value (and an optional timestamp). */
const SAMPLE =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (-?[0-9.eE+-]+|[Nn]a[Nn]|[+-]Inf)( -?\d+)?$/;

/** Checks every line of the text, and returns its samples. */
function parseExposition(text: string): Array<{ name: string; labels: Record<string, string>; value: number }> {
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) {
      expect(line, line).to.match(
        /^# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped))$/,
      );
      continue;
    }
    const match = SAMPLE.exec(line);
    expect(match, `not a sample line: ${line}`).to.not.equal(null);
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match![2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[name] = value;
    }
    samples.push({ name: match![1], labels, value: Number(match![3]) });
  }
  return samples;
}

/** The sum of the samples of `name` whose labels include `labels`. */
function sampleSum(text: string, name: string, labels: Record<string, string> = {}): number {
  return parseExposition(text)
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

async function scrape(gw: TestGateway, init: { auth?: boolean } = {}): Promise<string> {
  const res = await gw.request('/metrics', init);
  expect(res.status).to.equal(200);
  expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** Scrapes until `check` holds: a request is counted when its response closes, just after the client read it. */
async function scrapeUntil(gw: TestGateway, check: (text: string) => boolean): Promise<string> {
  let text = '';
  const deadline = Date.now() + 5000;
  for (;;) {
    text = await scrape(gw);
    if (check(text) || Date.now() > deadline) return text;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const chat = (model: string, content: string, extra: object = {}) => ({
  model,
  messages: [{ role: 'user', content }],
  ...extra,
});

describe('GET /metrics', function () {
  this.timeout(30_000);
  let up: FakeUpstream;
  let gw: TestGateway;

  before(async () => {
    up = await startFakeUpstream({ key: UP_KEY });
    gw = await startTestGateway({
      agents: [scriptedAgentConfig()],
      upstreams: [{ name: 'up', baseUrl: up.baseUrl, key: UP_KEY }],
      routes: [{ model: 'up-model', upstream: 'up' }],
      keys: [
        { name: 'test', key: TEST_KEY },
        { name: 'limited', key: LIMITED_KEY, requestsPerMinute: 1 },
      ],
      maxConcurrentRuns: 1,
    });
  });
  after(async () => {
    await gw?.stop();
    await up?.close();
  });

  it('needs a key unless metrics.public', async () => {
    const res = await gw.request('/metrics', { auth: false });
    expect(res.status).to.equal(401);
    expect(((await res.json()) as any).error.code).to.equal('gateway_auth_failed');
    const wrong = await gw.request('/metrics', { headers: { authorization: 'Bearer sk-wrong-key-0123456789' } });
    expect(wrong.status).to.equal(401);
  });

  it('parses as Prometheus text, with the default process metrics', async () => {
    const text = await scrape(gw);
    const names = new Set(parseExposition(text).map((s) => s.name));
    for (const name of [
      'gateway_http_requests_total',
      'gateway_open_streams',
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(names, name).to.include(name);
    }
  });

  it('counts agent turns, time to first delta and requests by operation', async () => {
    const before = await scrape(gw);
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      json: chat('scripted-agent', '[[text "hello there"]]'),
    });
    expect(res.status).to.equal(200);
    await res.json();
    const labels = { operation: 'createChatCompletion', status: '200', status_class: '2xx' };
    const text = await scrapeUntil(
      gw,
      (t) =>
        sampleSum(t, 'gateway_http_requests_total', labels) > sampleSum(before, 'gateway_http_requests_total', labels),
    );
    const turn = { agent: 'scripted-agent', outcome: 'end_turn' };
    expect(sampleSum(text, 'gateway_agent_turns_total', turn)).to.equal(
      sampleSum(before, 'gateway_agent_turns_total', turn) + 1,
    );
    expect(sampleSum(text, 'gateway_agent_turn_duration_seconds_count', turn)).to.be.greaterThan(0);
    expect(
      sampleSum(text, 'gateway_agent_time_to_first_delta_seconds_count', { agent: 'scripted-agent' }),
    ).to.be.greaterThan(0);
    expect(
      sampleSum(text, 'gateway_http_request_duration_seconds_count', { operation: 'createChatCompletion' }),
    ).to.be.greaterThan(0);
    expect(sampleSum(text, 'gateway_active_turns', { agent: 'scripted-agent' })).to.equal(0);
  });

  it('shows the open stream and active turn, and counts a concurrency-cap refusal', async () => {
    const controller = new AbortController();
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      json: chat('scripted-agent', '[[text "first"]] [[sleep ms=20000]]', { stream: true }),
      signal: controller.signal,
    });
    expect(res.status).to.equal(200);
    const reader = res.body!.getReader();
    await reader.read(); // the stream is open
    try {
      const during = await scrape(gw);
      expect(sampleSum(during, 'gateway_open_streams', { kind: 'agent' })).to.equal(1);
      expect(sampleSum(during, 'gateway_active_turns', { agent: 'scripted-agent' })).to.equal(1);
      const refused = await gw.request('/v1/chat/completions', {
        method: 'POST',
        json: chat('scripted-agent', 'hi'),
      });
      expect(refused.status).to.equal(429);
      await refused.json();
      const text = await scrapeUntil(
        gw,
        (t) => sampleSum(t, 'gateway_rejections_total', { reason: 'concurrency_cap' }) >= 1,
      );
      expect(sampleSum(text, 'gateway_rejections_total', { reason: 'concurrency_cap' })).to.equal(1);
    } finally {
      controller.abort();
      await reader.cancel().catch(() => {});
    }
    const after = await scrapeUntil(
      gw,
      (t) =>
        sampleSum(t, 'gateway_open_streams', { kind: 'agent' }) === 0 &&
        sampleSum(t, 'gateway_active_turns', { agent: 'scripted-agent' }) === 0,
    );
    expect(sampleSum(after, 'gateway_open_streams', { kind: 'agent' })).to.equal(0);
    expect(sampleSum(after, 'gateway_active_turns', { agent: 'scripted-agent' })).to.equal(0);
    expect(sampleSum(after, 'gateway_agent_turns_total', { agent: 'scripted-agent', outcome: 'cancelled' })).to.equal(
      1,
    );
  });

  it('counts 401s, rate-limit refusals (429) and forwarded requests by upstream and status', async () => {
    const unauthorized = await gw.request('/v1/models', { headers: { authorization: 'Bearer sk-nope-0123456789' } });
    expect(unauthorized.status).to.equal(401);
    const limited = { authorization: `Bearer ${LIMITED_KEY}` };
    expect((await gw.request('/v1/models', { headers: limited })).status).to.equal(200);
    expect((await gw.request('/v1/models', { headers: limited })).status).to.equal(429);
    const forwarded = await gw.request('/v1/chat/completions', { method: 'POST', json: chat('up-model', 'hi') });
    expect(forwarded.status).to.equal(200);
    await forwarded.json();

    const text = await scrapeUntil(
      gw,
      (t) => sampleSum(t, 'gateway_upstream_requests_total', { upstream: 'up', status: '200' }) >= 1,
    );
    expect(sampleSum(text, 'gateway_http_requests_total', { operation: 'listModels', status: '401' })).to.equal(1);
    expect(sampleSum(text, 'gateway_http_requests_total', { operation: 'listModels', status: '429' })).to.equal(1);
    expect(sampleSum(text, 'gateway_http_requests_total', { status_class: '4xx' })).to.be.at.least(3);
    expect(sampleSum(text, 'gateway_rejections_total', { reason: 'requests_per_minute' })).to.equal(1);
    expect(sampleSum(text, 'gateway_upstream_requests_total', { upstream: 'up', status: '200' })).to.equal(1);
    expect(sampleSum(text, 'gateway_upstream_request_duration_seconds_count', { upstream: 'up' })).to.equal(1);

    // No key, no key name, anywhere in the output.
    for (const secret of [TEST_KEY, LIMITED_KEY, UP_KEY, 'sk-nope-0123456789', '"limited"', '"test"']) {
      expect(text).to.not.include(secret);
    }
  });

  it('answers without a key when metrics.public, and keeps each gateway its own counts', async () => {
    const open = await startTestGateway({ metrics: { public: true } });
    try {
      const text = await scrape(open, { auth: false });
      parseExposition(text);
      // A fresh gateway in the same process: none of the other gateway's traffic.
      expect(sampleSum(text, 'gateway_http_requests_total', { operation: 'createChatCompletion' })).to.equal(0);
      expect(sampleSum(text, 'gateway_agent_turns_total')).to.equal(0);
      // Other operations still need the key.
      expect((await open.request('/health/detailed', { auth: false })).status).to.equal(401);
    } finally {
      await open.stop();
    }
  });
});
