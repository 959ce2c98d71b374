// The header rules of forwarding (lib/proxy/forward-headers.ts) on node's raw header lists, both directions.
import { expect } from 'chai';
import { outgoingHeaders, rawHeader, responseHeadersToCopy } from '../../lib/proxy/forward-headers.js';

/** A raw list as pairs, for readable assertions. */
const pairs = (raw: readonly string[]) => {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < raw.length; i += 2) out.push([raw[i], raw[i + 1]]);
  return out;
};
const names = (raw: readonly string[]) => pairs(raw).map(([name]) => name.toLowerCase());

const base = { host: 'up.example:8000', key: 'up-key', requestId: 'req-1', extra: {}, streaming: false };

describe('forwarded request headers', () => {
  it('sends the upstream Host and key, never the client key, and our request id instead of the client one', () => {
    const out = outgoingHeaders(
      ['Host', 'gw.local', 'Authorization', 'Bearer client-key', 'X-Request-Id', 'client-id', 'Accept', '*/*'],
      base,
    );
    expect(pairs(out)).to.deep.equal([
      ['Host', 'up.example:8000'],
      ['Accept', '*/*'],
      ['X-Request-Id', 'req-1'],
      ['Authorization', 'Bearer up-key'],
    ]);
  });

  it('drops hop-by-hop fields and the ones Connection lists, keeps end-to-end ones in their wire spelling', () => {
    const out = outgoingHeaders(
      [
        'Connection',
        'keep-alive, X-Trace',
        'Keep-Alive',
        'timeout=5',
        'TE',
        'trailers',
        'Proxy-Authorization',
        'Basic x',
        'X-Trace',
        'abc',
        'OpenAI-Organization',
        'org-1',
      ],
      { ...base, key: null },
    );
    expect(pairs(out)).to.deep.equal([
      ['Host', 'up.example:8000'],
      ['OpenAI-Organization', 'org-1'],
      ['X-Request-Id', 'req-1'],
    ]);
  });

  it('lets configured extra headers replace the client ones of the same name', () => {
    const out = outgoingHeaders(['X-Tenant', 'client', 'Accept', 'application/json'], {
      ...base,
      extra: { 'x-tenant': 'gateway' },
    });
    expect(rawHeader(out, 'x-tenant')).to.equal('gateway');
    expect(names(out).filter((n) => n === 'x-tenant')).to.have.length(1);
    // Only configured names count: a client header that happens to name an Object.prototype member passes.
    expect(rawHeader(outgoingHeaders(['Constructor', 'x'], base), 'constructor')).to.equal('x');
  });

  it('describes a replaced body by its own type and length, and asks for identity bytes when streaming', () => {
    const out = outgoingHeaders(
      ['Content-Type', 'application/json; charset=utf-8', 'Content-Length', '999', 'Accept-Encoding', 'gzip'],
      { ...base, streaming: true, bodyLength: 42 },
    );
    expect(rawHeader(out, 'content-type')).to.equal('application/json');
    expect(rawHeader(out, 'content-length')).to.equal('42');
    expect(names(out)).to.not.include('accept-encoding');
    expect(names(out).filter((n) => n === 'content-length')).to.have.length(1);
  });
});

describe('copied response headers', () => {
  const none = { getHeader: () => undefined };

  it('keeps the gateway head first, renames the upstream request id and drops what the gateway owns', () => {
    const out = responseHeadersToCopy(
      [
        'Content-Type',
        'application/json',
        'X-Request-Id',
        'up-7',
        'X-Frame-Options',
        'SAMEORIGIN',
        'Access-Control-Allow-Origin',
        '*',
        'Transfer-Encoding',
        'chunked',
        'Set-Cookie',
        'a=1',
        'Set-Cookie',
        'b=2',
      ],
      none,
      ['X-Request-Id', 'gw-1'],
    );
    expect(pairs(out)).to.deep.equal([
      ['X-Request-Id', 'gw-1'],
      ['Content-Type', 'application/json'],
      ['x-upstream-request-id', 'up-7'],
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
    ]);
  });

  it('merges a Vary the gateway set (CORS) into the first upstream Vary', () => {
    const response = { getHeader: (name: string) => (name === 'vary' ? 'Origin' : undefined) };
    const out = responseHeadersToCopy(['Vary', 'Accept-Encoding', 'Vary', 'Cookie'], response, []);
    expect(pairs(out)).to.deep.equal([
      ['Vary', 'Origin, Accept-Encoding'],
      ['Vary', 'Cookie'],
    ]);
  });

  it("keeps the upstream's rate-limit headers unless the gateway limits this key itself", () => {
    const raw = ['x-ratelimit-remaining-requests', '99'];
    expect(pairs(responseHeadersToCopy(raw, none, []))).to.deep.equal([['x-ratelimit-remaining-requests', '99']]);
    const limited = { getHeader: (name: string) => (name === 'x-ratelimit-remaining-requests' ? '3' : undefined) };
    expect(responseHeadersToCopy(raw, limited, [])).to.deep.equal([]);
  });
});
