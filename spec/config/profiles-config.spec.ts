import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { GatewayConfig } from '../../lib/config/config.js';
import { defaultConfig } from '../../lib/config/defaults.js';
import { ConfigError, loadConfig } from '../../lib/config/load-config.js';
import { createGateway } from '../../lib/gateway.js';
import { silentLogger } from '../../lib/log.js';

const KEY = 'sk-config-test-0123456789';
const KEY_A = 'sk-profile-a-0123456789';
const KEY_B = 'sk-profile-b-0123456789';

describe('loadConfig: profiles', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agw-config-'));
  });
  const load = (yaml: string[]) => {
    const file = join(dir, 'gw.yaml');
    writeFileSync(file, yaml.join('\n'));
    return () => loadConfig(['--config', file], { GATEWAY_DATA_DIR: dir, API_SERVER_KEY: KEY });
  };

  it('reads profiles with their keys, agents, upstreams and routes', () => {
    const { config } = load([
      'profiles:',
      `  - {name: team-a, keys: [{key: ${KEY_A}}], agents: [{name: coder, command: hermes, args: [acp]}]}`,
      `  - name: b_2`,
      `    keys: [{name: bee, key: ${KEY_B}, models: [gpt-4o]}]`,
      '    upstreams: [{name: openai, baseUrl: "https://api.openai.com/v1"}]',
      '    routes: [{model: gpt-4o, upstream: openai}]',
    ])();
    expect(config.profiles).to.deep.equal([
      { name: 'team-a', keys: [{ key: KEY_A }], agents: [{ name: 'coder', command: 'hermes', args: ['acp'] }] },
      {
        name: 'b_2',
        keys: [{ name: 'bee', key: KEY_B, models: ['gpt-4o'] }],
        upstreams: [{ name: 'openai', baseUrl: 'https://api.openai.com/v1' }],
        routes: [{ model: 'gpt-4o', upstream: 'openai' }],
      },
    ]);
  });

  const refusals: Array<[string, string[], RegExp]> = [
    [
      'a name that is no path segment',
      ['profiles:', `  - {name: Team/A, keys: [{key: ${KEY_A}}]}`],
      /^invalid config: profiles\[0\]\.name \(from profiles in .*\) must match pattern/,
    ],
    [
      'a profile without keys',
      ['profiles:', '  - {name: a, keys: []}'],
      /^invalid config: profiles\[0\]\.keys .*must NOT have fewer than 1 items/,
    ],
    [
      'a missing keys field',
      ['profiles:', '  - {name: a}'],
      /^invalid config: profiles\[0\]\.keys .*must have required property/,
    ],
    [
      'an unknown setting',
      ['profiles:', `  - {name: a, keys: [{key: ${KEY_A}}], port: 1}`],
      /^invalid config: profiles\[0\]\.port .*is not a known setting/,
    ],
    [
      'a short key, without echoing it',
      ['profiles:', '  - {name: a, keys: [{key: short}]}'],
      /^invalid config: profiles\[0\]\.keys\[0\]\.key .*must be at least 16 characters$/,
    ],
    [
      'a repeated name',
      ['profiles:', `  - {name: a, keys: [{key: ${KEY_A}}]}`, `  - {name: a, keys: [{key: ${KEY_B}}]}`],
      /^invalid config: profiles\[1\]\.name repeats 'a'$/,
    ],
    [
      'a key equal to a top-level key',
      ['profiles:', `  - {name: a, keys: [{key: ${KEY}}]}`],
      /^invalid config: profiles\[0\]\.keys\[0\]\.key is already used by keys\[0\]$/,
    ],
    [
      "a key equal to another profile's key",
      [
        'profiles:',
        `  - {name: a, keys: [{key: ${KEY_A}}]}`,
        `  - {name: b, keys: [{key: ${KEY_B}}, {key: ${KEY_A}}]}`,
      ],
      /^invalid config: profiles\[1\]\.keys\[1\]\.key is already used by profiles\[0\]\.keys\[0\]$/,
    ],
    [
      'a placeholder key',
      ['profiles:', '  - {name: a, keys: [{key: your-api-key-here-0123}]}'],
      /^invalid config: profiles\[0\]\.keys\[0\]\.key is a placeholder, not a key$/,
    ],
    [
      'a route to an upstream the profile does not have',
      ['profiles:', `  - {name: a, keys: [{key: ${KEY_A}}], routes: [{model: m, upstream: nope}]}`],
      /^invalid config: profiles\[0\]\.routes\[0\]\.upstream names no configured upstream 'nope'$/,
    ],
  ];
  for (const [what, yaml, message] of refusals) {
    it(`refuses ${what} with one line naming the field`, () => {
      let error: Error | null = null;
      try {
        load(yaml)();
      } catch (caught) {
        error = caught as Error;
      }
      expect(error).to.be.instanceOf(ConfigError);
      expect(error!.message).to.match(message);
      expect(error!.message).to.not.include('\n');
      for (const key of [KEY, KEY_A, KEY_B, 'short']) expect(error!.message).to.not.include(key);
    });
  }

  it('is checked by createGateway too, for configs built in code', async () => {
    const config: GatewayConfig = {
      ...defaultConfig(),
      store: 'memory://',
      dataDir: dir,
      keys: [{ key: KEY }],
      profiles: [{ name: 'a', keys: [{ key: KEY }] }],
    };
    const error = await createGateway(config, { logger: silentLogger }).then(
      () => null,
      (caught: Error) => caught,
    );
    expect(error).to.be.instanceOf(ConfigError);
    expect(error!.message).to.equal('invalid config: profiles[0].keys[0].key is already used by keys[0]');
  });
});
