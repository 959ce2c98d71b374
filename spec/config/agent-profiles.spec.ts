import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { AGENT_PROFILES, agentFromArgv, expandProfileEntry } from '../../lib/config/agent-profiles.js';
import { ConfigError, loadConfig } from '../../lib/config/load-config.js';

const KEY = 'sk-profile-test-0123456789';

describe('agent launch profiles', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agw-agent-profiles-'));
  });
  const base = () => ({ GATEWAY_DATA_DIR: dir, API_SERVER_KEY: KEY });

  it('expands every documented name to its ACP command line', () => {
    const expected: Record<string, [string, string[]]> = {
      hermes: ['hermes', ['acp']],
      claude: ['npx', ['@agentclientprotocol/claude-agent-acp']],
      codex: ['npx', ['@agentclientprotocol/codex-acp']],
      gemini: ['gemini', ['--acp']],
      goose: ['goose', ['acp']],
      opencode: ['opencode', ['acp']],
    };
    expect(Object.keys(AGENT_PROFILES)).to.have.members(Object.keys(expected));
    for (const [name, [command, args]] of Object.entries(expected)) {
      expect(agentFromArgv([name]), name)
        .to.include({ command })
        .and.to.have.deep.property('args', args);
    }
  });

  it('sets the known quirks: hermes gets the slash-command guard and legacy set_model', () => {
    const { config } = loadConfig(['--agent', 'hermes'], base());
    expect(config.agents).to.deep.equal([
      { command: 'hermes', args: ['acp'], slashCommandGuard: true, modelSelection: 'set_model' },
    ]);
  });

  it('leaves a full command line untouched', () => {
    const { config } = loadConfig(['--agent', 'hermes acp --flag'], base());
    expect(config.agents).to.deep.equal([{ command: 'hermes', args: ['acp', '--flag'] }]);
    expect(agentFromArgv(['gemini', '--experimental-acp'])).to.deep.equal({
      command: 'gemini',
      args: ['--experimental-acp'],
    });
  });

  it('keeps an unknown bare word (or a path) as the command itself', () => {
    expect(agentFromArgv(['my-agent'])).to.deep.equal({ command: 'my-agent', args: [] });
    expect(agentFromArgv(['./hermes'])).to.deep.equal({ command: './hermes', args: [] });
    expect(agentFromArgv(['toString'])).to.deep.equal({ command: 'toString', args: [] });
  });

  it('expands names in GATEWAY_AGENT_COMMAND and in repeated --agent flags', () => {
    expect(loadConfig([], { ...base(), GATEWAY_AGENT_COMMAND: 'goose' }).config.agents).to.deep.equal([
      { command: 'goose', args: ['acp'] },
    ]);
    const { config } = loadConfig(['--agent', 'codex', '--agent', 'opencode'], base());
    expect(config.agents.map((a) => [a.command, ...(a.args ?? [])])).to.deep.equal([
      ['npx', '@agentclientprotocol/codex-acp'],
      ['opencode', 'acp'],
    ]);
  });

  it('expands `profile:` in YAML agents (top level and in profiles), the entry overriding the profile', () => {
    const file = join(dir, 'gw.yaml');
    writeFileSync(
      file,
      [
        'agents:',
        '  - { profile: hermes, name: my-hermes, poolSize: 2, slashCommandGuard: false }',
        '  - { command: goose, args: [acp] }',
        'profiles:',
        '  - name: team',
        '    keys: [{ key: team-key-0123456789abcdef }]',
        '    agents: [{ profile: gemini }]',
      ].join('\n'),
    );
    const { config } = loadConfig(['--config', file], base());
    expect(config.agents[0]).to.deep.equal({
      command: 'hermes',
      args: ['acp'],
      name: 'my-hermes',
      poolSize: 2,
      slashCommandGuard: false,
      modelSelection: 'set_model',
    });
    expect(config.agents[1]).to.deep.equal({ command: 'goose', args: ['acp'] });
    expect(config.profiles?.[0].agents).to.deep.equal([{ command: 'gemini', args: ['--acp'] }]);
  });

  it('refuses an unknown YAML profile, naming the field and the known ones', () => {
    const file = join(dir, 'gw.yaml');
    writeFileSync(file, 'agents:\n  - { profile: nope }\n');
    expect(() => loadConfig(['--config', file], base()))
      .to.throw(ConfigError)
      .with.property('message')
      .that.matches(
        /^invalid config: agents\[0\]\.profile \(from .*gw\.yaml\) names no launch profile 'nope' \(known: hermes,/,
      );
    expect(expandProfileEntry({ command: 'x' })).to.deep.equal({ command: 'x' });
  });
});
