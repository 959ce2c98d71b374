import type { SessionUpdate } from '@agentclientprotocol/sdk/unstable';
import { expect } from 'chai';
import { renderToolOutput, sessionUpdateToEvents, toolName } from '../../../lib/agents/acp/session-update-to-events.js';

describe('sessionUpdateToEvents', () => {
  it('maps an agent_message_chunk of text to a text event, keeping its messageId', () => {
    const update: SessionUpdate = {
      sessionUpdate: 'agent_message_chunk',
      content: { type: 'text', text: 'Hello' },
      messageId: 'm1',
    };
    expect(sessionUpdateToEvents(update)).to.deep.equal([{ type: 'text', delta: 'Hello', messageId: 'm1' }]);
  });

  it('leaves messageId out when the agent sends none, and drops empty chunks', () => {
    expect(
      sessionUpdateToEvents({ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'a' } }),
    ).to.deep.equal([{ type: 'text', delta: 'a' }]);
    expect(
      sessionUpdateToEvents({ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: '' } }),
    ).to.deep.equal([]);
  });

  it('renders a resource_link message chunk as a markdown link', () => {
    const update: SessionUpdate = {
      sessionUpdate: 'agent_message_chunk',
      content: { type: 'resource_link', uri: 'https://example.com/r.pdf', name: 'r.pdf' },
    };
    expect(sessionUpdateToEvents(update)).to.deep.equal([
      { type: 'text', delta: '[r.pdf](https://example.com/r.pdf)' },
    ]);
  });

  it('maps an agent_thought_chunk to a reasoning event', () => {
    expect(
      sessionUpdateToEvents({ sessionUpdate: 'agent_thought_chunk', content: { type: 'text', text: 'Let me see' } }),
    ).to.deep.equal([{ type: 'reasoning', delta: 'Let me see' }]);
  });

  it('maps a tool_call to tool_start with name, title, kind and rawInput', () => {
    const update: SessionUpdate = {
      sessionUpdate: 'tool_call',
      toolCallId: 'tc-1',
      title: 'terminal: ls -la',
      kind: 'execute',
      status: 'in_progress',
      rawInput: { command: 'ls -la' },
    };
    expect(sessionUpdateToEvents(update)).to.deep.equal([
      {
        type: 'tool_start',
        toolCallId: 'tc-1',
        name: 'terminal',
        title: 'terminal: ls -la',
        kind: 'execute',
        input: { command: 'ls -la' },
      },
    ]);
  });

  it('maps a tool_call that arrives already completed to tool_start then tool_end', () => {
    const update: SessionUpdate = {
      sessionUpdate: 'tool_call',
      toolCallId: 'tc-2',
      title: 'Read notes.md',
      kind: 'read',
      status: 'completed',
      content: [{ type: 'content', content: { type: 'text', text: '# Notes' } }],
    };
    expect(sessionUpdateToEvents(update).map((event) => event.type)).to.deep.equal(['tool_start', 'tool_end']);
  });

  it('maps tool_call_update completed and failed to tool_end, and ignores progress updates', () => {
    const done: SessionUpdate = {
      sessionUpdate: 'tool_call_update',
      toolCallId: 'tc-1',
      status: 'completed',
      content: [{ type: 'content', content: { type: 'text', text: 'file1\nfile2' } }],
    };
    const failed: SessionUpdate = {
      sessionUpdate: 'tool_call_update',
      toolCallId: 'tc-3',
      status: 'failed',
      rawOutput: { error: 'denied' },
    };
    const progress: SessionUpdate = { sessionUpdate: 'tool_call_update', toolCallId: 'tc-1', status: 'in_progress' };
    expect(sessionUpdateToEvents(done)).to.deep.equal([
      { type: 'tool_end', toolCallId: 'tc-1', status: 'completed', output: 'file1\nfile2' },
    ]);
    expect(sessionUpdateToEvents(failed)).to.deep.equal([
      { type: 'tool_end', toolCallId: 'tc-3', status: 'failed', output: '{"error":"denied"}' },
    ]);
    expect(sessionUpdateToEvents(progress)).to.deep.equal([]);
  });

  it('maps a plan to a plan event, defaulting values the SDK stripped', () => {
    const update = {
      sessionUpdate: 'plan',
      entries: [{ content: 'step one', priority: 'high', status: 'in_progress' }, { content: 'step two' }],
    } as SessionUpdate;
    expect(sessionUpdateToEvents(update)).to.deep.equal([
      {
        type: 'plan',
        entries: [
          { content: 'step one', priority: 'high', status: 'in_progress' },
          { content: 'step two', priority: 'medium', status: 'pending' },
        ],
      },
    ]);
  });

  it('maps a notice to a notice event with title and description', () => {
    const update: SessionUpdate = {
      sessionUpdate: 'notice',
      severity: 'warning',
      title: 'Context almost full',
      description: '90% used',
    };
    expect(sessionUpdateToEvents(update)).to.deep.equal([
      { type: 'notice', severity: 'warning', text: 'Context almost full: 90% used' },
    ]);
  });

  it('maps bookkeeping variants to no event', () => {
    const ignored: SessionUpdate[] = [
      { sessionUpdate: 'user_message_chunk', content: { type: 'text', text: 'replayed' } },
      { sessionUpdate: 'available_commands_update', availableCommands: [{ name: 'help', description: 'Help' }] },
      { sessionUpdate: 'usage_update', used: 10, size: 100 },
      { sessionUpdate: 'current_mode_update', currentModeId: 'default' },
      { sessionUpdate: 'session_info_update', updatedAt: '2026-01-01T00:00:00Z' },
    ];
    for (const update of ignored) expect(sessionUpdateToEvents(update), update.sessionUpdate).to.deep.equal([]);
  });

  it('maps a session title to a session_info event, and a cleared title to null', () => {
    expect(sessionUpdateToEvents({ sessionUpdate: 'session_info_update', title: 'A title' })).to.deep.equal([
      { type: 'session_info', title: 'A title' },
    ]);
    expect(sessionUpdateToEvents({ sessionUpdate: 'session_info_update', title: null })).to.deep.equal([
      { type: 'session_info', title: null },
    ]);
  });
});

describe('toolName', () => {
  it('prefers the ACP name', () => {
    expect(toolName({ name: 'bash', title: 'terminal: ls', kind: 'execute' })).to.equal('bash');
  });

  it('reads the tool from a hermes-style "tool: preview" title', () => {
    expect(toolName({ title: 'read_file: /etc/hosts', kind: 'read' })).to.equal('read_file');
  });

  it('falls back to kind, then to the title, for titles that name no tool', () => {
    expect(toolName({ title: 'Read the file at /etc/hosts', kind: 'read' })).to.equal('read');
    expect(toolName({ title: 'Search the web' })).to.equal('Search the web');
    expect(toolName({ title: 'see: this has spaces before the colon? no: ok' })).to.equal('see');
    expect(toolName({ title: 'two words: preview' })).to.equal('two words: preview');
  });
});

describe('renderToolOutput', () => {
  it('joins text blocks with newlines', () => {
    const content = [
      { type: 'content' as const, content: { type: 'text' as const, text: 'one' } },
      { type: 'content' as const, content: { type: 'text' as const, text: 'two' } },
    ];
    expect(renderToolOutput(content, { ignored: true })).to.equal('one\ntwo');
  });

  it('renders a diff as whole-file minus and plus lines', () => {
    const content = [{ type: 'diff' as const, path: '/w/a.txt', oldText: 'old', newText: 'new\nline' }];
    expect(renderToolOutput(content, undefined)).to.equal('--- /w/a.txt\n+++ /w/a.txt\n-old\n+new\n+line');
    const created = [{ type: 'diff' as const, path: '/w/b.txt', newText: 'hi' }];
    expect(renderToolOutput(created, undefined)).to.equal('--- /dev/null\n+++ /w/b.txt\n+hi');
  });

  it('falls back to rawOutput: a string as is, anything else as JSON, nothing as empty', () => {
    expect(renderToolOutput([], 'plain')).to.equal('plain');
    expect(renderToolOutput(undefined, { exit: 0 })).to.equal('{"exit":0}');
    expect(renderToolOutput(null, undefined)).to.equal('');
  });
});
