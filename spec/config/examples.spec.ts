import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../lib/config/load-config.js';
import { packagePath } from '../../lib/paths.js';

const EXAMPLES = packagePath('examples');
const EXPECTED = [
  'claude.yaml',
  'codex.yaml',
  'gemini.yaml',
  'goose.yaml',
  'hermes.yaml',
  'opencode.yaml',
  'proxy-openai.yaml',
];

describe('examples/', () => {
  it('holds one config per agent plus the OpenAI proxy', () => {
    expect(readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'))).to.include.members(EXPECTED);
  });

  for (const file of EXPECTED) {
    it(`${file} loads and validates with the gateway's own loader`, () => {
      const path = join(EXAMPLES, file);
      expect(readFileSync(path, 'utf8')).not.to.match(/^\s*-?\s*key:/m); // keys come from API_SERVER_KEY
      const dataDir = mkdtempSync(join(tmpdir(), 'agw-example-'));
      const { config } = loadConfig(['--config', path], {
        API_SERVER_KEY: 'sk-example-spec-0123456789',
        GATEWAY_DATA_DIR: dataDir,
        OPENAI_API_KEY: 'sk-upstream-dummy-0123456789',
      });
      expect(config.agents.length + config.upstreams.length).to.be.greaterThan(0);
    });
  }
});
