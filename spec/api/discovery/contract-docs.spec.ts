// GET /openapi.json (the enforced contract, self-contained) and GET /docs (swagger-ui, offline), also under a mount
// prefix and under /p/<profile>/.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'chai';
import express from 'express';
import { DOCS_CSP } from '../../../lib/api/discovery/contract-docs.js';
import { loadContract } from '../../../lib/http/contract.js';
import { SECURITY_HEADERS } from '../../../lib/http/security-headers.js';
import { VERSION } from '../../../lib/version.js';
import { jsonOf, rawRequest } from '../../support/raw-http.js';
import { bodyOf, startTestGateway, type TestGateway } from '../../support/gateway.js';

const CHROMIUM = '/usr/bin/chromium';
const PROFILE_KEY = 'sk-docs-profile-0123456789';

/** Follows a local JSON pointer (`#/a/b`) through the document; undefined when it points nowhere. */
function resolvePointer(doc: unknown, ref: string): unknown {
  return ref
    .slice(2)
    .split('/')
    .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], doc);
}

/** The src and href attribute values of an HTML page. */
const urlsOf = (html: string) => [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]);

const EXPECTED_TYPES: Record<string, RegExp> = {
  'swagger-ui.css': /^text\/css\b/,
  'swagger-ui-bundle.js': /^text\/javascript\b/,
  'docs.js': /^text\/javascript\b/,
};

/** Loads the page at `docsUrl` and every asset it names, as a browser would resolve them; the assets' bodies. */
async function loadPage(docsUrl: string): Promise<{ html: string; assets: Map<string, string> }> {
  const res = await fetch(docsUrl);
  expect(res.status, docsUrl).to.equal(200);
  expect(res.headers.get('content-type')).to.match(/^text\/html\b/);
  const html = await res.text();
  const assets = new Map<string, string>();
  for (const ref of urlsOf(html)) {
    if (ref.startsWith('data:')) continue;
    expect(ref, 'same-origin relative URL').to.match(/^\.\//);
    const url = new URL(ref, docsUrl);
    const name = url.pathname.split('/').pop()!;
    const asset = await fetch(url);
    expect(asset.status, url.href).to.equal(200);
    expect(asset.headers.get('content-type'), name).to.match(EXPECTED_TYPES[name]);
    assets.set(name, await asset.text());
  }
  expect([...assets.keys()].sort()).to.deep.equal(['docs.js', 'swagger-ui-bundle.js', 'swagger-ui.css']);
  return { html, assets };
}

/** The contract URL docs.js computes (relative to its own URL), fetched. */
async function contractFromScript(docsUrl: string, html: string, script: string): Promise<Response> {
  const scriptUrl = new URL(urlsOf(html).find((ref) => ref.endsWith('docs.js'))!, docsUrl);
  const relative = /new URL\('([^']+)'/.exec(script)![1];
  return fetch(new URL(relative, scriptUrl));
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the contract served: GET /openapi.json and GET /docs', function () {
  this.timeout(30_000);
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ profiles: [{ name: 'docs', keys: [{ key: PROFILE_KEY }] }] });
  });
  after(() => gw.stop());

  describe('GET /openapi.json', () => {
    let doc: any;
    before(async () => {
      const res = await gw.request('/openapi.json', { auth: false });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^application\/json\b/);
      doc = await res.json();
    });

    it('is public and carries the gateway head with its strict policy', async () => {
      const res = await gw.request('/openapi.json', { auth: false });
      expect(res.status).to.equal(200);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name), name).to.equal(value);
      await res.arrayBuffer();
    });

    it('is the contract the gateway enforces: the same operations, at the same paths and methods', () => {
      const served: string[] = [];
      for (const [path, item] of Object.entries<Record<string, { operationId?: string }>>(doc.paths)) {
        for (const [method, op] of Object.entries(item)) {
          if (op && typeof op === 'object' && op.operationId)
            served.push(`${method.toUpperCase()} ${path} ${op.operationId}`);
        }
      }
      const enforced = loadContract().operations.map((op) => `${op.method} ${op.path} ${op.operationId}`);
      expect(served.sort()).to.deep.equal(enforced.sort());
      expect(doc.openapi).to.match(/^3\.1\./);
    });

    it("names the gateway's version", () => {
      expect(doc.info.version).to.equal(VERSION);
      expect(doc.info.title).to.equal('agent-gateway');
    });

    it('is self-contained: every $ref is local and resolves inside the document', () => {
      const refs = new Set<string>();
      JSON.stringify(doc, (key, value) => {
        if (key === '$ref') refs.add(value);
        return value;
      });
      expect(refs.size).to.be.greaterThan(50);
      const unresolved = [...refs].filter((ref) => !ref.startsWith('#/') || resolvePointer(doc, ref) === undefined);
      expect(unresolved).to.deep.equal([]);
      expect(doc.components.schemas).to.include.keys('ErrorEnvelope', 'Health', 'CreateChatCompletionRequest');
    });

    it('validates what the gateway sends, read by a JSON Schema tool on its own', async () => {
      const ajv = new Ajv2020({ strict: false, validateFormats: false });
      ajv.addSchema(doc, 'urn:agent-gateway:openapi');
      const health = ajv.compile({ $ref: 'urn:agent-gateway:openapi#/components/schemas/Health' });
      expect(health(await (await gw.request('/health')).json()), ajv.errorsText(health.errors)).to.equal(true);
      expect(health({ status: 'ok' })).to.equal(false);
      const envelope = ajv.compile({ $ref: 'urn:agent-gateway:openapi#/components/schemas/ErrorEnvelope' });
      const notFound = await (await gw.request('/v1/nowhere')).json();
      expect(envelope(notFound), ajv.errorsText(envelope.errors)).to.equal(true);
      const chat = ajv.compile({ $ref: 'urn:agent-gateway:openapi#/components/schemas/CreateChatCompletionRequest' });
      expect(chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }), ajv.errorsText(chat.errors)).to.equal(
        true,
      );
      expect(chat({ model: 'm', messages: [{ role: 'user', content: 42 }] })).to.equal(false);
    });
  });

  describe('GET /docs', () => {
    it('is public HTML whose URLs are all same-origin and relative, each asset answering with its type', async () => {
      const { html, assets } = await loadPage(`${gw.url}/docs`);
      expect(html).to.include('<div id="swagger-ui"></div>');
      expect(html).not.to.match(/https?:\/\//);
      expect(assets.get('docs.js')).to.include('SwaggerUIBundle(');
    });

    it('starts swagger-ui from a script file, on the contract it finds relative to itself', async () => {
      const { html, assets } = await loadPage(`${gw.url}/docs`);
      // No inline script or style: the page's policy needs no 'unsafe-inline'.
      expect([...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1].trim())).to.deep.equal([
        '',
        '',
      ]);
      expect(html).not.to.match(/<style\b|\sstyle=|\son[a-z]+=/i);
      const contract = await contractFromScript(`${gw.url}/docs`, html, assets.get('docs.js')!);
      expect(contract.status).to.equal(200);
      expect((await bodyOf(contract)).info.version).to.equal(VERSION);
    });

    it("has its own policy (same-origin scripts and styles, nothing inline) and keeps the gateway's other headers", async () => {
      const res = await gw.request('/docs', { auth: false });
      await res.text();
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).to.equal(DOCS_CSP);
      expect(csp).to.include("script-src 'self'").and.include("style-src 'self'").and.include("frame-ancestors 'none'");
      expect(csp).not.to.include('unsafe-inline');
      expect(csp).not.to.include('unsafe-eval');
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
        if (name !== 'Content-Security-Policy') expect(res.headers.get(name), name).to.equal(value);
      }
      expect(res.headers.get('x-request-id')).to.be.a('string');
      // The page's policy is its own: an asset and any other answer keep the strict one.
      const asset = await gw.request('/docs/assets/docs.js', { auth: false });
      await asset.text();
      expect(asset.headers.get('content-security-policy')).to.equal(SECURITY_HEADERS['Content-Security-Policy']);
    });

    it('works at /docs/ too (the relative URLs follow the trailing slash)', async () => {
      const { html, assets } = await loadPage(`${gw.url}/docs/`);
      const contract = await contractFromScript(`${gw.url}/docs/`, html, assets.get('docs.js')!);
      expect(contract.status).to.equal(200);
      await contract.arrayBuffer();
    });

    it('serves only the assets the contract names: no other file, no path out', async () => {
      for (const path of [
        '/docs/assets/index.html',
        '/docs/assets/swagger-ui.js',
        '/docs/assets/package.json',
        '/docs/assets/%2e%2e%2fpackage.json',
      ]) {
        const res = await gw.request(path, { auth: false });
        expect(res.status, path).to.equal(400);
        await res.arrayBuffer();
      }
      // Sent as is (fetch would normalise the dot segments away): the path guard refuses them.
      for (const path of ['/docs/assets/../../package.json', '/docs/assets/..%2f..%2fpackage.json']) {
        const res = await rawRequest(gw.url, { path });
        expect(res.status, path).to.equal(400);
        expect(jsonOf(res).error.code, path).to.equal('invalid_path');
      }
    });

    it('works under /p/<profile>/ without a key', async () => {
      const base = `${gw.url}/p/docs`;
      const { html, assets } = await loadPage(`${base}/docs`);
      const contract = await contractFromScript(`${base}/docs`, html, assets.get('docs.js')!);
      expect(contract.status).to.equal(200);
      expect((await bodyOf(contract)).info.version).to.equal(VERSION);
    });

    it('works with the gateway mounted under a prefix in an express app', async () => {
      const app = express();
      app.use('/agents', gw.handler);
      const server = createServer(app);
      const base = `${await listen(server)}/agents`;
      try {
        const { html, assets } = await loadPage(`${base}/docs`);
        const contract = await contractFromScript(`${base}/docs`, html, assets.get('docs.js')!);
        expect(contract.url).to.equal(`${base}/openapi.json`);
        expect(contract.status).to.equal(200);
        await contract.arrayBuffer();
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });

    const browser = existsSync(CHROMIUM);
    (browser ? it : it.skip)(
      `renders the reference in headless Chromium with no network beyond the gateway${browser ? '' : ` (skipped: ${CHROMIUM} is not installed; the HTML and asset contract above still holds)`}`,
      async () => {
        const { stdout } = await promisify(execFile)(
          CHROMIUM,
          [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
            '--virtual-time-budget=10000',
            '--dump-dom',
            `${gw.url}/docs`,
          ],
          { timeout: 25_000, maxBuffer: 64 * 1024 * 1024 },
        );
        // swagger-ui rendered the contract: its title and the operations, by operationId-bearing blocks.
        expect(stdout).to.include('opblock');
        expect(stdout).to.include('/openapi.json');
        expect(stdout).to.include(VERSION);
      },
    );
  });
});
