// Which gateway instances are alive on a shared store: each one renews a heartbeat key while it runs.
import type { Logger } from '../../log.js';
import type { Store } from '../../store/keyv.js';
import { Repository } from '../../store/repository.js';

const HEARTBEAT_MS = 5000;
/** Four missed beats and an instance counts as gone (its runs are then reported failed). */
const HEARTBEAT_TTL_MS = 20_000;
/** How many beats fit in the heartbeat's lifetime when it is configured (instances.ownershipTtlSeconds). */
const BEATS_PER_TTL = 4;

export class InstancePresence {
  private readonly heartbeats: Repository<number>;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    store: Store,
    private readonly instance: string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    /** How long the instance counts as alive after its last beat (its runs and its sessions stay its own). */
    private readonly ttlMs = HEARTBEAT_TTL_MS,
  ) {
    this.heartbeats = new Repository<number>(store, 'run_instances', ttlMs);
  }

  async announce(): Promise<void> {
    const beat = () => this.heartbeats.set(this.instance, this.now());
    await beat();
    this.timer = setInterval(
      () => {
        beat().catch((error: unknown) => this.logger.warn({ err: error }, 'run heartbeat failed'));
      },
      Math.min(HEARTBEAT_MS, this.ttlMs / BEATS_PER_TTL),
    );
    this.timer.unref();
  }

  async isAlive(instance: string): Promise<boolean> {
    return (await this.heartbeats.get(instance)) !== undefined;
  }

  async withdraw(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.heartbeats.delete(this.instance).catch(() => false); // it expires anyway
  }
}
