// Parses JSON request bodies with the size limit; each way a body can be wrong gets its own error.
import express, { type Request, type RequestHandler } from 'express';
import { GatewayError } from './errors.js';

export interface JsonBodyOptions {
  maxBytes: number;
  /** A non-JSON body these requests carry is left unread (proxy mode streams it to the upstream). */
  passRaw?: (req: Request) => boolean;
}

export function jsonBody({ maxBytes, passRaw }: JsonBodyOptions): RequestHandler {
  const parse = express.json({ limit: maxBytes, strict: false, type: () => true });

  return function jsonBody(req, res, next) {
    if (!req.readable || !hasBody(req.headers)) return next();
    const type = req.get('content-type') ?? '';
    if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
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

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
