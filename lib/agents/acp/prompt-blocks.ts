// Neutral prompt blocks → ACP ContentBlocks, with the slash-command guard. Pure.
import type { ContentBlock } from '@agentclientprotocol/sdk/unstable';
import type { PromptBlock } from '../../engine/port/agent.js';

export interface PromptBlockOptions {
  /** Escape user text that starts with '/' (config `slashCommandGuard`). */
  slashCommandGuard: boolean;
  /** The agent accepts image blocks (promptCapabilities.image). */
  image: boolean;
}

/**
 * The escape put before a leading '/': U+200B ZERO WIDTH SPACE. A plain space is not enough: hermes
 * joins the text blocks, strips them (Python `str.strip()`), and only then checks `startswith("/")`.
 * U+200B is not whitespace to Python's strip() nor to JS trim(), and a model does not see it.
 */
export const SLASH_GUARD = '\u200b';

/** Thrown for content the agent cannot take; the caller reports it as an `agent_error`. */
export class UnsupportedContentError extends Error {
  override name = 'UnsupportedContentError';
}

export function promptBlocksToContent(blocks: PromptBlock[], options: PromptBlockOptions): ContentBlock[] {
  const content = blocks.map((block) => blockToContent(block, options));
  return options.slashCommandGuard ? guardSlashCommand(content) : content;
}

function blockToContent(block: PromptBlock, options: PromptBlockOptions): ContentBlock {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'image':
      if (!options.image) throw new UnsupportedContentError('this agent does not accept image input');
      return { type: 'image', data: block.data, mimeType: block.mimeType };
    case 'image_url':
      return imageUrlToContent(block.url, options);
  }
}

/** data: URLs become image blocks; http(s) URLs become resource links, which every agent accepts. */
function imageUrlToContent(url: string, options: PromptBlockOptions): ContentBlock {
  const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (dataUrl) {
    if (!options.image) throw new UnsupportedContentError('this agent does not accept image input');
    return { type: 'image', data: dataUrl[2]!, mimeType: dataUrl[1]! };
  }
  if (/^https?:\/\//i.test(url)) return { type: 'resource_link', uri: url, name: linkName(url) };
  throw new UnsupportedContentError('image_url must be an http(s) or base64 data: URL');
}

function linkName(url: string): string {
  try {
    const { pathname, hostname } = new URL(url);
    return decodeURIComponent(pathname.split('/').filter(Boolean).at(-1) ?? '') || hostname;
  } catch {
    return url; // not parseable, but the agent may still make sense of it
  }
}

/** Escapes the first non-blank text block when it starts with '/': that is where a command would be read. */
function guardSlashCommand(content: ContentBlock[]): ContentBlock[] {
  const first = content.findIndex((block) => block.type === 'text' && block.text.trim() !== '');
  const block = content[first];
  if (block?.type !== 'text') return content;
  const leading = block.text.length - block.text.trimStart().length;
  if (block.text[leading] !== '/') return content;
  const text = block.text.slice(0, leading) + SLASH_GUARD + block.text.slice(leading);
  return content.map((item, index) => (index === first ? { ...block, text } : item));
}
