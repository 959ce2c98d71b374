// The run command channel contract, run against the in-process implementation and (with REDIS_URL) Redis pub/sub.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { expect } from 'chai';
import { RedisRunCommandChannel } from '../../lib/engine/runs/redis-run-command-channel.js';
import {
  MemoryRunCommandChannel,
  type RunCommandChannel,
  type RunCommandHandler,
  type RunCommandKind,
  type RunCommandOf,
  type RunCommandReply,
  RunOwnerUnreachable,
} from '../../lib/engine/runs/run-commands.js';
import { silentLogger } from '../../lib/log.js';
import { createStore, type Store } from '../../lib/store/keyv.js';

const stop = (runId: string): RunCommandOf<'stop'> => ({ kind: 'stop', runId, scope: 'key' });
const approve = (runId: string): RunCommandOf<'approve'> => ({ kind: 'approve', runId, scope: 'key', choice: 'once' });

/** A handler from one answer per kind of command (the kinds a test uses), each typed with what that kind replies. */
function answering(
  table: {
    [K in RunCommandKind]?: (command: RunCommandOf<K>) => Promise<RunCommandReply<K>>;
  },
): RunCommandHandler {
  return (command) => table[command.kind]!(command);
}

const failing: RunCommandHandler = async () => ({ ok: false, error: null });

/** `medium()` gives a factory of channels that reach each other (one per instance, as in separate processes). */
function channelContract(name: string, medium: () => Promise<() => RunCommandChannel>) {
  describe(name, () => {
    const open: RunCommandChannel[] = [];
    let channelFor: () => RunCommandChannel;
    const instance = () => `inst-${randomBytes(4).toString('hex')}`;
    beforeEach(async () => {
      const make = await medium();
      channelFor = () => {
        const channel = make();
        open.push(channel);
        return channel;
      };
    });
    afterEach(async () => {
      await Promise.all(open.splice(0).map((c) => c.dispose()));
    });

    it('delivers a command to the instance that serves it and returns that instance’s reply', async () => {
      const a = channelFor();
      const b = channelFor();
      const [ida, idb] = [instance(), instance()];
      const seen: Array<{ at: string; command: unknown }> = [];
      await a.serve(ida, async (command) => {
        seen.push({ at: ida, command });
        return answering({
          stop: async () => ({ ok: true, value: { outcome: 'stopping' } }),
          approve: async () => ({ ok: true, value: { resolved: 1 } }),
        })(command);
      });
      await b.serve(idb, async (command) => {
        seen.push({ at: idb, command });
        return { ok: false, error: null };
      });
      expect(await b.send(ida, stop('run_1'), 2000)).to.deep.equal({ ok: true, value: { outcome: 'stopping' } });
      expect(await a.send(idb, stop('run_2'), 2000)).to.deep.equal({ ok: false, error: null });
      expect(seen).to.deep.equal([
        { at: ida, command: stop('run_1') },
        { at: idb, command: stop('run_2') },
      ]);
    });

    it('answers many concurrent commands, each with its own reply', async () => {
      const a = channelFor();
      const b = channelFor();
      const [ida, idb] = [instance(), instance()];
      await a.serve(
        ida,
        answering({
          stop: async () => ({ ok: false, error: null }),
          approve: async (command) => ({ ok: true, value: { resolved: Number(command.runId.slice(4)) } }),
        }),
      );
      await b.serve(idb, failing);
      const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => b.send(ida, approve(`run_${i}`), 2000)));
      expect(replies.map((r) => (r.ok ? r.value.resolved : null))).to.deep.equal(
        Array.from({ length: 20 }, (_, i) => i),
      );
    });

    it('rejects at once when no instance listens under that id', async () => {
      const b = channelFor();
      await b.serve(instance(), failing);
      const started = Date.now();
      const error = await b.send(instance(), stop('run_1'), 5000).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(RunOwnerUnreachable);
      expect(Date.now() - started).to.be.below(1000);
    });

    it('rejects after the timeout when the owner never answers', async () => {
      const a = channelFor();
      const b = channelFor();
      const [ida, idb] = [instance(), instance()];
      await a.serve(ida, () => new Promise(() => {}));
      await b.serve(idb, failing);
      const started = Date.now();
      const error = await b.send(ida, stop('run_1'), 150).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(RunOwnerUnreachable);
      expect((error as Error).message).to.match(/no reply within 150 ms/);
      expect(Date.now() - started).to.be.at.least(140);
    });
  });
}

describe('run command channel', () => {
  channelContract('MemoryRunCommandChannel', async () => {
    const shared = new MemoryRunCommandChannel();
    return () => shared;
  });

  let store: Store | null = null;
  channelContract('RedisRunCommandChannel', async () => {
    store ??= await createStore(process.env.REDIS_URL!, { dataDir: tmpdir(), logger: silentLogger });
    const prefix = `agw-test:run_commands:${randomBytes(4).toString('hex')}:`;
    const redis = store.redis!;
    return () => new RedisRunCommandChannel(redis, silentLogger, prefix);
  });
  beforeEach(function () {
    if (this.currentTest?.parent?.title === 'RedisRunCommandChannel' && !process.env.REDIS_URL) {
      console.log('    (skipped: set REDIS_URL to run the Redis command channel specs)');
      this.skip();
    }
  });
  after(async () => {
    await store?.close();
  });
});
