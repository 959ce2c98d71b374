// For scale in the proxy bench: http-proxy-middleware alone on a bare node:http server, the upstream key swapped in
// its proxyReq hook and nothing else (no gates, no checks). The gap between this row and the node:http floor is
// what the library costs; the gap between the gateway and this row is the gateway's own work. Prints `ready <port>`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxyMiddleware, proxyEventsPlugin } from 'http-proxy-middleware';

const upstream = new URL(process.env.BENCH_UPSTREAM_URL ?? 'http://127.0.0.1:1');
const key = process.env.BENCH_UPSTREAM_KEY ?? '';
const proxy = createProxyMiddleware<IncomingMessage, ServerResponse>({
  target: upstream.origin,
  changeOrigin: true,
  agent: new Agent({ keepAlive: true, scheduling: 'lifo' }),
  ejectPlugins: true, // no logger or error-page plugins: the library's forwarding alone
  plugins: [proxyEventsPlugin],
  on: { proxyReq: (proxyReq) => proxyReq.setHeader('authorization', `Bearer ${key}`) },
});
const server = createServer((req, res) => void proxy(req, res));
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
