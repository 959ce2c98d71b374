// Path traversal guard: a path with a dot segment (`..`, `.`, also with a `;` parameter: `..;`), an encoded dot,
// slash or backslash (`%2e`, `%2f`, `%5c`) or a raw backslash is refused at the door. Upstreams and frameworks
// normalise such paths differently, so `/v1/../../admin/users` could reach an upstream route the gateway never meant
// to expose, with its key attached.
import { GatewayError } from '../errors.js';

const ENCODED = /%(2e|2f|5c)/i;
// Tomcat and Spring drop a segment's `;parameters` before normalising, so `/v1/..;/admin` climbs like `/v1/../admin`.
const DOT_SEGMENT = /(^|\/)\.\.?(;[^/]*)?(\/|$)/;

/** Throws 400 invalid_path; `path` is the request target without its query. */
export function checkPath(path: string): void {
  if (path.includes('%') && ENCODED.test(path)) throw GatewayError.invalidPath();
  if (path.includes('.') && DOT_SEGMENT.test(path)) throw GatewayError.invalidPath();
  if (path.includes('\\')) throw GatewayError.invalidPath();
}
