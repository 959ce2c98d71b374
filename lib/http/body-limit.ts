// Body-size gate by Content-Length, before auth: a huge upload is refused before anything reads it.
import { GatewayError } from '../errors.js';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
const DIGITS = /^\d{1,16}$/;

/** Throws 400 invalid_content_length or 413 body_too_large; a chunked body is limited while it is read. */
export function checkContentLength(method: string | undefined, header: string | undefined, maxBytes: number): void {
  if (header === undefined || !WITH_BODY.has(method ?? '')) return;
  if (!DIGITS.test(header.trim())) throw GatewayError.invalidContentLength();
  if (Number(header) > maxBytes) throw GatewayError.bodyTooLarge(maxBytes);
}
