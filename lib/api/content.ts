// OpenAI message content (string or parts) -> transcript text + neutral prompt blocks. Shared by every surface.
import type { PromptBlock } from '../engine/port/agent.js';
import { GatewayError } from '../errors.js';

export interface NormalizedContent {
  /** Text for the transcript: text parts joined by newlines, images as markers. */
  text: string;
  blocks: PromptBlock[];
  /** True when there is visible text or an image. */
  visible: boolean;
}

const MAX_PARTS = 1000;
/** reference §3.3 / §10: a content's text is cut (not refused) at 65,536 characters, each part and the whole. */
export const MAX_CONTENT_CHARS = 65_536;
const TEXT_TYPES = new Set(['text', 'input_text', 'output_text']);
const DATA_URL = /^data:([^;,]+)(;[^,]*)?,(.*)$/s;

/** `param` names the field for errors, e.g. `messages[2].content`. */
export function normalizeContent(content: unknown, param: string): NormalizedContent {
  if (content === null || content === undefined) return { text: '', blocks: [], visible: false };
  if (typeof content === 'string') return fromText(content);
  if (!Array.isArray(content)) throw GatewayError.invalid(`'${param}' must be a string or an array of parts.`, param);
  if (content.length > MAX_PARTS) throw GatewayError.invalid(`'${param}' has more than ${MAX_PARTS} parts.`, param);

  const texts: string[] = [];
  const blocks: PromptBlock[] = [];
  for (const [i, part] of content.entries()) {
    const where = `${param}[${i}]`;
    if (typeof part === 'string') {
      texts.push(capText(part));
      continue;
    }
    if (typeof part !== 'object' || part === null) continue; // scalars carry nothing (reference §3.3)
    const type = String((part as { type?: unknown }).type);
    if (TEXT_TYPES.has(type)) {
      const text = (part as { text?: unknown }).text;
      if (typeof text === 'string') texts.push(capText(text));
      continue;
    }
    if (type === 'image_url' || type === 'input_image') {
      const raw = (part as { image_url?: unknown }).image_url;
      const url = typeof raw === 'string' ? raw : (raw as { url?: unknown } | undefined)?.url;
      blocks.push(imageBlock(url, where));
      texts.push('[image]');
      continue;
    }
    if (type === 'file' || type === 'input_file') {
      throw GatewayError.unsupportedContent(
        'Uploaded files and document inputs are not supported; send text or images.',
        where,
      );
    }
    throw GatewayError.unsupportedContent(`Unsupported content part type '${type}'.`, where);
  }
  const text = capText(texts.join('\n'));
  const textBlocks: PromptBlock[] = texts.some((t) => t !== '[image]' && t.trim())
    ? [{ type: 'text', text: capText(texts.filter((t) => t !== '[image]').join('\n')) }]
    : [];
  return { text, blocks: [...textBlocks, ...blocks], visible: textBlocks.length > 0 || blocks.length > 0 };
}

function fromText(content: string): NormalizedContent {
  const text = capText(content);
  return { text, blocks: text.trim() ? [{ type: 'text', text }] : [], visible: text.trim().length > 0 };
}

function imageBlock(url: unknown, param: string): PromptBlock {
  if (typeof url !== 'string' || url.length === 0) throw GatewayError.invalidImageUrl(param);
  if (/^https?:\/\//i.test(url)) return { type: 'image_url', url };
  const data = DATA_URL.exec(url);
  if (!data) throw GatewayError.invalidImageUrl(param);
  const [, mimeType, params = '', payload] = data;
  if (!mimeType.toLowerCase().startsWith('image/')) {
    throw GatewayError.unsupportedContent(`Only image data URLs are supported, got '${mimeType}'.`, param);
  }
  if (!params.includes(';base64')) throw GatewayError.invalidImageUrl(param);
  return { type: 'image', mimeType: mimeType.toLowerCase(), data: payload };
}

/** Only the text of a content value (system prompts: images are dropped). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return capText(content);
  if (!Array.isArray(content)) return '';
  return capText(
    content
      .filter((p) => typeof p === 'string' || TEXT_TYPES.has(String(p?.type)))
      .map((p) => (typeof p === 'string' ? p : String(p.text ?? '')))
      .join('\n'),
  );
}

/**
 * The first MAX_CONTENT_CHARS characters of `text`. Characters are code points, as Python counts them (Hermes
 * slices `content[:65536]`), so a cut never splits a surrogate pair.
 */
export function capText(text: string): string {
  if (text.length <= MAX_CONTENT_CHARS) return text; // UTF-16 units >= code points: nothing to cut
  let units = 0;
  for (let points = 0; points < MAX_CONTENT_CHARS && units < text.length; points++) {
    units += (text.codePointAt(units) ?? 0) > 0xffff ? 2 : 1;
  }
  return text.slice(0, units);
}
