// Floor for the proxy bench: the least a Node proxy can do on this machine. node:http server, whole body read,
// http.request on a keep-alive agent, whole answer read and sent back; no auth, no CORS, no validation, no checks.
// The gateway's fast path is this plus its gates, so its throughput cannot pass this one's.
// Prints `ready <port>` once it listens.
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

const upstream = new URL(process.env.BENCH_UPSTREAM_URL ?? 'http://127.0.0.1:1');
const agent = new Agent({ keepAlive: true, scheduling: 'lifo' });
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const headers = { ...req.headers, authorization: `Bearer ${process.env.BENCH_UPSTREAM_KEY}` };
    delete headers.host;
    delete headers.connection;
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, agent, headers },
      (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => parts.push(chunk));
        answer.on('end', () => {
          const bytes = Buffer.concat(parts);
          res.writeHead(answer.statusCode ?? 502, {
            'content-type': answer.headers['content-type'] ?? 'application/octet-stream',
            'content-length': bytes.length,
          });
          res.end(bytes);
        });
      },
    );
    out.on('error', () => res.writeHead(502).end());
    out.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
