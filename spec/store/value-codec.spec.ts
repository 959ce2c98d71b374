import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSerialize } from '@keyv/serialize';
import KeyvSqlite from '@keyv/sqlite';
import { expect } from 'chai';
import { Keyv } from 'keyv';
import { silentLogger } from '../../lib/log.js';
import { createStore } from '../../lib/store/keyv.js';
import { Repository } from '../../lib/store/repository.js';
import { deserializeValue, serializeValue } from '../../lib/store/value-codec.js';

describe('the stored value format', () => {
  const value = {
    value: { title: ':colon first', text: 'line\nbreak ✓', count: 3, nested: [{ ok: true, none: null }] },
    expires: 1764460800000,
  };

  it('writes plain JSON behind its mark and reads it back unchanged', () => {
    const text = serializeValue(value);
    expect(text).to.equal(`#${JSON.stringify(value)}`);
    expect(deserializeValue(text)).to.deep.equal(value);
  });

  it("still reads what Keyv's default format wrote (state from earlier versions), colon-escaped strings included", () => {
    const legacy = defaultSerialize(value);
    expect(legacy.startsWith('{')).to.equal(true);
    expect(legacy).to.include('"::colon first"');
    expect(deserializeValue(legacy)).to.deep.equal(value);
  });

  it('leaves out undefined members, as the default format does', () => {
    expect(deserializeValue(serializeValue({ value: { a: 1, b: undefined } }))).to.deep.equal({ value: { a: 1 } });
  });
});

describe('a SQLite store written before the value format changed', () => {
  it('reads the records an earlier version wrote, and writes new ones in the new format beside them', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'agw-codec-'));
    const path = join(dataDir, 'old.sqlite');
    // What an earlier version left: Keyv's default format in the same table and namespace.
    const old = new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${path}`, table: 'gw_notes' }), namespace: 'notes' });
    await old.set('n1', { title: ':kept', n: 1 });
    await old.disconnect();

    const store = await createStore(`sqlite://${path}`, { dataDir, logger: silentLogger });
    try {
      const repo = new Repository<{ title: string; n: number }>(store, 'notes');
      expect(await repo.get('n1')).to.deep.equal({ title: ':kept', n: 1 });
      await repo.set('n2', { title: ':new', n: 2 });
      expect(await repo.get('n2')).to.deep.equal({ title: ':new', n: 2 });
    } finally {
      await store.close();
    }
  });
});
