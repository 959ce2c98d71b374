import type { SessionNotification } from '@agentclientprotocol/sdk/unstable';
import { expect } from 'chai';
import { UpdateLane } from '../../../lib/agents/acp/update-lane.js';
import { memoryLogger } from '../scripted-agent-config.js';

const notification = (update: Record<string, unknown>) =>
  JSON.stringify({ jsonrpc: '2.0', method: 'session/update', params: { sessionId: 's1', update } });
const known = notification({ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'héllo ✓' } });
const unknown = notification({ sessionUpdate: 'future_thing', detail: 1 });
const tool = notification({ sessionUpdate: 'tool_call', toolCallId: 'call_1', title: 'ls', status: 'pending' });
const response = JSON.stringify({ jsonrpc: '2.0', id: 3, result: { stopReason: 'end_turn' } });
const permission = JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'session/request_permission', params: {} });

/** Runs `chunks` through a fresh lane; returns what reached each side, in order, the counts and the log. */
function lane(chunks: Uint8Array[]) {
  const { logger, lines } = memoryLogger();
  const updates: SessionNotification[] = [];
  const sdk: Buffer[] = [];
  const order: string[] = [];
  const it = new UpdateLane(
    {
      update: (n) => {
        updates.push(n);
        order.push(`update:${n.update.sessionUpdate}`);
      },
      sdk: (bytes) => {
        sdk.push(Buffer.from(bytes));
        order.push('sdk');
      },
    },
    logger,
  );
  for (const chunk of chunks) it.push(Buffer.from(chunk));
  it.end();
  return { updates, sdkText: Buffer.concat(sdk).toString('utf8'), order, unknownUpdates: it.unknownUpdates, lines };
}

function splitAt(bytes: Uint8Array, offset: number): Uint8Array[] {
  return [bytes.subarray(0, offset), bytes.subarray(offset)];
}

describe('UpdateLane', () => {
  it('hands session/updates over parsed and passes every other line to the SDK byte for byte', () => {
    const { updates, sdkText } = lane([Buffer.from(`${known}\n${permission}\n${response}\n`)]);
    expect(updates.map((u) => u.update)).to.deep.equal([
      { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'héllo ✓' } },
    ]);
    expect(sdkText).to.equal(`${permission}\n${response}\n`);
  });

  it('keeps the order in which the agent sent its updates, text chunks and schema-checked variants alike', () => {
    const { order } = lane([Buffer.from(`${known}\n${tool}\n${known}\n${response}\n`)]);
    expect(order).to.deep.equal([
      'update:agent_message_chunk',
      'update:tool_call',
      'update:agent_message_chunk',
      'sdk',
    ]);
  });

  it("validates other variants with the SDK's schema, dropping and logging an invalid one", () => {
    const broken = notification({ sessionUpdate: 'tool_call', title: 42 });
    const { updates, lines } = lane([Buffer.from(`${broken}\n${tool}\n`)]);
    expect(updates.map((u) => u.update.sessionUpdate)).to.deep.equal(['tool_call']);
    expect(lines.some((line) => line.msg === 'agent sent an invalid session/update; dropped')).to.equal(true);
  });

  it('drops an unknown session/update variant, counts it and warns once per variant', () => {
    const { updates, sdkText, unknownUpdates, lines } = lane([
      Buffer.from(`${known}\n${unknown}\n${response}\n${unknown}\n`),
    ]);
    expect(updates).to.have.length(1);
    expect(sdkText).to.equal(`${response}\n`);
    expect([...unknownUpdates]).to.deep.equal([['future_thing', 2]]);
    const logged = lines.filter((line) => line.variant === 'future_thing');
    expect(logged.map((line) => [line.level, line.count])).to.deep.equal([
      [40, 1],
      [20, 2],
    ]);
  });

  it('gives the same result for a split at every byte offset, multi-byte characters included', () => {
    const input = Buffer.from(`${known}\n${unknown}\n${response}\n`);
    for (let offset = 0; offset <= input.length; offset++) {
      const { updates, sdkText, unknownUpdates } = lane(splitAt(input, offset));
      expect(sdkText, `split at ${offset}`).to.equal(`${response}\n`);
      expect(
        updates.map((u) => u.update),
        `split at ${offset}`,
      ).to.have.length(1);
      expect((updates[0].update as { content: { text: string } }).content.text).to.equal('héllo ✓');
      expect(unknownUpdates.get('future_thing'), `split at ${offset}`).to.equal(1);
    }
  });

  it('keeps CRLF line ends and takes a last line that has no line end', () => {
    const { updates, sdkText } = lane([Buffer.from(`${known}\r\n${unknown}\r\n${response}`)]);
    expect(updates).to.have.length(1);
    expect(sdkText).to.equal(response);
  });

  it('leaves malformed lines and requests named session/update to the SDK', () => {
    const malformed = '{"method":"session/update", not json';
    const request = JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'session/update', params: {} });
    const { updates, sdkText } = lane([Buffer.from(`${malformed}\n${request}\n`)]);
    expect(updates).to.have.length(0);
    expect(sdkText).to.equal(`${malformed}\n${request}\n`);
  });

  it('eagerly stops after the first update of a read and hands back the rest, losing nothing', () => {
    const { logger } = memoryLogger();
    const order: string[] = [];
    const it = new UpdateLane(
      {
        update: (n) => order.push(`update:${(n.update as { content?: { text: string } }).content?.text ?? ''}`),
        sdk: (bytes) => order.push(`sdk:${Buffer.from(bytes).toString('utf8').trim()}`),
      },
      logger,
    );
    const second = known.replace('héllo ✓', 'second');
    const rest = it.push(Buffer.from(`${response}\n${known}\n${second}\n${permission}\n{"partial`), true);
    expect(order).to.deep.equal([`update:héllo ✓`, `sdk:${response}`]);
    expect(rest?.toString('utf8')).to.equal(`${second}\n${permission}\n{"partial`);
    expect(it.push(rest!, false)).to.equal(null);
    expect(order.slice(2)).to.deep.equal(['update:second', `sdk:${permission}`]);
    // A read whose first update is its last complete line is taken whole.
    expect(it.push(Buffer.from(`":1}\n${known}\n{"x`), true)).to.equal(null);
  });

  it('knows the unstable variants the SDK accepts', () => {
    const planUpdate = notification({ sessionUpdate: 'plan_update', entries: [] });
    const { unknownUpdates } = lane([Buffer.from(`${planUpdate}\n`)]);
    expect(unknownUpdates.size).to.equal(0);
  });
});
