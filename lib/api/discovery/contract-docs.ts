// GET /openapi.json (the enforced contract, self-contained) and GET /docs (swagger-ui over it, served offline).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GatewayError } from '../../errors.js';
import { bundleContract } from '../../http/contract.js';
import type { OperationHandler } from '../../http/operation.js';
import { VERSION } from '../../version.js';
import { sendHtmlPage } from '../../http/html-page.js';

/**
 * The page's own policy: scripts, styles and fetches from the gateway only (no inline script or style, nothing
 * from elsewhere); everything else as strict as the gateway-wide policy.
 */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; " +
  "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Starts swagger-ui on openapi.json, found relative to this script's own URL (so any mount prefix works). */
const START_SCRIPT = `// agent-gateway API reference: swagger-ui over the contract this gateway serves.
(function () {
  var script = document.currentScript;
  var url = new URL('../../openapi.json', script ? script.src : window.location.href).href;
  window.ui = SwaggerUIBundle({
    url: url,
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    validatorUrl: null,
  });
})();
`;

const CSS = 'text/css; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';

/** The assets by the name the contract allows (its enum): file in swagger-ui-dist, or the text itself. */
const ASSETS: Readonly<Record<string, { type: string; file?: string; text?: string }>> = {
  'swagger-ui.css': { type: CSS, file: 'swagger-ui.css' },
  'swagger-ui-bundle.js': { type: JS, file: 'swagger-ui-bundle.js' },
  'docs.js': { type: JS, text: START_SCRIPT },
};

export function getOpenApiDocument(): OperationHandler {
  // Built once, on the first request (bundling reads and parses the whole contract again: megabytes of garbage
  // that a gateway nobody asks for its document would keep in its heap).
  let document: Buffer | null = null;
  return ({ res }) => {
    document ??= Buffer.from(JSON.stringify(bundleContract(VERSION)));
    const bytes = document;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Length', bytes.length);
    res.end(bytes);
  };
}

/** The page: every URL relative to where it is served (`/docs` or `/docs/`), under whatever prefix. */
function page(base: string): Buffer {
  return Buffer.from(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>agent-gateway ${VERSION} API reference</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${base}assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${base}assets/swagger-ui-bundle.js"></script>
<script src="${base}assets/docs.js"></script>
</body>
</html>
`);
}

export function getDocs(): OperationHandler {
  const pages = { bare: page('./docs/'), slash: page('./') };
  return ({ req, res }) => {
    sendHtmlPage(res, req.path.endsWith('/') ? pages.slash : pages.bare, DOCS_CSP);
  };
}

export function getDocsAsset(): OperationHandler {
  // Resolved at start-up: a missing swagger-ui-dist stops the gateway with a clear error, not the first page load.
  const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const loaded = new Map<string, Promise<Buffer>>();
  const load = (name: string): Promise<Buffer> => {
    const asset = ASSETS[name];
    let bytes = loaded.get(name);
    if (!bytes) {
      bytes = asset.file ? readFile(join(dist, asset.file)) : Promise.resolve(Buffer.from(asset.text ?? ''));
      // A failed read is retried by the next request rather than cached.
      bytes.catch(() => loaded.delete(name));
      loaded.set(name, bytes);
    }
    return bytes;
  };
  return async ({ params, res }) => {
    // The contract's enum admits only the names of ASSETS: no other file can be read.
    if (!Object.hasOwn(ASSETS, params.asset)) throw GatewayError.notFound('GET', `/docs/assets/${params.asset}`);
    const bytes = await load(params.asset);
    res.setHeader('Content-Type', ASSETS[params.asset].type);
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.setHeader('Content-Length', bytes.length);
    res.end(bytes);
  };
}
