// Log lines people and parsers can read: one `msg` per line (a second one would hide the first from every JSON
// parser), and /health/detailed that reports only what the configuration uses.
import { join } from 'node:path';
import { expect } from 'chai';
import { bodyOf, startTestGateway } from '../support/gateway.js';
import { rawLogger } from '../support/raw-logger.js';

describe('log lines and health', function () {
  this.timeout(20_000);

  it('writes one msg per line for failures answered with a 5xx, forwarded or not', async () => {
    const { logger, lines } = rawLogger();
    // Nothing listens on port 9: the forward fails (502 upstream_unavailable) and both the forwarder and the
    // error responder log it.
    const gw = await startTestGateway({
      upstreams: [{ name: 'down', baseUrl: 'http://127.0.0.1:9', connectTimeoutSeconds: 1 }],
      options: { logger },
    });
    try {
      const res = await gw.request('/v1/embeddings', { method: 'POST', json: { model: 'm', input: 'x' } });
      expect(res.status).to.equal(502);
      const failed = lines.filter((line) => line.includes('"request failed"'));
      expect(failed, lines.join('\n')).to.have.length.greaterThan(0);
      for (const line of lines) expect(line.match(/"msg":/g), line).to.have.length(1);
      expect(JSON.parse(failed[0])).to.include({ code: 'upstream_unavailable', msg: 'request failed' });
      expect(JSON.parse(failed[0]).detail).to.match(/^Upstream unavailable: down: /);
    } finally {
      await gw.stop();
    }
  });

  it('checks no disk in /health/detailed when the configuration writes nothing there (memory store, keys given)', async () => {
    const gw = await startTestGateway({ store: 'memory://' });
    const absent = join(gw.dataDir, 'never', 'created');
    await gw.stop();
    const again = await startTestGateway({ store: 'memory://', dataDir: absent });
    try {
      const body = await bodyOf(await again.request('/health/detailed'));
      expect(body.readiness.checks).not.to.have.property('disk');
      expect(body.status).to.equal('ok');
    } finally {
      await again.stop();
    }
  });
});
