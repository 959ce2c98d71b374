// Scale for the proxy bench: a bare express 5 app with express.json answering the chat POST itself (no auth,
// no validation, no upstream). The gateway's HTTP layer is express, so this bounds its throughput from above.
// Prints `ready <port>` once it listens.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

const app = express();
app.use(express.json());
app.post('/v1/chat/completions', (req, res) => {
  res.json({ id: 'chatcmpl-1', object: 'chat.completion', model: req.body.model, choices: [] });
});
const server = createServer(app).listen(0, '127.0.0.1', () => {
  process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
