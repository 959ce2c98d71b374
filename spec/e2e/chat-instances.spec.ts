import { expect } from 'chai';
import { bodyOf, scriptedAgentConfig, startTestGateway, type TestGateway } from '../support/gateway.js';
import { parseEcho } from '../agents/scripted-agent-config.js';

const echoOf = parseEcho;

describe('chat conversations shared by two gateways on one Redis', function () {
  this.timeout(30_000);
  let a: TestGateway;
  let b: TestGateway;
  before(async function () {
    if (!process.env.REDIS_URL) {
      console.log('    (skipped: set REDIS_URL to run the cross-instance chat specs)');
      return this.skip();
    }
    a = await startTestGateway({ store: process.env.REDIS_URL, agents: [scriptedAgentConfig()] });
    b = await startTestGateway({ store: process.env.REDIS_URL, agents: [scriptedAgentConfig()] });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
  });

  const turn = async (gw: TestGateway, session: string, content: string) => {
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      headers: { 'x-hermes-session-id': session },
      json: { model: 'scripted-agent', messages: [{ role: 'user', content }] },
    });
    return echoOf((await bodyOf(res)).choices[0].message.content);
  };

  it('never continues a stale agent session after the other instance moved the conversation on', async () => {
    const session = `shared-${Date.now()}`;
    const first = await turn(a, session, 'one on A [[echo]]');
    const second = await turn(b, session, 'two on B [[echo]]');
    // B has no live session: it seeds one from the shared record.
    expect(second.session).to.not.equal(first.session);
    expect(second.blocks[0].text).to.include('User: one on A [[echo]]');
    // A's own session missed turn two: it must seed a new one that includes it, not reuse the stale one.
    const third = await turn(a, session, 'three on A [[echo]]');
    expect(third.session).to.not.equal(first.session);
    expect(third.promptIndex).to.equal(1);
    expect(third.blocks[0].text).to.include('User: two on B [[echo]]');
    // And from there on A continues its new session.
    const fourth = await turn(a, session, 'four on A [[echo]]');
    expect(fourth.session).to.equal(third.session);
    expect(fourth.promptIndex).to.equal(2);
  });
});
