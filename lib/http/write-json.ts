// The one writer of JSON response bodies (operation results and error envelopes): the bytes and headers express's
// res.json sends, without its per-response work a JSON API never uses (ETag, freshness, content-type parsing).
import type { ServerResponse } from 'node:http';

export function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body) ?? '';
  res.statusCode = status;
  for (const name in headers) res.setHeader(name, headers[name]);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(res.req?.method === 'HEAD' ? undefined : text);
}
