// RunRegistry and the modules behind it (lifecycle, status store, restart recovery, command relay), driven by a
// fake agent and an encoder whose event names mean nothing to the engine.
import { tmpdir } from 'node:os';
import { expect } from 'chai';
import { MemoryAdmission } from '../../lib/engine/admission.js';
import { AgentRegistry } from '../../lib/engine/agent-registry.js';
import { ApprovalRegistry } from '../../lib/engine/approval-registry.js';
import { Conversations } from '../../lib/engine/conversations.js';
import { AgentError } from '../../lib/engine/port/agent-error.js';
import { MemoryRunCommandChannel } from '../../lib/engine/runs/run-commands.js';
import type { RunEncoderFactory } from '../../lib/engine/runs/run-encoder.js';
import { MemoryRunJournal, type RunEventPayload } from '../../lib/engine/runs/run-journal.js';
import { RESTARTED_ERROR, type RunRecord, SHUTDOWN_ERROR } from '../../lib/engine/runs/run-record.js';
import { RunRegistry } from '../../lib/engine/runs/run-registry.js';
import { RunStatusStore } from '../../lib/engine/runs/run-status-store.js';
import { TurnRunner } from '../../lib/engine/turn-runner.js';
import { silentLogger } from '../../lib/log.js';
import { createStore, type Store } from '../../lib/store/keyv.js';
import { createRunIdempotencyRepo } from '../../lib/store/run-idempotency-repo.js';
import { asksPermission, FakeAgent, type FakeAgentOptions, says, waitsForCancel } from './fake-agent.js';

/** Names each payload in its own words: the engine must journal them as they are. */
const encoderFor: RunEncoderFactory = ({ runId }) => ({
  started: () => [{ event: 'began', runId }],
  push: (event) => (event.type === 'text' && event.delta ? [{ event: 'said', text: event.delta }] : []),
  finish: (outcome) => [{ event: `ended ${outcome.status}`, output: outcome.output }],
});

const SCOPE = 'scope-1';

describe('RunRegistry', () => {
  let store: Store;
  let journal: MemoryRunJournal;
  let channel: MemoryRunCommandChannel;
  const cleanups: Array<() => Promise<void> | void> = [];

  beforeEach(async () => {
    store = await createStore('memory://', { dataDir: tmpdir(), logger: silentLogger });
    journal = new MemoryRunJournal({ maxEvents: 100, ttlMs: 60_000 });
    channel = new MemoryRunCommandChannel();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await journal.dispose();
    await store.close();
  });

  /** A started registry on the shared store, journal and channel; `shared` as on a Redis store. */
  async function registry(agent: FakeAgentOptions, shared = false) {
    const admission = new MemoryAdmission(4);
    const conversations = new Conversations(store, { max: 8, idleMs: 60_000, onEvict: () => {} });
    const agents = new AgentRegistry([new FakeAgent(agent)]);
    const turns = new TurnRunner({ agents, admission, conversations, policy: 'deny', logger: silentLogger });
    const approvals = new ApprovalRegistry({ timeoutMs: 0 });
    const runs = new RunRegistry({
      turns,
      approvals,
      journal,
      store,
      idempotency: createRunIdempotencyRepo(store),
      encoderFor,
      answerFor: (choice) => () => ({ outcome: { outcome: 'selected', optionId: 'allow' }, choice }),
      commands: channel,
      statusTtlMs: 60_000,
      stopTimeoutMs: 5_000,
      shared,
      logger: silentLogger,
    });
    await runs.start();
    cleanups.push(
      () => conversations.dispose(),
      () => runs.shutdown(),
    );
    let next = 0;
    const submit = async () => {
      const runId = `run_${runs.instance}_${++next}`;
      const admitted = await admission.acquire();
      const turn = {
        agentId: 'fake',
        session: { owner: 'scope', id: runId },
        clientHistory: [],
        systemPrompt: null,
        inputText: 'hi',
      };
      await runs.submit({
        runId,
        scope: SCOPE,
        sessionId: runId,
        model: 'fake',
        admitted,
        turn: { ...turn, input: [{ type: 'text', text: 'hi' }] },
      });
      return runId;
    };
    return { runs, submit, admission, approvals };
  }

  /** Every journal payload of a run, once its journal has closed. */
  async function journalOf(runId: string): Promise<RunEventPayload[]> {
    const payloads: RunEventPayload[] = [];
    for await (const entry of journal.subscribe(runId, 0, AbortSignal.timeout(5000))) payloads.push(entry.data);
    return payloads;
  }

  it('journals what the injected encoder returns, and reports the output and the last event name', async () => {
    const { runs, submit, admission } = await registry({ script: says('a', '', 'bc') });
    const runId = await submit();
    expect(await journalOf(runId)).to.deep.equal([
      { event: 'began', runId },
      { event: 'said', text: 'a' },
      { event: 'said', text: 'bc' },
      { event: 'ended completed', output: 'abc' },
    ]);
    expect(await runs.get(runId, SCOPE)).to.deep.include({
      status: 'completed',
      output: 'abc',
      lastEvent: 'ended completed',
      error: null,
    });
    expect(await runs.get(runId, 'another-scope')).to.equal(undefined);
    expect(admission.active()).to.equal(0);
  });

  it('fails a run whose agent cannot open a session, with the refusal as its error', async () => {
    const { runs, submit } = await registry({ sessionFailure: new AgentError('session_lost', 'gone') });
    const runId = await submit();
    expect(await journalOf(runId)).to.deep.equal([{ event: 'ended failed', output: '' }]);
    expect(await runs.get(runId, SCOPE)).to.deep.include({
      status: 'failed',
      error: 'Agent unavailable: gone',
      lastEvent: 'ended failed',
    });
  });

  it('settles a stored run that no live instance executes as interrupted, ending its journal', async () => {
    const { runs } = await registry({});
    const lost: RunRecord = {
      runId: 'run_lost',
      scope: SCOPE,
      instance: 'an-instance-that-restarted',
      status: 'running',
      createdAt: 1,
      updatedAt: 1,
      sessionId: 'run_lost',
      model: 'fake',
      lastEvent: 'said',
      output: 'half',
      usage: null,
      error: null,
      approval: null,
    };
    await new RunStatusStore(store, 60_000).save(lost);
    await journal.open('run_lost');
    expect(await runs.get('run_lost', SCOPE)).to.deep.include({
      status: 'interrupted',
      lastEvent: 'ended interrupted',
      error: RESTARTED_ERROR,
      completed: false,
      partial: true,
      interrupted: true,
    });
    expect(await journalOf('run_lost')).to.deep.equal([{ event: 'ended interrupted', output: 'half' }]);
    expect(await new RunStatusStore(store, 60_000).get('run_lost')).to.include({ status: 'interrupted' });
  });

  it('settles its live runs as interrupted by the shutdown', async () => {
    const { runs, submit } = await registry({ script: waitsForCancel() });
    const runId = await submit();
    await until(async () => (await runs.get(runId, SCOPE))?.status === 'running');
    await runs.shutdown();
    expect((await journalOf(runId)).at(-1)).to.deep.equal({ event: 'ended interrupted', output: '' });
    expect(await new RunStatusStore(store, 60_000).get(runId)).to.deep.include({
      status: 'interrupted',
      lastEvent: 'ended interrupted',
      error: SHUTDOWN_ERROR,
      interrupted: true,
    });
  });

  it('stops a run another live instance executes through the command channel, with the owner’s answers', async () => {
    const a = await registry({ script: waitsForCancel() }, true);
    const b = await registry({}, true);
    const runId = await a.submit();
    expect(await b.runs.stop(runId, SCOPE)).to.deep.equal({ outcome: 'stopping' });
    expect((await journalOf(runId)).at(-1)).to.deep.equal({ event: 'ended cancelled', output: '' });
    const stopped = await b.runs.stop(runId, SCOPE);
    expect(stopped).to.have.property('outcome', 'terminal');
    expect(stopped.outcome === 'terminal' && stopped.record).to.include({
      status: 'cancelled',
      instance: a.runs.instance,
    });
    const unknown = await b.runs.stop('run_unknown', SCOPE).catch((e: unknown) => e);
    expect(unknown).to.include({ status: 404, code: 'run_not_found' });
  });

  it('forwards an approval to the instance that executes the run, once its record shows it pending', async () => {
    const a = await registry({ script: asksPermission('perm-1') }, true);
    const b = await registry({}, true);
    const runId = await a.submit();
    await until(async () => (await b.runs.get(runId, SCOPE))?.status === 'waiting_for_approval');
    const wrongId = await b.runs.respondApproval(runId, SCOPE, { choice: 'once', requestId: 'perm-2' }).catch((e) => e);
    expect(wrongId).to.include({ status: 409, code: 'approval_not_pending' });
    expect(await b.runs.respondApproval(runId, SCOPE, { choice: 'once' })).to.deep.equal({ resolved: 1 });
    expect((await journalOf(runId)).at(-1)).to.deep.equal({ event: 'ended completed', output: 'allow' });
    const late = await b.runs.respondApproval(runId, SCOPE, { choice: 'once' }).catch((e: unknown) => e);
    expect(late).to.include({ status: 409, code: 'approval_not_active' });
  });
});

describe('RunRegistry streams waiting for approval', () => {
  let store: Store;
  let journal: MemoryRunJournal;
  beforeEach(async () => {
    store = await createStore('memory://', { dataDir: tmpdir(), logger: silentLogger });
    journal = new MemoryRunJournal({ maxEvents: 100, ttlMs: 60_000 });
  });
  afterEach(async () => {
    await journal.dispose();
    await store.close();
  });

  it('reports a stream waiting on one instance from another of the same store, to its scope only', async () => {
    const channel = new MemoryRunCommandChannel();
    const make = async () => {
      const approvals = new ApprovalRegistry({ timeoutMs: 0 });
      const conversations = new Conversations(store, { max: 8, idleMs: 60_000, onEvict: () => {} });
      const turns = new TurnRunner({
        agents: new AgentRegistry([new FakeAgent({})]),
        admission: new MemoryAdmission(4),
        conversations,
        policy: 'deny',
        logger: silentLogger,
      });
      const runs = new RunRegistry({
        turns,
        approvals,
        journal,
        store,
        idempotency: createRunIdempotencyRepo(store),
        encoderFor,
        answerFor: (choice) => () => ({ outcome: { outcome: 'selected', optionId: 'allow' }, choice }),
        commands: channel,
        statusTtlMs: 60_000,
        stopTimeoutMs: 5_000,
        shared: true,
        logger: silentLogger,
      });
      await runs.start();
      return { runs, approvals, dispose: () => Promise.all([runs.shutdown(), conversations.dispose()]) };
    };
    const [a, b] = [await make(), await make()];
    try {
      const request = {
        requestId: 'r1',
        toolCallId: 'r1',
        title: 'ls',
        options: [{ optionId: 'allow', name: 'Allow', kind: 'allow_once' as const }],
      };
      const decision = a.approvals.approverFor('chatcmpl-1', SCOPE).decide(request, new AbortController().signal);
      expect(await a.runs.streamWaiting('chatcmpl-1', SCOPE)).to.deep.include({
        ownerId: 'chatcmpl-1',
        approval: request,
      });
      await until(async () => (await b.runs.streamWaiting('chatcmpl-1', SCOPE)) !== undefined);
      expect(await b.runs.streamWaiting('chatcmpl-1', SCOPE)).to.deep.include({ approval: request });
      expect(await b.runs.streamWaiting('chatcmpl-1', 'another-scope')).to.equal(undefined);
      expect(await b.runs.get('chatcmpl-1', SCOPE)).to.equal(undefined); // a stream is no run
      expect(await b.runs.respondApproval('chatcmpl-1', SCOPE, { choice: 'once' })).to.deep.equal({ resolved: 1 });
      expect((await decision).outcome).to.deep.equal({ outcome: 'selected', optionId: 'allow' });
      await until(async () => (await b.runs.streamWaiting('chatcmpl-1', SCOPE)) === undefined);
      expect(await a.runs.streamWaiting('chatcmpl-1', SCOPE)).to.equal(undefined);
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });
});

async function until(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
