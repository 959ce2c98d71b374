import { expect } from 'chai';
import { chatRequestToTurn, deriveSessionId } from '../../../lib/api/chat/chat-request-to-turn.js';
import { GatewayError } from '../../../lib/errors.js';
import type { components } from '../../../lib/generated/openapi.gen.js';

const fail = (fn: () => unknown): GatewayError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
};

describe('chatRequestToTurn', () => {
  it('takes the last message as input and the earlier user/assistant turns as history (case 13)', () => {
    const turn = chatRequestToTurn([
      { role: 'user', content: '1+1=?' },
      { role: 'assistant', content: '2' },
      { role: 'user', content: 'Now add 1 more' },
    ]);
    expect(turn.inputText).to.equal('Now add 1 more');
    expect(turn.input).to.deep.equal([{ type: 'text', text: 'Now add 1 more' }]);
    expect(turn.history).to.deep.equal([
      { role: 'user', content: '1+1=?' },
      { role: 'assistant', content: '2' },
    ]);
  });

  it('joins several system messages into one layered prompt (case 12)', () => {
    const turn = chatRequestToTurn([
      { role: 'system', content: 'You are helpful.' },
      { role: 'system', content: [{ type: 'text', text: 'Answer briefly.' }] },
      { role: 'user', content: 'hi' },
    ]);
    expect(turn.systemPrompt).to.equal('You are helpful.\nAnswer briefly.');
    expect(turn.history).to.deep.equal([]);
  });

  it('drops tool, developer and function messages', () => {
    const turn = chatRequestToTurn([
      { role: 'user', content: 'a' },
      { role: 'tool', content: 'x' },
      { role: 'developer', content: 'y' },
      { role: 'user', content: 'b' },
    ]);
    expect(turn.history).to.deep.equal([{ role: 'user', content: 'a' }]);
  });

  it('refuses a request with only system messages or a blank last message (case 9)', () => {
    for (const messages of [[{ role: 'system', content: 'x' }], [{ role: 'user', content: '   ' }]]) {
      const error = fail(() => chatRequestToTurn(messages));
      expect(error.status).to.equal(400);
      expect(error.message).to.equal('No user message found in messages');
    }
  });

  it('refuses an unknown role with 400 naming messages[i].role, not "No user message found"', () => {
    const error = fail(() =>
      chatRequestToTurn([
        { role: 'user', content: 'a' },
        { role: 'robot', content: 'b' },
      ]),
    );
    expect(error.toEnvelope()).to.deep.equal({
      error: {
        message:
          'Invalid request: \'messages[1].role\' must be one of: "system", "developer", "user", "assistant", "tool", "function".',
        type: 'invalid_request_error',
        param: 'messages[1].role',
        code: 'invalid_request',
      },
    });
  });

  it('derives the same api- id for the same first message and another id otherwise (case 14)', () => {
    const a = chatRequestToTurn([{ role: 'user', content: 'first' }]);
    const b = chatRequestToTurn([
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'x' },
      { role: 'user', content: 'third' },
    ]);
    const c = chatRequestToTurn([{ role: 'user', content: 'other' }]);
    expect(a.derivedSessionId).to.match(/^api-[0-9a-f]{16}$/);
    expect(b.derivedSessionId).to.equal(a.derivedSessionId);
    expect(c.derivedSessionId).to.not.equal(a.derivedSessionId);
    expect(deriveSessionId('', 'first', 'webui:user-42')).to.not.equal(a.derivedSessionId);
  });

  it('maps image parts to image blocks: data URLs inline, http(s) by link', () => {
    const turn = chatRequestToTurn([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'low' } },
        ],
      },
    ]);
    expect(turn.input).to.deep.equal([
      { type: 'text', text: 'what is this?' },
      { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' },
      { type: 'image_url', url: 'https://example.com/cat.jpg' },
    ]);
  });

  const refusals: Array<[string, components['schemas']['MessageContent'], string, string]> = [
    ['a file part', [{ type: 'file', file: { file_id: 'f' } }], 'unsupported_content_type', 'messages[0].content[0]'],
    [
      'an input_file part',
      [{ type: 'input_file', file_id: 'f' }],
      'unsupported_content_type',
      'messages[0].content[0]',
    ],
    [
      'a non-image data URL',
      [{ type: 'image_url', image_url: { url: 'data:application/pdf;base64,AAAA' } }],
      'unsupported_content_type',
      'messages[0].content[0]',
    ],
    ['an unknown part type', [{ type: 'audio', audio: {} }], 'unsupported_content_type', 'messages[0].content[0]'],
    [
      'an ftp image URL',
      [{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }],
      'invalid_image_url',
      'messages[0].content[0]',
    ],
    ['an image without URL', [{ type: 'image_url', image_url: {} }], 'invalid_image_url', 'messages[0].content[0]'],
  ];
  for (const [what, content, code, param] of refusals) {
    it(`refuses ${what} with 400 ${code}`, () => {
      const error = fail(() => chatRequestToTurn([{ role: 'user', content }]));
      expect(error.status).to.equal(400);
      expect(error.code).to.equal(code);
      expect(error.param).to.equal(param);
    });
  }
});
