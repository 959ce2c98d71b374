// Requests node's HTTP parser refuses before any gate runs (bad header bytes, a bare LF, Content-Length with
// Transfer-Encoding, a doubled Content-Length, NUL in the path, headers past the size limit, a timed-out request)
// and an `Expect` other than 100-continue: answered in the error envelope with the gateway's head, then closed.
// Without these handlers node writes a bare, empty-bodied 400/431/417.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import { writeEnvelope } from './error-handler.js';
import { applyGatewayHead, securityHead } from './security-headers.js';

/** After the answer, how long the client may take to close its end before the socket is destroyed. */
const LINGER_MS = 1000;

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/** Installs both handlers on a node:http server that serves the gateway. */
export function handleClientErrors(server: Server, logger: Logger): void {
  server.on('clientError', (error: NodeJS.ErrnoException & { reason?: string }, socket: Socket) =>
    answerClientError(error, socket, logger),
  );
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => answerExpectation(req, res, logger));
}

/** The GatewayError for a parser failure; null when there is nobody left to answer (the client reset). */
export function clientErrorReply(error: NodeJS.ErrnoException & { reason?: string }): GatewayError | null {
  switch (error.code) {
    case 'ECONNRESET':
    case 'EPIPE':
      return null;
    case 'HPE_HEADER_OVERFLOW':
      return GatewayError.headersTooLarge();
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return GatewayError.requestTimeout();
    case 'HPE_INVALID_CONTENT_LENGTH': // not digits
    case 'HPE_UNEXPECTED_CONTENT_LENGTH': // two of them
      return GatewayError.invalidContentLength();
    default:
      return GatewayError.malformedRequest(parserReason(error));
  }
}

function answerClientError(error: NodeJS.ErrnoException & { reason?: string }, socket: Socket, logger: Logger): void {
  const reply = clientErrorReply(error);
  // A response of this connection already started (a pipelined request went bad mid-way): nothing can follow it.
  const started = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage?.headersSent === true;
  if (!reply || started || !socket.writable) return void socket.destroy();
  const requestId = randomUUID();
  logger.debug({ requestId, code: error.code, status: reply.status }, 'malformed request refused');
  const body = JSON.stringify(reply.toEnvelope());
  const head = securityHead(requestId);
  const lines = [`HTTP/1.1 ${reply.status} ${REASONS[reply.status] ?? 'Bad Request'}`];
  for (let i = 0; i < head.length; i += 2) lines.push(`${head[i]}: ${head[i + 1]}`);
  lines.push(
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  );
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

function answerExpectation(req: IncomingMessage, res: ServerResponse, logger: Logger): void {
  const requestId = randomUUID();
  const reply = GatewayError.expectationFailed(String(req.headers.expect ?? '').slice(0, 100));
  logger.debug({ requestId, status: reply.status }, 'unsupported Expect refused');
  applyGatewayHead(res, requestId);
  res.shouldKeepAlive = false; // the body the client meant to send after a 100 never comes: close
  writeEnvelope(res, reply);
}

/** llhttp's reason ("Invalid header value char"), or a generic one: never the raw bytes the client sent. */
function parserReason(error: NodeJS.ErrnoException & { reason?: string }): string {
  const reason = typeof error.reason === 'string' ? error.reason : '';
  return /^[\x20-\x7E]{1,100}$/.test(reason) ? reason.replace(/\.$/, '') : 'the request could not be parsed';
}
