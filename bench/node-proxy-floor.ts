// Floor for the proxy bench: the least a Node proxy can do on this machine. node:http server, whole body read,
// http.request on a keep-alive agent with a raw header list (no setHeader per field), whole answer read and sent
// back with one writeHead; no auth, no CORS, no validation, no checks, no timers. The gateway's fast path is this
// plus its gates, so its throughput cannot pass this one's. Prints `ready <port>` once it listens.
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

const upstream = new URL(process.env.BENCH_UPSTREAM_URL ?? 'http://127.0.0.1:1');
const authorization = `Bearer ${process.env.BENCH_UPSTREAM_KEY}`;
const agent = new Agent({ keepAlive: true, scheduling: 'lifo' });
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    const headers = ['Host', upstream.host, 'Authorization', authorization];
    const raw = req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i].toLowerCase();
      if (name !== 'host' && name !== 'connection' && name !== 'authorization') headers.push(raw[i], raw[i + 1]);
    }
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, agent, headers },
      (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => parts.push(chunk));
        answer.on('end', () => {
          const bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts);
          res.writeHead(answer.statusCode ?? 502, [
            'content-type',
            answer.headers['content-type'] ?? 'application/octet-stream',
            'content-length',
            String(bytes.length),
          ]);
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
