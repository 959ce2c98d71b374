// The floor proxy (bench/node-proxy-floor.ts) plus only the per-request work the gateway cannot drop, done with the
// gateway's own functions: the security headers and an X-Request-Id on the answer, the request body parsed and
// validated against openapi.yaml (model routing and validation need it), an idle timer on the upstream exchange,
// the 2xx answer parsed before it is sent (a malformed one must become a 502) and its headers copied. No auth, CORS,
// limits, routing or error handling. The gap between this row and the floor is what those features cost any Node
// proxy here; the gap between the gateway and this row is the gateway's own plumbing. Prints `ready <port>`.
import { randomUUID } from 'node:crypto';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadContract } from '../lib/http/contract.js';
import { parseJson } from '../lib/http/json-body.js';
import { securityHead } from '../lib/http/security-headers.js';
import { compileRequestValidators, type RequestParts } from '../lib/http/validate.js';
import { isJson, outgoingHeaders, rawHeader, responseHeadersToCopy } from '../lib/proxy/forward-headers.js';

const upstream = new URL(process.env.BENCH_UPSTREAM_URL ?? 'http://127.0.0.1:1');
const key = process.env.BENCH_UPSTREAM_KEY ?? null;
const validate = compileRequestValidators(loadContract()).get('createChatCompletion')!;
const agent = new Agent({ keepAlive: true, scheduling: 'lifo' });
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  const requestId = randomUUID();
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    validate({ body: parseJson(body), query: {}, headers: req.headers } as RequestParts, []);
    const headers = outgoingHeaders(req.rawHeaders, {
      host: upstream.host,
      key,
      requestId,
      extra: {},
      streaming: false,
    });
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, agent, headers },
      (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => {
          idle.refresh();
          parts.push(chunk);
        });
        answer.on('end', () => {
          clearTimeout(idle);
          const bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts);
          if (isJson(rawHeader(answer.rawHeaders, 'content-type'))) JSON.parse(bytes.toString('utf8'));
          res.writeHead(
            answer.statusCode ?? 502,
            responseHeadersToCopy(answer.rawHeaders, res, securityHead(requestId)),
          );
          res.end(bytes);
        });
      },
    );
    const idle = setTimeout(() => out.destroy(), 600_000);
    out.on('error', () => res.writeHead(502).end());
    out.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
