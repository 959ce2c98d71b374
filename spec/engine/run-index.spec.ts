// The per-scope index of recent runs behind GET /v1/runs, on each store: newest first, scopes apart, capped, and no
// addition lost when several land at once (memory and SQLite serialise them; Redis adds atomically).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createRunIndex, RUN_INDEX_LIMIT } from '../../lib/engine/runs/run-index.js';
import type { RunRecord } from '../../lib/engine/runs/run-record.js';
import { RunStatusStore } from '../../lib/engine/runs/run-status-store.js';
import { silentLogger } from '../../lib/log.js';
import { createStore, type Store } from '../../lib/store/keyv.js';

const BACKENDS: Array<{ name: string; url: (dir: string) => string | undefined }> = [
  { name: 'memory', url: () => 'memory://' },
  { name: 'sqlite', url: (dir) => `sqlite://${join(dir, 'index.sqlite')}` },
  { name: 'redis', url: () => process.env.REDIS_URL },
];

const record = (runId: string, scope: string, createdAt: number): RunRecord => ({
  runId,
  scope,
  instance: 'i',
  status: 'queued',
  createdAt,
  updatedAt: createdAt,
  sessionId: runId,
  model: 'm',
  lastEvent: null,
  output: null,
  usage: null,
  error: null,
  approval: null,
});

for (const backend of BACKENDS) {
  describe(`run index (${backend.name})`, () => {
    let dir: string;
    let store: Store;
    // Each test its own scopes: the Redis index outlives the test.
    let scope: string;

    beforeEach(async function () {
      dir = mkdtempSync(join(tmpdir(), 'agw-run-index-'));
      const url = backend.url(dir);
      if (!url) {
        console.log('      (skipped: set REDIS_URL to run the Redis run index specs)');
        this.skip();
      }
      store = await createStore(url!, { dataDir: dir, logger: silentLogger });
      scope = `scope-${Math.random().toString(16).slice(2)}`;
    });
    afterEach(async () => {
      await store?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('lists a scope’s runs newest first, apart from other scopes', async () => {
      const index = createRunIndex(store, 60_000);
      await index.add(scope, 'run_b', 2000);
      await index.add(scope, 'run_a', 1000);
      await index.add(scope, 'run_c', 3000);
      await index.add(`${scope}-other`, 'run_x', 4000);
      expect(await index.recent(scope, 10)).to.deep.equal(['run_c', 'run_b', 'run_a']);
      expect(await index.recent(scope, 2)).to.deep.equal(['run_c', 'run_b']);
      expect(await index.recent(`${scope}-other`, 10)).to.deep.equal(['run_x']);
      expect(await index.recent(`${scope}-none`, 10)).to.deep.equal([]);
    });

    it('keeps every one of many runs added at once, and only the newest RUN_INDEX_LIMIT', async () => {
      const index = createRunIndex(store, 60_000);
      const count = RUN_INDEX_LIMIT + 20;
      await Promise.all(Array.from({ length: count }, (_, i) => index.add(scope, `run_${i}`, 10_000 + i)));
      const recent = await index.recent(scope, RUN_INDEX_LIMIT + 50);
      expect(recent).to.have.length(RUN_INDEX_LIMIT);
      expect(recent[0]).to.equal(`run_${count - 1}`);
      expect(recent.at(-1)).to.equal(`run_${count - RUN_INDEX_LIMIT}`);
    });

    it('is fed by the status store: a run joins its scope when it is saved queued, once', async () => {
      const statuses = new RunStatusStore(store, 60_000);
      const run = record('run_1', scope, 5000);
      await statuses.save(run);
      await statuses.save({ ...run, status: 'running' });
      await statuses.save({ ...run, status: 'completed' });
      await statuses.save(record('run_2', scope, 6000));
      expect(await statuses.recent(scope, 10)).to.deep.equal(['run_2', 'run_1']);
    });
  });
}
