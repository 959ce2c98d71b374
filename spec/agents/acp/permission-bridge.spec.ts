import type { RequestPermissionRequest } from '@agentclientprotocol/sdk/unstable';
import { expect } from 'chai';
import { PermissionBridge, permissionParamsToRequest } from '../../../lib/agents/acp/permission-bridge.js';
import type { PermissionOutcome, PermissionRequest } from '../../../lib/engine/port/engine-event.js';
import { silentLogger } from '../../../lib/log.js';

const params: RequestPermissionRequest = {
  sessionId: 's1',
  toolCall: {
    toolCallId: 'perm-check-1',
    title: 'rm -rf /tmp/x',
    kind: 'execute',
    rawInput: { command: 'rm -rf /tmp/x' },
  },
  options: [
    { optionId: 'allow_once', name: 'Allow once', kind: 'allow_once' },
    { optionId: 'deny', name: 'Deny', kind: 'reject_once' },
  ],
};

const live = () => new AbortController().signal;

describe('PermissionBridge', () => {
  it('hands the request to onPermission and answers with its choice', async () => {
    let seen: PermissionRequest | undefined;
    const bridge = new PermissionBridge(async (request) => {
      seen = request;
      return { outcome: 'selected', optionId: 'deny' };
    }, silentLogger);
    expect(await bridge.request(params, live())).to.deep.equal({ outcome: { outcome: 'selected', optionId: 'deny' } });
    expect(seen).to.deep.equal({
      requestId: 'perm-check-1',
      toolCallId: 'perm-check-1',
      title: 'rm -rf /tmp/x',
      kind: 'execute',
      rawInput: { command: 'rm -rf /tmp/x' },
      options: params.options,
    });
  });

  it('answers cancelled and aborts the decision signal when the agent withdraws the request', async () => {
    const agent = new AbortController();
    let decisionSignal: AbortSignal | undefined;
    const bridge = new PermissionBridge(
      (_request, signal) =>
        new Promise<PermissionOutcome>(() => {
          decisionSignal = signal;
        }),
      silentLogger,
    );
    const answer = bridge.request(params, agent.signal);
    agent.abort();
    expect(await answer).to.deep.equal({ outcome: { outcome: 'cancelled' } });
    expect(decisionSignal?.aborted).to.equal(true);
  });

  it('answers pending and later requests cancelled after cancelAll', async () => {
    const bridge = new PermissionBridge(() => new Promise<PermissionOutcome>(() => {}), silentLogger);
    const pending = bridge.request(params, live());
    expect(bridge.pendingCount).to.equal(1);
    bridge.cancelAll('the turn ended');
    expect(await pending).to.deep.equal({ outcome: { outcome: 'cancelled' } });
    expect(await bridge.request(params, live())).to.deep.equal({ outcome: { outcome: 'cancelled' } });
    expect(bridge.pendingCount).to.equal(0);
  });

  it('answers cancelled when onPermission fails or names an option the agent did not offer', async () => {
    const failing = new PermissionBridge(async () => {
      throw new Error('approval store down');
    }, silentLogger);
    expect(await failing.request(params, live())).to.deep.equal({ outcome: { outcome: 'cancelled' } });
    const wrong = new PermissionBridge(async () => ({ outcome: 'selected', optionId: 'allow_always' }), silentLogger);
    expect(await wrong.request(params, live())).to.deep.equal({ outcome: { outcome: 'cancelled' } });
  });

  it('makes request ids unique within the turn', async () => {
    const ids: string[] = [];
    const bridge = new PermissionBridge(async (request) => {
      ids.push(request.requestId);
      return { outcome: 'cancelled' };
    }, silentLogger);
    await bridge.request(params, live());
    await bridge.request(params, live());
    expect(ids).to.deep.equal(['perm-check-1', 'perm-check-1#2']);
  });
});

describe('permissionParamsToRequest', () => {
  it('titles an untitled request by its command, else by its tool call id', () => {
    const untitled = { ...params, toolCall: { toolCallId: 't1', rawInput: { command: 'ls' } } };
    expect(permissionParamsToRequest(untitled, 't1').title).to.equal('ls');
    expect(permissionParamsToRequest({ ...params, toolCall: { toolCallId: 't2' } }, 't2').title).to.equal('t2');
  });
});
