// Which gateway instance runs a conversation's turns: the one holding its live agent session, its owner (issue 18).
// Knows no HTTP: the api layer asks `route` before a turn and forwards the request itself when told to.
// Single instance (memory, SQLite, or no advertised URL and secret): every turn runs here (LocalSessionOwnership).

/** Where a turn of a conversation runs. */
export type OwnerRoute =
  /** Here: nobody else holds the conversation's live session (or the holder is gone: `takenFrom` names it). */
  | { kind: 'local'; takenFrom?: string }
  /** On another live instance, reached at `url` (its advertised base URL). */
  | { kind: 'forward'; instance: string; url: string };

export interface SessionOwnership {
  /** Whether turns may be forwarded at all (a shared store, this instance's URL and the internal secret). */
  readonly shared: boolean;
  /**
   * Where a turn of the conversation `key` runs. When nobody owns it, or its owner's heartbeat is gone, this
   * instance claims it and the answer is local; the claim of an owner that still beats is never taken here.
   */
  route(key: string): Promise<OwnerRoute>;
  /**
   * The owner at `from` did not answer in time: this instance takes the conversation over, unless another one
   * already did (then that one is where the turn goes).
   */
  takeOver(key: string, from: string): Promise<OwnerRoute>;
  /** This instance holds (or is about to open) the conversation's live session: it owns it from now on. */
  claim(key: string): Promise<void>;
  /**
   * A turn forwarded here runs here: the conversation stays (or becomes) this instance's, unless another instance
   * took it over meanwhile (a turn this instance was too slow to take must not take the conversation back).
   */
  renew(key: string): Promise<void>;
  /** The conversation's live session here is gone (evicted, dropped): no turn is sent here for it any more. */
  release(key: string): void;
  /** The base URL other instances reach this one at; until it is known (listening on port 0) nothing is claimed. */
  advertise(url: string): void;
  /** Gives up every claim of this instance (it drains): the next turns run where they arrive. */
  withdraw(): Promise<void>;
}

const LOCAL: OwnerRoute = { kind: 'local' };

/** One instance: every turn runs here. */
export class LocalSessionOwnership implements SessionOwnership {
  readonly shared = false;

  route(): Promise<OwnerRoute> {
    return Promise.resolve(LOCAL);
  }

  takeOver(): Promise<OwnerRoute> {
    return Promise.resolve(LOCAL);
  }

  claim(): Promise<void> {
    return Promise.resolve();
  }

  renew(): Promise<void> {
    return Promise.resolve();
  }

  release(): void {}

  advertise(): void {}

  withdraw(): Promise<void> {
    return Promise.resolve();
  }
}
