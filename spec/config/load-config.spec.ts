import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../lib/config/load-config.js';
import { splitCommand } from '../../lib/config/split-command.js';

const KEY = 'sk-config-test-0123456789';

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agw-config-'));
  });
  const base = () => ({ GATEWAY_DATA_DIR: dir, API_SERVER_KEY: KEY });

  it('uses the embedded defaults: loopback, 8642, SQLite in the data dir, cap 10', () => {
    const { config } = loadConfig([], base());
    expect(config).to.include({ host: '127.0.0.1', port: 8642, maxConcurrentRuns: 10, bodyLimitBytes: 10_000_000 });
    expect(config.store).to.equal(`sqlite://${join(dir, 'gateway.sqlite')}`);
    expect(config.keys).to.deep.equal([{ key: KEY }]);
  });

  it('lets the environment win over the file and flags win over both', () => {
    const file = join(dir, 'gw.yaml');
    writeFileSync(file, 'host: 0.0.0.0\nport: 7000\nmaxConcurrentRuns: 3\ncorsOrigins: [http://a.example]\n');
    const { config } = loadConfig(['--config', file, '--port', '9000'], {
      ...base(),
      API_SERVER_PORT: '8000',
      API_SERVER_HOST: '::1',
    });
    expect(config).to.include({ host: '::1', port: 9000, maxConcurrentRuns: 3 });
    expect(config.corsOrigins).to.deep.equal(['http://a.example']);
  });

  it('reads several comma-separated keys, CORS origins and an agent command line', () => {
    const { config } = loadConfig(['--agent', 'hermes acp --profile "my profile"'], {
      ...base(),
      API_SERVER_KEY: `${KEY}, second-key-0123456789`,
      API_SERVER_CORS_ORIGINS: 'http://a.example,http://b.example',
    });
    expect(config.keys.map((k) => k.key)).to.deep.equal([KEY, 'second-key-0123456789']);
    expect(config.corsOrigins).to.deep.equal(['http://a.example', 'http://b.example']);
    expect(config.agents).to.deep.equal([{ command: 'hermes', args: ['acp', '--profile', 'my profile'] }]);
  });

  it('reads agents, keys with allowed models and routes from YAML', () => {
    const file = join(dir, 'gw.yaml');
    writeFileSync(
      file,
      [
        'keys:',
        '  - {name: alice, key: alice-key-0123456789, models: [hermes]}',
        'agents:',
        '  - {name: hermes, command: hermes, args: [acp], poolSize: 2, slashCommandGuard: true}',
        'upstreams:',
        '  - {name: openai, baseUrl: "https://api.openai.com/v1", keyEnv: OPENAI_API_KEY}',
        'routes:',
        '  - {model: gpt-4o, upstream: openai}',
      ].join('\n'),
    );
    const { config } = loadConfig(['--config', file], { GATEWAY_DATA_DIR: dir });
    expect(config.keys).to.deep.equal([{ name: 'alice', key: 'alice-key-0123456789', models: ['hermes'] }]);
    expect(config.agents[0]).to.include({ name: 'hermes', poolSize: 2, slashCommandGuard: true });
    expect(config.routes).to.deep.equal([{ model: 'gpt-4o', upstream: 'openai' }]);
  });

  const refusals: Array<[string, string[], NodeJS.ProcessEnv, RegExp]> = [
    [
      'a port that is not a number',
      [],
      { API_SERVER_PORT: 'abc' },
      /^invalid config: port \(from API_SERVER_PORT\) must be integer$/,
    ],
    ['a port out of range', ['--port', '70000'], {}, /^invalid config: port \(from --port\) must be <= 65535$/],
    [
      'a key under 16 characters',
      [],
      { API_SERVER_KEY: 'short' },
      /^invalid config: keys\[0\]\.key \(from API_SERVER_KEY\) must be at least 16 characters$/,
    ],
    [
      'a negative concurrency cap',
      [],
      { API_SERVER_MAX_CONCURRENT_RUNS: '-1' },
      /^invalid config: maxConcurrentRuns .* must be >= 0$/,
    ],
    [
      'an unknown store scheme',
      ['--store', 'mongo://x'],
      {},
      /^invalid config: store \(from --store\) must match pattern/,
    ],
    ['an unknown flag', ['--prot', '1'], {}, /^invalid command line: Unknown option '--prot'/],
    [
      'a placeholder key (Hermes refuses it too)',
      [],
      { API_SERVER_KEY: ' Your_API_Key_Here ' },
      /^invalid config: keys\[0\]\.key \(from API_SERVER_KEY\) is a placeholder, not a key$/,
    ],
    [
      'a placeholder key with a suffix',
      [],
      { API_SERVER_KEY: `${KEY},your-api-key-here-0123` },
      /^invalid config: keys\[1\]\.key \(from API_SERVER_KEY\) is a placeholder, not a key$/,
    ],
    [
      'a strictModels value that is not a boolean',
      [],
      { GATEWAY_STRICT_MODELS: 'sometimes' },
      /^invalid config: strictModels \(from GATEWAY_STRICT_MODELS\) must be boolean$/,
    ],
  ];
  for (const [what, argv, env, message] of refusals) {
    it(`refuses ${what} with one line naming the field`, () => {
      expect(() => loadConfig(argv, { ...base(), ...env }))
        .to.throw(ConfigError)
        .with.property('message')
        .that.matches(message)
        .and.not.include('\n');
    });
  }

  it('refuses a placeholder key from the YAML file, naming the field and never echoing the key', () => {
    const file = join(dir, 'gw.yaml');
    writeFileSync(file, 'keys:\n  - {name: a, key: your-api-key-here-please}\n');
    expect(() => loadConfig(['--config', file], { GATEWAY_DATA_DIR: dir }))
      .to.throw(ConfigError)
      .with.property('message')
      .that.equals(`invalid config: keys[0].key (from keys in ${file}) is a placeholder, not a key`);
  });

  it('reads strictModels from YAML and GATEWAY_STRICT_MODELS, and leaves it unset by default', () => {
    expect(loadConfig([], base()).config.strictModels).to.equal(undefined);
    const file = join(dir, 'gw.yaml');
    writeFileSync(file, 'strictModels: true\n');
    expect(loadConfig(['--config', file], base()).config.strictModels).to.equal(true);
    const env = { ...base(), GATEWAY_STRICT_MODELS: 'false' };
    expect(loadConfig(['--config', file], env).config.strictModels).to.equal(false);
  });

  it('refuses an unknown setting in the YAML file, naming the file', () => {
    const file = join(dir, 'gw.yaml');
    writeFileSync(file, 'prot: 9000\n');
    expect(() => loadConfig(['--config', file], base())).to.throw(
      ConfigError,
      `invalid config: prot (from prot in ${file}) is not a known setting`,
    );
  });

  it('refuses YAML that does not parse and a file that is missing', () => {
    const file = join(dir, 'gw.yaml');
    writeFileSync(file, 'port: [1,\n');
    expect(() => loadConfig(['--config', file], base())).to.throw(ConfigError, /is not valid YAML/);
    expect(() => loadConfig(['--config', join(dir, 'nope.yaml')], base())).to.throw(
      ConfigError,
      /cannot read config file .* ENOENT/,
    );
  });

  it('refuses a route to an upstream that is not configured', () => {
    const file = join(dir, 'gw.yaml');
    writeFileSync(file, 'routes: [{model: m, upstream: ghost}]\n');
    expect(() => loadConfig(['--config', file], base())).to.throw(
      ConfigError,
      "routes[0].upstream names no configured upstream 'ghost'",
    );
  });

  it('generates a key once when none is configured, stores it 0600 and reuses it', () => {
    const first = loadConfig([], { GATEWAY_DATA_DIR: dir });
    expect(first.generatedKey).to.not.equal(null);
    const path = join(dir, 'api-key');
    expect(first.generatedKey!.path).to.equal(path);
    expect(statSync(path).mode & 0o777).to.equal(0o600);
    expect(readFileSync(path, 'utf8').trim()).to.equal(first.generatedKey!.key);
    expect(first.generatedKey!.key.length).to.be.greaterThanOrEqual(32);
    const second = loadConfig([], { GATEWAY_DATA_DIR: dir });
    expect(second.generatedKey).to.equal(null);
    expect(second.config.keys[0].key).to.equal(first.generatedKey!.key);
  });
});

describe('splitCommand', () => {
  it('splits on spaces and honours quotes and escapes', () => {
    expect(splitCommand(`node  "a b" 'c d' e\\ f ""`)).to.deep.equal(['node', 'a b', 'c d', 'e f', '']);
  });
  it('refuses an unterminated quote', () => {
    expect(() => splitCommand('node "a')).to.throw(/unterminated/);
  });
});
