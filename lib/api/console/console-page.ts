// GET / (the web console's page) and GET /console/assets/{asset} (its script and stylesheet, bundled from console/ by
// `npm run build` into dist/console/). Serves bytes only: what the page does, and the key it asks for, are its own.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Request } from 'express';
import { GatewayError } from '../../errors.js';
import type { OperationHandler } from '../../http/operation.js';
import { packagePath } from '../../paths.js';
import { VERSION } from '../../version.js';
import { sendHtmlPage } from '../../http/html-page.js';

/**
 * The page's own policy: its script, its stylesheet and fetches to the gateway only (no inline script or style,
 * nothing from elsewhere, no framing); the API's strict policy stays on every other response.
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Where `npm run build` (scripts/build-console.mjs) writes the bundle. */
export const CONSOLE_DIST = packagePath('dist', 'console');

const TYPES: Readonly<Record<string, string>> = {
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
};

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The prefix that makes the asset URLs resolve under the console, relative to the URL the browser asked for: `./`
 * at `/` or `/p/ops/`, `./ops/` at `/p/ops` (a mount prefix or profile without its trailing slash).
 */
function baseOf(req: Request): string {
  const asked = (req.originalUrl ?? req.url).split('?')[0];
  if (asked.endsWith('/')) return './';
  return `./${asked.slice(asked.lastIndexOf('/') + 1)}/`;
}

function page(base: string, built: boolean): Buffer {
  const b = escapeHtml(base);
  const body = built
    ? `<div id="app"><p class="boot">Loading the console…</p></div>
<noscript>The agent-gateway console needs JavaScript.</noscript>
<script src="${b}console/assets/console.js"></script>`
    : `<main><h1>agent-gateway console</h1>
<p>The console is not built yet. Run <code>npm run build</code> in the gateway's folder (<code>npm start</code> builds it
when it is missing), then reload this page. The API works without it.</p></main>`;
  return Buffer.from(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>agent-gateway ${VERSION} console</title>
<link rel="icon" href="data:,">
${built ? `<link rel="stylesheet" href="${b}console/assets/console.css">` : ''}
</head>
<body>
${body}
</body>
</html>
`);
}

export function getConsole(): OperationHandler {
  return ({ req, res }) => {
    sendHtmlPage(res, page(baseOf(req), existsSync(join(CONSOLE_DIST, 'console.js'))), CONSOLE_CSP);
  };
}

export function getConsoleAsset(): OperationHandler {
  return async ({ params, res }) => {
    const name = String(params.asset);
    // The contract's enum admits only the names of TYPES: no other file can be read.
    if (!Object.hasOwn(TYPES, name)) throw GatewayError.notFound('GET', `/console/assets/${name}`);
    // Read per request (a few tens of kB, fetched once per page load): a rebuild shows without a restart.
    const bytes = await readFile(join(CONSOLE_DIST, name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw GatewayError.notFound('GET', `/console/assets/${name}`);
      throw error;
    });
    res.setHeader('Content-Type', TYPES[name]);
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Length', bytes.length);
    res.end(bytes);
  };
}
