// Schema-driven fuzzing (issue 14), fixed seed: requests derived from openapi.yaml for every operation (bodies drawn
// from their schemas or broken on purpose, odd path values, queries and headers), then malformed raw HTTP over a
// socket. No crash, no answer missing, no 5xx but the documented ones, every error in the envelope, the security
// headers on every answer; every JSON body is also checked against the contract (the root hook). The long mode is
// `npm run bench -- fuzz`.
import { expect } from 'chai';
import { scriptedAgentConfig, startTestGateway, type TestGateway } from '../support/gateway.js';
import { fuzzRaw, fuzzRequests, type FuzzTally, newTally } from './fuzz-runner.js';

const SEED = 20260514;
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 1700);
const RAW = Number(process.env.FUZZ_RAW ?? 400);

function report(tally: FuzzTally): string {
  return JSON.stringify({ ...tally, byStatus: Object.fromEntries(tally.byStatus) }, null, 2);
}

describe('fuzzing the gateway with requests derived from openapi.yaml', function () {
  this.timeout(120_000);
  let gw: TestGateway;
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);

  before(async () => {
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    gw = await startTestGateway({ agents: [scriptedAgentConfig()], maxConcurrentRuns: 0 });
  });
  after(async () => {
    await gw.stop();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  });

  it(`answers ${REQUESTS} schema-derived requests without a crash, an undocumented 5xx or a bare error`, async () => {
    const tally = newTally();
    await fuzzRequests(gw.url, gw.key, REQUESTS, SEED, tally);
    expect(tally.problems, report(tally)).to.deep.equal([]);
    expect(tally.unanswered, report(tally)).to.equal(0);
    expect(tally.cases).to.equal(REQUESTS);
    expect(crashes).to.deep.equal([]);
  });

  it(`answers ${RAW} malformed raw requests with a status, the envelope and the security headers`, async () => {
    const tally = newTally();
    await fuzzRaw(gw.url, gw.key, RAW, SEED, tally);
    expect(tally.problems, report(tally)).to.deep.equal([]);
    expect(tally.unanswered, report(tally)).to.equal(0);
    expect(crashes).to.deep.equal([]);
    // Still serving.
    expect((await gw.request('/v1/models')).status).to.equal(200);
  });
});
