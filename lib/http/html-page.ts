// One HTML page of the gateway's own (the API reference, the web console): the gateway head stays on it, only its
// Content-Security-Policy is replaced by the page's own.
import type { ServerResponse } from 'node:http';

export function sendHtmlPage(res: ServerResponse, html: Buffer, csp: string): void {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('Content-Length', html.length);
  res.end(html);
}
