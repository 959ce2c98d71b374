// GET / (the web console's page) and GET /console/assets/{asset}: public, offline, with the console's own policy while
// every API answer keeps the strict one; relative URLs that resolve at /, under /p/<profile> and under a mount prefix;
// the console's own same-origin POSTs pass the CORS gate with no origin configured.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import { CONSOLE_CSP } from '../../lib/api/console/console-page.js';
import { SECURITY_HEADERS } from '../../lib/http/security-headers.js';
import { jsonOf, rawRequest } from '../support/raw-http.js';
import { bodyOf, startTestGateway, type TestGateway } from '../support/gateway.js';
import { ensureConsoleBuilt } from './browser.js';

const PROFILE_KEY = 'sk-console-profile-0123456789';

/** The src and href attribute values of an HTML page. */
const urlsOf = (html: string) => [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]);

/** Loads the page at `url` and every asset it names, resolved as a browser resolves them; the assets by name. */
async function loadConsole(url: string): Promise<Map<string, Response>> {
  const res = await fetch(url);
  expect(res.status, url).to.equal(200);
  expect(res.headers.get('content-type')).to.equal('text/html; charset=utf-8');
  expect(res.headers.get('content-security-policy')).to.equal(CONSOLE_CSP);
  const html = await res.text();
  const assets = new Map<string, Response>();
  for (const ref of urlsOf(html)) {
    if (ref.startsWith('data:')) continue;
    expect(ref, 'a relative URL, same origin').to.match(/^\.\//);
    const asset = await fetch(new URL(ref, url));
    expect(asset.status, new URL(ref, url).href).to.equal(200);
    assets.set(new URL(ref, url).pathname.split('/').pop()!, asset);
  }
  expect([...assets.keys()].sort()).to.deep.equal(['console.css', 'console.js']);
  return assets;
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the web console served: GET / and GET /console/assets/{asset}', function () {
  this.timeout(30_000);
  let gw: TestGateway;
  before(async () => {
    await ensureConsoleBuilt();
    gw = await startTestGateway({ profiles: [{ name: 'ops', keys: [{ key: PROFILE_KEY }] }] });
  });
  after(() => gw.stop());

  it('serves the page and its bundle without a key, with the console’s policy on the page only', async () => {
    const page = await gw.request('/', { auth: false });
    expect(page.status).to.equal(200);
    expect(page.headers.get('cache-control')).to.equal('no-cache');
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      expect(page.headers.get(name), name).to.equal(name === 'Content-Security-Policy' ? CONSOLE_CSP : value);
    }
    const html = await page.text();
    expect(html).to.include('<div id="app">');
    expect(urlsOf(html).filter((u) => !u.startsWith('data:'))).to.deep.equal([
      './console/assets/console.css',
      './console/assets/console.js',
    ]);
    // Only the gateway's own scripts, styles and fetches; no inline code, no framing, no form posts.
    expect(CONSOLE_CSP).to.include("script-src 'self'");
    expect(CONSOLE_CSP).to.include("connect-src 'self'");
    expect(CONSOLE_CSP).to.include("frame-ancestors 'none'");
    expect(CONSOLE_CSP).not.to.include('unsafe');

    const js = await gw.request('/console/assets/console.js', { auth: false });
    expect(js.status).to.equal(200);
    expect(js.headers.get('content-type')).to.equal('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).to.equal(SECURITY_HEADERS['Content-Security-Policy']);
    expect(await js.text()).to.include('agent-gateway');
    const css = await gw.request('/console/assets/console.css', { auth: false });
    expect(css.headers.get('content-type')).to.equal('text/css; charset=utf-8');
    await css.arrayBuffer();
  });

  it('keeps the strict policy on every API answer', async () => {
    for (const path of ['/v1/models', '/health', '/v1/runs']) {
      const res = await gw.request(path);
      expect(res.headers.get('content-security-policy'), path).to.equal(SECURITY_HEADERS['Content-Security-Policy']);
      await res.arrayBuffer();
    }
  });

  it('reads no file but its two assets', async () => {
    const res = await gw.request('/console/assets/app.js', { auth: false });
    expect(res.status).to.equal(400);
    expect((await bodyOf(res)).error.param).to.equal('asset');
    for (const path of ['/console/assets/../../package.json', '/console/assets/..%2f..%2fpackage.json']) {
      const raw = await rawRequest(gw.url, { path });
      expect(raw.status, path).to.equal(400);
      expect(jsonOf(raw).error.code, path).to.equal('invalid_path');
    }
  });

  it('resolves its assets under /p/<profile>, with and without the trailing slash', async () => {
    await loadConsole(`${gw.url}/p/ops`);
    await loadConsole(`${gw.url}/p/ops/`);
  });

  it('resolves its assets with the gateway mounted under a prefix in an express app', async () => {
    const app = express();
    app.use('/agents', gw.handler);
    const server = createServer(app);
    const base = `${await listen(server)}/agents`;
    try {
      await loadConsole(base);
      await loadConsole(`${base}/`);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('takes the console’s own same-origin POSTs with no origin configured, and still refuses other origins', async () => {
    const host = new URL(gw.url).host;
    const own = await gw.request('/api/sessions', { method: 'POST', json: {}, headers: { origin: `http://${host}` } });
    expect(own.status).to.equal(201);
    expect(own.headers.get('access-control-allow-origin')).to.equal(null);
    await own.arrayBuffer();
    for (const origin of ['http://evil.example', `http://${host}.evil.example`, 'null']) {
      const other = await gw.request('/api/sessions', { method: 'POST', json: {}, headers: { origin } });
      expect(other.status, origin).to.equal(403);
      await other.arrayBuffer();
    }
  });
});
