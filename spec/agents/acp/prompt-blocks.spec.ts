import { expect } from 'chai';
import { promptBlocksToContent, SLASH_GUARD, UnsupportedContentError } from '../../../lib/agents/acp/prompt-blocks.js';

const plain = { slashCommandGuard: false, image: true };
const guarded = { slashCommandGuard: true, image: true };

describe('promptBlocksToContent', () => {
  it('maps text and base64 images to ACP text and image blocks', () => {
    expect(
      promptBlocksToContent(
        [
          { type: 'text', text: 'What is this?' },
          { type: 'image', data: 'aGk=', mimeType: 'image/png' },
        ],
        plain,
      ),
    ).to.deep.equal([
      { type: 'text', text: 'What is this?' },
      { type: 'image', data: 'aGk=', mimeType: 'image/png' },
    ]);
  });

  it('maps a data: image_url to an image block and an http(s) one to a resource_link', () => {
    expect(
      promptBlocksToContent(
        [
          { type: 'image_url', url: 'data:image/jpeg;base64,/9j/4A==' },
          { type: 'image_url', url: 'https://example.com/pics/cat%20one.png?size=2' },
          { type: 'image_url', url: 'http://example.com/' },
        ],
        plain,
      ),
    ).to.deep.equal([
      { type: 'image', data: '/9j/4A==', mimeType: 'image/jpeg' },
      { type: 'resource_link', uri: 'https://example.com/pics/cat%20one.png?size=2', name: 'cat one.png' },
      { type: 'resource_link', uri: 'http://example.com/', name: 'example.com' },
    ]);
  });

  it('refuses images the agent cannot take, and image URLs of other schemes', () => {
    const noImages = { slashCommandGuard: false, image: false };
    expect(() => promptBlocksToContent([{ type: 'image', data: 'x', mimeType: 'image/png' }], noImages)).to.throw(
      UnsupportedContentError,
    );
    expect(() => promptBlocksToContent([{ type: 'image_url', url: 'data:image/png;base64,eA==' }], noImages)).to.throw(
      UnsupportedContentError,
    );
    expect(() => promptBlocksToContent([{ type: 'image_url', url: 'file:///etc/passwd' }], plain)).to.throw(
      UnsupportedContentError,
    );
    // A link is not image input: every agent accepts resource_link.
    expect(promptBlocksToContent([{ type: 'image_url', url: 'https://e.com/a.png' }], noImages)[0]?.type).to.equal(
      'resource_link',
    );
  });

  describe('with the slash-command guard', () => {
    it('puts U+200B before a leading slash', () => {
      expect(promptBlocksToContent([{ type: 'text', text: '/help' }], guarded)).to.deep.equal([
        { type: 'text', text: `${SLASH_GUARD}/help` },
      ]);
      expect(SLASH_GUARD).to.equal('\u200b');
    });

    it('guards after leading whitespace, which agents strip before looking for a command', () => {
      expect(promptBlocksToContent([{ type: 'text', text: '  \n/model x' }], guarded)).to.deep.equal([
        { type: 'text', text: `  \n${SLASH_GUARD}/model x` },
      ]);
    });

    it('guards the first non-blank text block only', () => {
      const content = promptBlocksToContent(
        [
          { type: 'text', text: '  ' },
          { type: 'text', text: '/reset' },
          { type: 'text', text: '/help' },
        ],
        guarded,
      );
      expect(content.map((block) => (block.type === 'text' ? block.text : ''))).to.deep.equal([
        '  ',
        `${SLASH_GUARD}/reset`,
        '/help',
      ]);
    });

    it('leaves text without a leading slash, or with the guard off, unchanged', () => {
      expect(promptBlocksToContent([{ type: 'text', text: 'a /path' }], guarded)).to.deep.equal([
        { type: 'text', text: 'a /path' },
      ]);
      expect(promptBlocksToContent([{ type: 'text', text: '/help' }], plain)).to.deep.equal([
        { type: 'text', text: '/help' },
      ]);
    });
  });
});
