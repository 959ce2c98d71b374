// Malformed HTTP (issue 14, fault 7): what node's parser refuses before any gate runs gets the right status, the error
// envelope and the security headers, and the connection is closed. Raw bytes over a socket: no client sends these.
import { expect } from 'chai';
import { SECURITY_HEADERS } from '../../lib/http/security-headers.js';
import { startTestGateway, TEST_KEY, type TestGateway } from '../support/gateway.js';
import { rawExchange } from '../support/raw-http.js';

const AUTH = `Authorization: Bearer ${TEST_KEY}\r\n`;

const CASES: Array<{ name: string; bytes: string; status: number; code: string }> = [
  {
    name: 'a control byte in a header value',
    bytes: `GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Bad: a\x01b\r\n${AUTH}\r\n`,
    status: 400,
    code: 'invalid_http_request',
  },
  {
    name: 'a bare LF ending a header line',
    bytes: `GET /v1/models HTTP/1.1\r\nHost: x\nX-A: b\r\n${AUTH}\r\n`,
    status: 400,
    code: 'invalid_http_request',
  },
  {
    name: 'Content-Length together with Transfer-Encoding',
    bytes: `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    status: 400,
    code: 'invalid_http_request',
  },
  {
    name: 'two different Content-Lengths',
    bytes: `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}`,
    status: 400,
    code: 'invalid_content_length',
  },
  {
    name: 'a Content-Length that is not a number',
    bytes: `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Length: 12abc\r\n\r\n{}`,
    status: 400,
    code: 'invalid_content_length',
  },
  {
    name: 'a NUL in the path',
    bytes: `GET /v1/mo\x00dels HTTP/1.1\r\nHost: x\r\n${AUTH}\r\n`,
    status: 400,
    code: 'invalid_http_request',
  },
  {
    name: 'a header name with a space',
    bytes: `GET /v1/models HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n${AUTH}\r\n`,
    status: 400,
    code: 'invalid_http_request',
  },
  {
    name: 'not HTTP at all',
    bytes: 'HELLO THERE\r\n\r\n',
    status: 400,
    code: 'invalid_http_request',
  },
  {
    name: 'headers past 16 KB',
    bytes: `GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n${AUTH}\r\n`,
    status: 431,
    code: 'request_header_fields_too_large',
  },
  {
    name: 'an Expect other than 100-continue',
    bytes: `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Type: application/json\r\nContent-Length: 2\r\nExpect: bogus\r\n\r\n`,
    status: 417,
    code: 'expectation_failed',
  },
];

describe('malformed HTTP', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.stop());

  for (const { name, bytes, status, code } of CASES) {
    it(`answers ${status} ${code} in the envelope with the gateway head for ${name}, then closes`, async () => {
      const answer = await rawExchange(gw.url, bytes);
      expect(answer.status).to.equal(status);
      const body = JSON.parse(answer.body);
      expect(Object.keys(body.error).sort()).to.deep.equal(['code', 'message', 'param', 'type']);
      expect(body.error).to.include({ type: 'invalid_request_error', code, param: null });
      for (const [header, value] of Object.entries(SECURITY_HEADERS)) {
        expect(answer.headers[header.toLowerCase()], header).to.equal(value);
      }
      expect(answer.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
      expect(answer.headers['content-type']).to.equal('application/json; charset=utf-8');
      expect(answer.headers.connection).to.equal('close');
      expect(answer.closed).to.equal(true);
    });
  }

  it('still serves a well-formed request on a new connection afterwards', async () => {
    await rawExchange(gw.url, 'HELLO\r\n\r\n');
    const res = await gw.request('/v1/models');
    expect(res.status).to.equal(200);
  });
});
