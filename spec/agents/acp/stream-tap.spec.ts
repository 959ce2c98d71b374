import { expect } from 'chai';
import { createStreamTap, unknownVariantOf } from '../../../lib/agents/acp/stream-tap.js';
import { memoryLogger } from '../scripted-agent-config.js';

const known = JSON.stringify({
  jsonrpc: '2.0',
  method: 'session/update',
  params: {
    sessionId: 's1',
    update: { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'héllo ✓' } },
  },
});
const unknown = JSON.stringify({
  jsonrpc: '2.0',
  method: 'session/update',
  params: { sessionId: 's1', update: { sessionUpdate: 'future_thing', detail: 1 } },
});
const response = JSON.stringify({ jsonrpc: '2.0', id: 3, result: { stopReason: 'end_turn' } });

/** Runs `chunks` through a fresh tap; returns the text that came out, the counts and the log. */
async function tap(chunks: Uint8Array[]) {
  const { logger, lines } = memoryLogger();
  const { stream, unknownUpdates } = createStreamTap(logger);
  const writer = stream.writable.getWriter();
  const reading = (async () => {
    const out: Uint8Array[] = [];
    for await (const chunk of stream.readable) out.push(chunk);
    return Buffer.concat(out).toString('utf8');
  })();
  for (const chunk of chunks) await writer.write(chunk);
  await writer.close();
  return { output: await reading, unknownUpdates, lines };
}

function splitAt(bytes: Uint8Array, offset: number): Uint8Array[] {
  return [bytes.subarray(0, offset), bytes.subarray(offset)];
}

describe('createStreamTap', () => {
  it('passes known messages through byte for byte', async () => {
    const input = `${known}\n${response}\n`;
    const { output, unknownUpdates } = await tap([Buffer.from(input)]);
    expect(output).to.equal(input);
    expect(unknownUpdates.size).to.equal(0);
  });

  it('drops an unknown session/update variant, counts it and warns once per variant', async () => {
    const input = `${known}\n${unknown}\n${response}\n${unknown}\n`;
    const { output, unknownUpdates, lines } = await tap([Buffer.from(input)]);
    expect(output).to.equal(`${known}\n${response}\n`);
    expect([...unknownUpdates]).to.deep.equal([['future_thing', 2]]);
    const logged = lines.filter((line) => line.variant === 'future_thing');
    expect(logged.map((line) => [line.level, line.count])).to.deep.equal([
      [40, 1],
      [20, 2],
    ]);
  });

  it('gives the same output for a split at every byte offset, multi-byte characters included', async () => {
    const input = Buffer.from(`${known}\n${unknown}\n${response}\n`);
    for (let offset = 0; offset <= input.length; offset++) {
      const { output, unknownUpdates } = await tap(splitAt(input, offset));
      expect(output, `split at ${offset}`).to.equal(`${known}\n${response}\n`);
      expect(unknownUpdates.get('future_thing'), `split at ${offset}`).to.equal(1);
    }
  });

  it('keeps CRLF line ends and forwards a last line that has no line end', async () => {
    const input = `${known}\r\n${unknown}\r\n${response}`;
    const { output } = await tap([Buffer.from(input)]);
    expect(output).to.equal(`${known}\r\n${response}`);
  });
});

describe('unknownVariantOf', () => {
  it('names only session/update variants outside the SDK schema', () => {
    expect(unknownVariantOf(unknown)).to.equal('future_thing');
    expect(unknownVariantOf(known)).to.equal(null);
    expect(unknownVariantOf(response)).to.equal(null);
    expect(unknownVariantOf('{"method":"session/update", not json')).to.equal(null);
    expect(unknownVariantOf('{"jsonrpc":"2.0","method":"session/update","params":{"update":{}}}')).to.equal(null);
  });

  it('knows the unstable variants the SDK accepts', () => {
    const planUpdate = unknown.replace('future_thing', 'plan_update');
    expect(unknownVariantOf(planUpdate)).to.equal(null);
  });
});
