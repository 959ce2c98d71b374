// Raw HTTP for what fetch will not send or will not show: chunked bodies without a length, a lying Content-Length,
// paths with dot segments (fetch normalises them), Expect: 100-continue, compressed bodies left undecoded.
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';

/** A raw POST with the given body chunks (chunked when no Content-Length is given). */
export function rawPost(
  url: string,
  headers: Record<string, string>,
  chunks: string[],
): Promise<{ status: number; body: string }> {
  return rawRequest(url, { method: 'POST', headers, chunks }).then(({ status, body }) => ({
    status,
    body: body.toString('utf8'),
  }));
}

export interface RawRequestOptions {
  method?: string;
  /** The request target exactly as sent (dot segments and percent-escapes untouched); default: the URL's. */
  path?: string;
  headers?: Record<string, string>;
  /** Body chunks, written in order (chunked unless a Content-Length header is given). */
  chunks?: Array<string | Buffer>;
  /** Send the head with `Expect: 100-continue` and write the body only once the server said 100 Continue. */
  expectContinue?: boolean;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body bytes as they came over the wire (no content decoding). */
  body: Buffer;
  /** Whether the server sent `100 Continue` before the answer. */
  continued: boolean;
}

/** One request on a fresh connection (no agent), the response read whole. */
export function rawRequest(url: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  const { method = 'GET', path, headers = {}, chunks = [], expectContinue = false } = options;
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    let continued = false;
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method,
        path: path ?? `${target.pathname}${target.search}`,
        headers: expectContinue ? { ...headers, expect: '100-continue' } : headers,
        agent: false,
      },
      (res) => {
        const body: Buffer[] = [];
        res.on('data', (chunk: Buffer) => body.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(body), continued }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    const writeBody = () => {
      for (const chunk of chunks) req.write(chunk);
      req.end();
    };
    if (!expectContinue) return writeBody();
    req.on('continue', () => {
      continued = true;
      writeBody();
    });
    req.flushHeaders();
  });
}

/** A raw response's body as JSON. */
export const jsonOf = (res: RawResponse): any => JSON.parse(res.body.toString('utf8'));
