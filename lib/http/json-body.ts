// Parses JSON request bodies with the size limit; each way a body can be wrong gets its own error.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import express, { type Request, type RequestHandler } from 'express';
import { GatewayError } from '../errors.js';

export interface JsonBodyOptions {
  maxBytes: number;
  /** A non-JSON body these requests carry is left unread (proxy mode streams it to the upstream). */
  passRaw?: (req: Request) => boolean;
}

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

export const isJsonType = (type: string | undefined): boolean => type !== undefined && JSON_TYPE.test(type);

/**
 * A JSON body in UTF-8 with no content coding: read and parsed by `readBody` + `parseJson` here (and in the proxy
 * fast path). Anything else (gzip, another charset) goes through body-parser, which knows those cases.
 */
export function isPlainJson(headers: IncomingHttpHeaders): boolean {
  const type = headers['content-type'];
  if (!isJsonType(type)) return false;
  const coding = headers['content-encoding'];
  if (coding !== undefined && coding.toLowerCase() !== 'identity') return false;
  const charset = CHARSET.exec(type!);
  return !charset || charset[1].toLowerCase() === 'utf-8';
}

export function hasBody(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
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

export function jsonBody({ maxBytes, passRaw }: JsonBodyOptions): RequestHandler {
  const parse = express.json({ limit: maxBytes, strict: false, type: () => true });

  return function jsonBody(req, res, next) {
    if (!req.readable || !hasBody(req.headers)) return next();
    if (isPlainJson(req.headers)) {
      readBody(req, maxBytes)
        .then(parseJson)
        .then((body) => {
          req.body = body;
          next();
        }, next);
      return;
    }
    const type = req.get('content-type') ?? '';
    if (!isJsonType(type)) {
      if (passRaw?.(req)) return next();
      throw GatewayError.unsupportedMediaType(type || 'none');
    }
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const kind = (error as { type?: string }).type;
      if (kind === 'entity.too.large') return next(GatewayError.bodyTooLarge(maxBytes));
      if (kind === 'entity.parse.failed') return next(GatewayError.invalidJson((error as Error).message));
      if (kind === 'encoding.unsupported' || kind === 'charset.unsupported') {
        return next(GatewayError.unsupportedMediaType(type));
      }
      if (kind === 'request.aborted')
        return next(GatewayError.invalid('Request body was cut off.', null, 'request_aborted'));
      next(error);
    });
  };
}
