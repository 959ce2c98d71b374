// Parses JSON request bodies with the size limit; each way a body can be wrong gets its own error.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { stringify as stringifyForm } from 'node:querystring';
import express, { type Request, type Response } from 'express';
import { GatewayError } from '../errors.js';
import { hasBody } from '../proxy/forward-headers.js';

export { hasBody };

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

export const isJsonType = (type: string | undefined): boolean => type !== undefined && JSON_TYPE.test(type);

/**
 * A JSON body in UTF-8 with no content coding: read and parsed by `readBody` + `parseJson` here. Anything else
 * (gzip, another charset) goes through body-parser, which knows those cases.
 */
export function isPlainJson(headers: IncomingHttpHeaders): boolean {
  const type = headers['content-type'];
  if (!isJsonType(type)) return false;
  const coding = headers['content-encoding'];
  if (coding !== undefined && coding.toLowerCase() !== 'identity') return false;
  const charset = CHARSET.exec(type!);
  return !charset || charset[1].toLowerCase() === 'utf-8';
}

/** The whole body; 413 once it grows past `maxBytes` (chunked bodies have no Content-Length to check first). */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Methods of one object rather than named inner functions: under tsx (keepNames) every named inner function
    // costs an Object.defineProperty per call, and this runs on every request.
    const on = {
      data(chunk: Buffer) {
        size += chunk.length;
        if (size <= maxBytes) return void chunks.push(chunk);
        on.stop();
        req.pause(); // the rest stays unread, as body-parser leaves it
        reject(GatewayError.bodyTooLarge(maxBytes));
      },
      end() {
        on.stop();
        resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
      },
      close() {
        on.stop();
        reject(GatewayError.invalid('Request body was cut off.', null, 'request_aborted'));
      },
      stop() {
        req.off('data', on.data);
        req.off('end', on.end);
        req.off('close', on.close);
      },
    };
    req.on('data', on.data);
    req.on('end', on.end);
    req.on('close', on.close);
  });
}

/** As body-parser (non-strict) parses: a BOM dropped, an empty body is `{}`, JSON.parse's message on failure. */
export function parseJson(bytes: Buffer): unknown {
  if (bytes.length === 0) return {};
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw GatewayError.invalidJson((error as Error).message);
  }
}

/** What the door read of a request body. */
export interface ReadBody {
  /** The parsed JSON (undefined: no body, or a raw body left unread). */
  body: unknown;
  /** The bytes as they came, when the gateway read them itself (forwarded unchanged when nothing rewrites them). */
  raw: Buffer | undefined;
  /** A non-JSON body left unread, for the upstream. */
  unread: boolean;
  /** `raw` holds a non-JSON body some middleware in front of the gateway read already: forwarded as it was sent. */
  foreign?: boolean;
}

const NO_BODY: ReadBody = { body: undefined, raw: undefined, unread: false };
const UNREAD: ReadBody = { body: undefined, raw: undefined, unread: true };

/**
 * Reads and parses a JSON body: 415 for another type (unless `keepRaw`, then it is left unread), 400 invalid_json,
 * 413 while reading. A body some middleware in front of the gateway parsed already is taken as it is.
 */
export function readJsonBody(
  req: IncomingMessage & { body?: unknown },
  res: ServerResponse,
  maxBytes: number,
  keepRaw: boolean,
): ReadBody | Promise<ReadBody> {
  if (req.readableEnded) return alreadyRead(req, keepRaw);
  if (!hasBody(req.headers)) return NO_BODY;
  if (isPlainJson(req.headers)) {
    return readBody(req, maxBytes).then((raw) => ({ body: parseJson(raw), raw, unread: false }));
  }
  const type = req.headers['content-type'] ?? '';
  if (!isJsonType(type)) {
    if (keepRaw) return UNREAD;
    throw GatewayError.unsupportedMediaType(type || 'none');
  }
  return parseCoded(req, res, maxBytes, type);
}

/**
 * A body some middleware in front of the gateway (the user's express app) read already: JSON as it parsed it; the
 * bytes of anything else (express.raw, express.text, express.urlencoded), for the upstream or for a 415.
 */
function alreadyRead(req: IncomingMessage & { body?: unknown }, keepRaw: boolean): ReadBody {
  const { body } = req;
  const type = req.headers['content-type'] ?? '';
  if (body === undefined) return NO_BODY;
  if (isJsonType(type)) {
    const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : null;
    return { body: text === null ? body : parseJson(Buffer.from(text, 'utf8')), raw: undefined, unread: false };
  }
  if (!keepRaw) throw GatewayError.unsupportedMediaType(type || 'none');
  const raw = Buffer.isBuffer(body)
    ? body
    : Buffer.from(typeof body === 'string' ? body : stringifyForm(body as Record<string, string>), 'utf8');
  return { body: undefined, raw, unread: false, foreign: true };
}

const parsers = new Map<number, ReturnType<typeof express.json>>();

/** gzip, deflate, another charset: body-parser (express.json) knows those cases. */
function parseCoded(
  req: IncomingMessage & { body?: unknown },
  res: ServerResponse,
  maxBytes: number,
  type: string,
): Promise<ReadBody> {
  let parse = parsers.get(maxBytes);
  if (!parse) {
    parse = express.json({ limit: maxBytes, strict: false, type: () => true });
    parsers.set(maxBytes, parse);
  }
  return new Promise((resolve, reject) => {
    parse(req as Request, res as Response, (error?: unknown) => {
      if (!error) return resolve({ body: req.body, raw: undefined, unread: false });
      const kind = (error as { type?: string }).type;
      if (kind === 'entity.too.large') return reject(GatewayError.bodyTooLarge(maxBytes));
      if (kind === 'entity.parse.failed') return reject(GatewayError.invalidJson((error as Error).message));
      if (kind === 'encoding.unsupported' || kind === 'charset.unsupported') {
        return reject(GatewayError.unsupportedMediaType(type));
      }
      if (kind === 'request.aborted') {
        return reject(GatewayError.invalid('Request body was cut off.', null, 'request_aborted'));
      }
      reject(error);
    });
  });
}
