// Raw HTTP for bodies fetch will not send: chunked without a length, a lying Content-Length.
import { request as httpRequest } from 'node:http';

/** A raw POST with the given body chunks (chunked when no Content-Length is given). */
export function rawPost(
  url: string,
  headers: Record<string, string>,
  chunks: string[],
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}
