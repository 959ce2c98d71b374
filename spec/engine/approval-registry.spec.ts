import { expect } from 'chai';
import { ApprovalRegistry } from '../../lib/engine/approval-registry.js';
import type { PermissionRequest } from '../../lib/engine/port/engine-event.js';

const request = (requestId: string): PermissionRequest => ({
  requestId,
  toolCallId: requestId,
  title: 'ls',
  options: [
    { optionId: 'yes', name: 'Allow', kind: 'allow_once' },
    { optionId: 'no', name: 'Reject', kind: 'reject_once' },
  ],
});
const allow = () => ({ outcome: { outcome: 'selected' as const, optionId: 'yes' }, choice: 'once' });

describe('ApprovalRegistry', () => {
  it('answers the oldest pending request of one owner and never another owner’s', async () => {
    const registry = new ApprovalRegistry({ timeoutMs: 0 });
    const a = registry.approverFor('run_a', 'k').decide(request('r1'), new AbortController().signal);
    const b = registry.approverFor('run_b', 'k').decide(request('r1'), new AbortController().signal);
    expect(registry.respond('run_b', 'k', allow, { all: true })).to.deep.equal({ outcome: 'resolved', resolved: 1 });
    expect(await b).to.deep.include({ choice: 'once' });
    expect(registry.pending('run_a').map((r) => r.requestId)).to.deep.equal(['r1']);
    expect(registry.respond('run_b', 'k', allow)).to.deep.equal({ outcome: 'not_pending' });
    expect(registry.respond('run_a', 'other-key', allow)).to.deep.equal({ outcome: 'unknown' });
    registry.respond('run_a', 'k', allow);
    expect((await a).outcome).to.deep.equal({ outcome: 'selected', optionId: 'yes' });
  });

  it('targets one request by id and resolves all with resolve_all', async () => {
    const registry = new ApprovalRegistry({ timeoutMs: 0 });
    const approver = registry.approverFor('run', 'public');
    const signal = new AbortController().signal;
    const decisions = ['r1', 'r2', 'r3'].map((id) => approver.decide(request(id), signal));
    expect(registry.respond('run', 'public', allow, { requestId: 'r2' })).to.deep.equal({
      outcome: 'resolved',
      resolved: 1,
    });
    expect(registry.respond('run', 'public', allow, { requestId: 'nope' })).to.deep.equal({ outcome: 'not_pending' });
    expect(registry.respond('run', 'public', allow, { all: true })).to.deep.equal({ outcome: 'resolved', resolved: 2 });
    await Promise.all(decisions);
  });

  it('answers nothing when the resolver refuses one of the requests it would answer', async () => {
    const registry = new ApprovalRegistry({ timeoutMs: 0 });
    const approver = registry.approverFor('run', 'public');
    const signal = new AbortController().signal;
    const decisions = ['r1', 'r2'].map((id) => approver.decide(request(id), signal));
    const refuseR2 = (pending: PermissionRequest) => {
      if (pending.requestId === 'r2') throw new Error('not offered');
      return allow();
    };
    expect(() => registry.respond('run', 'public', refuseR2, { all: true })).to.throw('not offered');
    expect(registry.pending('run').map((r) => r.requestId)).to.deep.equal(['r1', 'r2']);
    expect(registry.respond('run', 'public', allow, { all: true })).to.deep.equal({ outcome: 'resolved', resolved: 2 });
    await Promise.all(decisions);
  });

  it('reports an owner’s pending requests to its scope while it waits, and to its watcher on each change', async () => {
    let clock = 1000;
    const registry = new ApprovalRegistry({ timeoutMs: 0, now: () => clock });
    const heard: Array<[string, string[]]> = [];
    registry.watch((ownerId, pending) => heard.push([ownerId, pending.requests.map((r) => r.requestId)]));
    const approver = registry.approverFor('chatcmpl-1', 'k');
    expect(registry.waiting('chatcmpl-1', 'k')).to.equal(undefined);
    clock = 2000;
    const decision = approver.decide(request('r1'), new AbortController().signal);
    expect(registry.waiting('chatcmpl-1', 'k')).to.deep.equal({
      scope: 'k',
      requests: [request('r1')],
      createdAt: 1000,
      updatedAt: 2000,
    });
    expect(registry.waiting('chatcmpl-1', 'other-key')).to.equal(undefined);
    registry.respond('chatcmpl-1', 'k', allow);
    await decision;
    expect(registry.waiting('chatcmpl-1', 'k')).to.equal(undefined);
    expect(heard).to.deep.equal([
      ['chatcmpl-1', ['r1']],
      ['chatcmpl-1', []],
    ]);
  });

  it('sends the reject option with a timeout marker when nobody answers in time', async () => {
    const registry = new ApprovalRegistry({ timeoutMs: 30 });
    const decision = await registry.approverFor('run', 'public').decide(request('r1'), new AbortController().signal);
    expect(decision).to.deep.equal({
      outcome: { outcome: 'selected', optionId: 'no' },
      choice: 'deny',
      timedOut: true,
    });
    expect(registry.pending('run')).to.deep.equal([]);
  });

  it('answers cancelled when the signal aborts or the owner is forgotten', async () => {
    const registry = new ApprovalRegistry({ timeoutMs: 0 });
    const abort = new AbortController();
    const first = registry.approverFor('run', 'public').decide(request('r1'), abort.signal);
    abort.abort();
    expect(await first).to.deep.equal({ outcome: { outcome: 'cancelled' }, choice: 'cancelled' });
    const second = registry.approverFor('run', 'public').decide(request('r2'), new AbortController().signal);
    registry.forget('run');
    expect((await second).choice).to.equal('cancelled');
    expect(registry.respond('run', 'public', allow)).to.deep.equal({ outcome: 'unknown' });
  });
});
