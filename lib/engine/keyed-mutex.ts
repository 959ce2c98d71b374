// Serializes work per key (one turn at a time per conversation); different keys run in parallel.
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  /** True while someone holds or waits for the key. */
  isHeld(key: string): boolean {
    return this.tails.has(key);
  }

  /** Resolves with a release function once every earlier holder of `key` has released. */
  async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}
