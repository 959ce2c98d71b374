import { expect } from 'chai';
import { createAcpAgent } from '../../../lib/agents/acp/acp-agent.js';
import { commandName } from '../../../lib/agents/acp/command-name.js';
import { memoryLogger } from '../scripted-agent-config.js';

describe('commandName (model id of an agent without agentInfo)', () => {
  const cases: Array<[string, string[], string]> = [
    ['hermes', ['acp'], 'hermes'],
    ['/usr/local/bin/goose', ['acp'], 'goose'],
    ['node', ['path/to/my-agent.js'], 'my-agent'],
    ['/usr/bin/node', ['--import', 'tsx', '/pkg/fixtures/agents/scripted-agent.ts'], 'scripted-agent'],
    ['node', ['--enable-source-maps', 'dist/agent/index.js', '--flag'], 'agent'],
    ['npx', ['@agentclientprotocol/claude-agent-acp'], 'claude-agent-acp'],
    ['npx', ['-y', '@zed-industries/claude-code-acp@0.16.2'], 'claude-code-acp'],
    ['npx', ['--package', '@kilocode/cli', 'kilo', 'acp'], 'kilo'],
    ['npx', ['opencode-ai', 'acp'], 'opencode-ai'],
    ['uvx', ['--from', 'hermes-agent', 'hermes-acp'], 'hermes-acp'],
    ['python3', ['-m', 'acp_adapter'], 'acp_adapter'],
    ['python3.12', ['agent.py'], 'agent'],
    ['pnpm', ['dlx', 'cline', '--acp'], 'cline'],
    ['env', ['FOO=1', 'gemini', '--acp'], 'gemini'],
    ['/usr/bin/env', ['node', 'agent.js'], 'agent'],
    ['C:\\Program Files\\nodejs\\node.exe', ['agent.mjs'], 'agent'],
    ['node', [], 'node'],
  ];
  for (const [command, args, name] of cases) {
    it(`${[command, ...args].join(' ')} -> ${name}`, () => {
      expect(commandName(command, args)).to.equal(name);
    });
  }

  it('never answers with the interpreter when there is a program after it', () => {
    for (const runner of ['node', 'python3', 'npx', 'uvx', 'bunx', 'deno']) {
      expect(commandName(runner, ['some-agent'])).to.equal('some-agent');
    }
  });

  it('names an AcpAgent that has no agentInfo (not started) after its program, else its configured name', () => {
    const { logger } = memoryLogger();
    expect(createAcpAgent({ command: 'node', args: ['--import', 'tsx', 'agents/my-agent.ts'] }, logger).id).to.equal(
      'my-agent',
    );
    expect(createAcpAgent({ command: 'npx', args: ['@agentclientprotocol/codex-acp'] }, logger).id).to.equal(
      'codex-acp',
    );
    expect(createAcpAgent({ name: 'mine', command: 'node', args: ['x.js'] }, logger).id).to.equal('mine');
  });
});
