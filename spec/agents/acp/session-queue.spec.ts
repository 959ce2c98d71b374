import { expect } from 'chai';
import { SessionQueue } from '../../../lib/agents/acp/session-queue.js';

describe('SessionQueue', () => {
  it('grants one session in arrival order, one holder at a time', async () => {
    const queue = new SessionQueue();
    const order: string[] = [];
    const first = await queue.acquire('s');
    const second = queue.acquire('s').then((release) => {
      order.push('second');
      return release;
    });
    const third = queue.acquire('s').then((release) => {
      order.push('third');
      return release;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).to.deep.equal([]);
    expect(queue.depth('s')).to.equal(3);
    first!();
    (await second)!();
    (await third)!();
    expect(order).to.deep.equal(['second', 'third']);
    expect(queue.depth('s')).to.equal(0);
  });

  it('lets different sessions proceed at once', async () => {
    const queue = new SessionQueue();
    const a = await queue.acquire('a');
    const b = await queue.acquire('b');
    expect(a).to.be.a('function');
    expect(b).to.be.a('function');
  });

  it('drops an aborted waiter from the line and resolves it with null', async () => {
    const queue = new SessionQueue();
    const holder = await queue.acquire('s');
    const abort = new AbortController();
    const leaving = queue.acquire('s', abort.signal);
    const staying = queue.acquire('s');
    abort.abort();
    expect(await leaving).to.equal(null);
    holder!();
    const next = await staying;
    expect(next).to.be.a('function');
    expect(queue.depth('s')).to.equal(1);
  });

  it('ignores a second call of the same release', async () => {
    const queue = new SessionQueue();
    const first = await queue.acquire('s');
    const second = queue.acquire('s');
    first!();
    first!();
    await second;
    const third = queue.acquire('s');
    let granted = false;
    void third.then(() => {
      granted = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(granted).to.equal(false);
  });
});
