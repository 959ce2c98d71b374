import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { collectSse, LineDecoder, readSse, type SseItem, SseDecoder, sseJson } from './sse.js';
import { chunkBytes, collectAll, splitAtEveryOffset, streamFromChunks } from './streams.js';

const encoder = new TextEncoder();

function decodeLines(chunks: Array<string | Uint8Array>): string[] {
  const decoder = new LineDecoder();
  return [
    ...chunks.flatMap((chunk) => decoder.decode(typeof chunk === 'string' ? encoder.encode(chunk) : chunk)),
    ...decoder.flush(),
  ];
}

function decodeItems(lines: string[]): SseItem[] {
  const decoder = new SseDecoder();
  const items = lines.map((line) => decoder.decode(line));
  return [...items, decoder.flush()].filter((item): item is SseItem => item !== undefined);
}

const readAll = (chunks: Array<string | Uint8Array>) => collectAll(readSse(streamFromChunks(chunks)));

/** A transcript with every feature: event and id lines, multi-line data, a keepalive, multibyte text, [DONE]. */
const transcript =
  ': keepalive\n\n' +
  'event: response.created\nid: 1\ndata: {"type":"response.created"}\n\n' +
  'data: {"delta":"café ☕ 😀"}\n\n' +
  'data: line one\ndata: line two\n\n' +
  'retry: 3000\ndata: [DONE]\n\n';

const transcriptItems: SseItem[] = [
  { comment: 'keepalive' },
  { event: 'response.created', id: '1', data: '{"type":"response.created"}' },
  { data: '{"delta":"café ☕ 😀"}' },
  { data: 'line one\nline two' },
  { retry: 3000, data: '[DONE]' },
];

describe('LineDecoder', () => {
  it('splits on LF, CRLF and CR', () => {
    expect(decodeLines(['a\nb\r\nc\rd\n'])).to.deep.equal(['a', 'b', 'c', 'd']);
  });

  it('treats a CRLF split across chunks as one line end', () => {
    expect(decodeLines(['a\r', '\nb\r', '', '\n'])).to.deep.equal(['a', 'b']);
  });

  it('keeps a CR followed by CR as two line ends', () => {
    expect(decodeLines(['a\r', '\rb\n'])).to.deep.equal(['a', '', 'b']);
  });

  it('joins a multibyte character split across chunks', () => {
    const bytes = encoder.encode('é😀\n');
    for (const [before, after] of splitAtEveryOffset(bytes)) {
      expect(decodeLines([before, after])).to.deep.equal(['é😀']);
    }
    expect(decodeLines(chunkBytes(bytes, 1))).to.deep.equal(['é😀']);
  });

  it('returns a last line without a line end on flush', () => {
    expect(decodeLines(['a\nlast'])).to.deep.equal(['a', 'last']);
  });

  it('drops a leading BOM', () => {
    expect(decodeLines([new Uint8Array([0xef, 0xbb]), new Uint8Array([0xbf, 0x61, 0x0a])])).to.deep.equal(['a']);
  });

  it('replaces a truncated character at the end with U+FFFD', () => {
    expect(decodeLines([encoder.encode('ok😀').subarray(0, 4)])).to.deep.equal(['ok\uFFFD']);
  });
});

describe('SseDecoder', () => {
  it('dispatches a frame on a blank line, joining data lines with LF', () => {
    expect(decodeItems(['data: a', 'data: b', '', 'data: c', ''])).to.deep.equal([{ data: 'a\nb' }, { data: 'c' }]);
  });

  it('reads event, id and retry lines and strips exactly one space after the colon', () => {
    expect(decodeItems(['event:delta', 'id:  7', 'retry: 10', 'data:  x', ''])).to.deep.equal([
      { event: 'delta', id: ' 7', retry: 10, data: ' x' },
    ]);
  });

  it('keeps each comment as its own item, in order', () => {
    expect(decodeItems([': keepalive', 'data: a', ':', '', ': keepalive', ''])).to.deep.equal([
      { comment: 'keepalive' },
      { comment: '' },
      { data: 'a' },
      { comment: 'keepalive' },
    ]);
  });

  it('treats a field line without a colon as an empty value and ignores unknown fields', () => {
    expect(decodeItems(['data', 'foo: bar', 'retry: soon', ''])).to.deep.equal([{ data: '' }]);
  });

  it('ignores blank lines with no frame open', () => {
    expect(decodeItems(['', '', 'data: a', '', ''])).to.deep.equal([{ data: 'a' }]);
  });

  it('dispatches a last frame without a trailing blank line on flush', () => {
    expect(decodeItems(['data: a', '', 'event: end', 'data: b'])).to.deep.equal([
      { data: 'a' },
      { event: 'end', data: 'b' },
    ]);
  });
});

describe('readSse', () => {
  it('reads a multi-frame transcript into items', async () => {
    expect(await readAll([transcript])).to.deep.equal(transcriptItems);
  });

  it('reads the same items for a split at every byte offset', async () => {
    for (const [before, after] of splitAtEveryOffset(transcript)) {
      expect(await readAll([before, after]), `split at ${before.length}`).to.deep.equal(transcriptItems);
    }
  });

  it('reads the same items from one-byte chunks', async () => {
    expect(await readAll(chunkBytes(transcript, 1))).to.deep.equal(transcriptItems);
  });

  it('reads the same items with CRLF line ends, split at every byte offset', async () => {
    const crlf = transcript.replaceAll('\n', '\r\n');
    for (const [before, after] of splitAtEveryOffset(crlf)) {
      expect(await readAll([before, after]), `split at ${before.length}`).to.deep.equal(transcriptItems);
    }
  });

  it('reads the same items with CR line ends', async () => {
    expect(await readAll(chunkBytes(transcript.replaceAll('\n', '\r'), 3))).to.deep.equal(transcriptItems);
  });

  it('reads a last frame that has no trailing blank line or no line end at all', async () => {
    expect(await readAll(['data: a\n\ndata: b\n'])).to.deep.equal([{ data: 'a' }, { data: 'b' }]);
    expect(await readAll(['data: a\n\ndata: b'])).to.deep.equal([{ data: 'a' }, { data: 'b' }]);
  });

  it('reads from an async iterable as well as a web stream', async () => {
    async function* chunks() {
      yield* chunkBytes(transcript, 5);
    }
    expect(await collectAll(readSse(chunks()))).to.deep.equal(transcriptItems);
  });

  it('cancels the stream when the reader stops early', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(encoder.encode('data: tick\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const item of readSse(body)) {
      expect(item).to.deep.equal({ data: 'tick' });
      break;
    }
    expect(cancelled).to.equal(true);
  });
});

describe('collectSse', () => {
  it('reads the items of a fetch Response from a loopback server', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      // Write in 7-byte pieces so the multibyte characters straddle writes.
      const pieces = chunkBytes(transcript, 7);
      const writeNext = () => {
        const piece = pieces.shift();
        if (!piece) return void res.end();
        res.write(piece, writeNext);
      };
      writeNext();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/`);
      expect(response.headers.get('content-type')).to.equal('text/event-stream');
      expect(await collectSse(response)).to.deep.equal(transcriptItems);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('throws for a response without a body', async () => {
    let error: unknown;
    await collectSse(new Response(null, { status: 204 })).catch((caught: unknown) => {
      error = caught;
    });
    expect(error).to.be.instanceOf(Error).with.property('message', 'response 204 has no body to read as SSE');
  });
});

describe('sseJson', () => {
  it('parses each data as JSON, skips comments and leaves [DONE] as a string', () => {
    expect(sseJson(transcriptItems.filter((item) => !('data' in item) || item.data.startsWith('{')))).to.deep.equal([
      { type: 'response.created' },
      { delta: 'café ☕ 😀' },
    ]);
    expect(sseJson([{ comment: 'keepalive' }, { data: '{"a":1}' }, { data: '[DONE]' }])).to.deep.equal([
      { a: 1 },
      '[DONE]',
    ]);
  });

  it('throws on data that is not JSON', () => {
    expect(() => sseJson([{ data: 'line one\nline two' }])).to.throw(SyntaxError);
  });
});
