import { expect } from 'chai';
import { capText, contentText, MAX_CONTENT_CHARS, normalizeContent } from '../../lib/api/content.js';
import { parseEcho } from '../agents/scripted-agent-config.js';
import { bodyOf, scriptedAgentConfig, startTestGateway, type TestGateway } from '../support/gateway.js';

const LONG = 'x'.repeat(MAX_CONTENT_CHARS + 5_000);

describe('content normalisation: the 65,536-character cap (reference §3.3)', () => {
  it('cuts a string content to 65,536 characters instead of refusing it', () => {
    const { text, blocks, visible } = normalizeContent(LONG, 'messages[0].content');
    expect(text).to.have.length(65_536);
    expect(blocks).to.deep.equal([{ type: 'text', text }]);
    expect(visible).to.equal(true);
  });

  it('leaves content at the cap untouched', () => {
    const exact = 'y'.repeat(MAX_CONTENT_CHARS);
    expect(normalizeContent(exact, 'input').text).to.equal(exact);
  });

  it('cuts each text part and the joined text of a parts array', () => {
    const { text, blocks } = normalizeContent(
      [
        { type: 'text', text: LONG },
        { type: 'input_text', text: 'tail' },
        { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
      ],
      'messages[0].content',
    );
    expect(text).to.have.length(MAX_CONTENT_CHARS);
    expect(text).to.equal(LONG.slice(0, MAX_CONTENT_CHARS));
    expect(blocks).to.deep.equal([
      { type: 'text', text: LONG.slice(0, MAX_CONTENT_CHARS) },
      { type: 'image_url', url: 'https://example.com/a.png' },
    ]);
  });

  it('caps system text (contentText) the same way', () => {
    expect(contentText(LONG)).to.have.length(MAX_CONTENT_CHARS);
    expect(contentText([{ type: 'text', text: 'a' }, LONG])).to.have.length(MAX_CONTENT_CHARS);
  });

  it('counts characters as code points and never splits a surrogate pair', () => {
    const emoji = '😀'.repeat(MAX_CONTENT_CHARS + 1); // two UTF-16 units each
    const capped = capText(emoji);
    expect([...capped]).to.have.length(MAX_CONTENT_CHARS);
    expect(capped).to.equal('😀'.repeat(MAX_CONTENT_CHARS));
    const mixed = `${'a'.repeat(MAX_CONTENT_CHARS - 1)}😀b`;
    expect(capText(mixed)).to.equal(`${'a'.repeat(MAX_CONTENT_CHARS - 1)}😀`);
  });
});

describe('the content cap on the wire (chat and Responses)', function () {
  this.timeout(20_000);
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ agents: [scriptedAgentConfig()] });
  });
  after(() => gw.stop());

  const promptOf = (text: string) =>
    parseEcho(text)
      .blocks.map((b) => b.text ?? '')
      .join('');

  it('hands the agent at most 65,536 characters of an over-long chat message (200, not 400)', async () => {
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      json: { model: 'scripted-agent', messages: [{ role: 'user', content: `[[echo]] ${LONG}` }] },
    });
    expect(res.status).to.equal(200);
    const prompt = promptOf((await bodyOf(res)).choices[0].message.content);
    expect(prompt).to.have.length(MAX_CONTENT_CHARS);
    expect(prompt).to.equal(`[[echo]] ${LONG}`.slice(0, MAX_CONTENT_CHARS));
  });

  it('hands the agent at most 65,536 characters of an over-long Responses input part', async () => {
    const res = await gw.request('/v1/responses', {
      method: 'POST',
      json: {
        model: 'scripted-agent',
        store: false,
        input: [{ role: 'user', content: [{ type: 'input_text', text: `[[echo]] ${LONG}` }] }],
      },
    });
    expect(res.status).to.equal(200);
    const body = await bodyOf(res);
    const answer = body.output.find((item: { type: string }) => item.type === 'message').content[0].text;
    expect(promptOf(answer)).to.have.length(MAX_CONTENT_CHARS);
  });
});
