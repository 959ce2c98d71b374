// `instances` (several gateways on one Redis): the advertised URL and the internal secret from the YAML file or the
// environment, and a bad value refused with one line that names the field and never echoes the secret.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../lib/config/load-config.js';

const KEY = 'sk-instances-test-0123456789';
const SECRET = 'shared-internal-secret-0123';

describe('instances config', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agw-instances-config-'));
  });
  const base = () => ({ GATEWAY_DATA_DIR: dir, API_SERVER_KEY: KEY });

  it('takes the advertised URL and the secret from the environment, over the YAML file', () => {
    const file = join(dir, 'gateway.yaml');
    writeFileSync(
      file,
      'instances:\n  advertisedUrl: http://10.0.0.9:8642\n  ownershipTtlSeconds: 30\n  forwardTimeoutSeconds: 2\n',
    );
    const { config } = loadConfig(['--config', file], {
      ...base(),
      GATEWAY_ADVERTISED_URL: 'http://10.0.0.5:8642',
      GATEWAY_INTERNAL_SECRET: SECRET,
    });
    expect(config.instances).to.deep.equal({
      advertisedUrl: 'http://10.0.0.5:8642',
      internalSecret: SECRET,
      ownershipTtlSeconds: 30,
      forwardTimeoutSeconds: 2,
    });
  });

  it('is absent unless configured', () => {
    expect(loadConfig([], base()).config.instances).to.equal(undefined);
  });

  it('refuses a secret under 16 characters, naming the field without the value', () => {
    const load = () => loadConfig([], { ...base(), GATEWAY_INTERNAL_SECRET: 'short-secret' });
    expect(load).to.throw(ConfigError, /^invalid config: instances\.internalSecret \(from GATEWAY_ADVERTISED_URL/);
    expect(load).to.throw(ConfigError).with.property('message').that.does.not.include('short-secret');
  });

  it('refuses an advertised URL that is not http(s)', () => {
    expect(() => loadConfig([], { ...base(), GATEWAY_ADVERTISED_URL: '10.0.0.5:8642' })).to.throw(
      ConfigError,
      /^invalid config: instances\.advertisedUrl/,
    );
  });
});
