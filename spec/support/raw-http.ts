// Raw HTTP for what fetch will not send or will not show: chunked bodies without a length, a lying Content-Length,
// paths with dot segments (fetch normalises them), Expect: 100-continue, compressed bodies left undecoded.
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';

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

export interface RawExchange {
  status: number;
  /** Header names lower-cased; the last value of a repeated name. */
  headers: Record<string, string>;
  body: string;
  /** Whether the server closed the connection after its answer. */
  closed: boolean;
}

/**
 * Bytes exactly as given over a fresh socket (what no HTTP client would send: bad header bytes, bare LFs, doubled
 * lengths), then the first answer, parsed by hand. Resolves once the server closed the connection or `waitMs` passed.
 */
export function rawExchange(url: string, bytes: string | Buffer, waitMs = 3000): Promise<RawExchange> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname);
    const chunks: Buffer[] = [];
    let closed = false;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) return reject(new Error(`no response head in ${JSON.stringify(text.slice(0, 200))}`));
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: text.slice(split + 4), closed });
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // A whole answer with a Content-Length is enough, even on a connection the server keeps open.
      const sofar = Buffer.concat(chunks);
      const split = sofar.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(sofar.subarray(0, Math.max(0, split)).toString('latin1'));
      // With `Connection: close` the close itself is awaited (the caller checks it comes).
      const head = sofar.subarray(0, Math.max(0, split)).toString('latin1');
      if (/\r\nconnection:\s*close/i.test(head)) return;
      if (split >= 0 && length && sofar.length - split - 4 >= Number(length[1])) finish();
    });
    socket.on('error', () => undefined); // a reset after the answer: what was read is the answer
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.write(bytes);
  });
}
