/*
 * Sends in flight beside the TenantHub's serial queue. A delivery waits on someone else's
 * server (up to its timeout), so it must never hold up the alert steps behind it; and the
 * same delivery must never be attempted twice at once, or two results would race to D1.
 * This is memory only: what is lost with the instance is sent again by the hub's alarm.
 */

interface Waiting {
  work: () => Promise<void>;
  done: () => void;
}

/** Work keyed by id: at most `limit` running, and at most one per key queued or running. */
export class Flights {
  private readonly running = new Map<string, Promise<void>>();
  /* Insertion order is the order they go out in. */
  private readonly waiting = new Map<string, Waiting>();

  constructor(
    private readonly limit: number,
    /** Keeps the object alive for a flight that outlasts the call that started it. */
    private readonly keepAlive: (flight: Promise<unknown>) => void = () => undefined,
  ) {}

  /** Queued or running. */
  has(key: string): boolean {
    return this.running.has(key) || this.waiting.has(key);
  }

  /**
   * Queues `work` unless this key is already queued or running (then null: that flight
   * covers it). Resolves when the work is done; its errors are logged, never thrown.
   */
  start(key: string, work: () => Promise<void>): Promise<void> | null {
    if (this.has(key)) return null;
    const landed = new Promise<void>((done) => this.waiting.set(key, { work, done }));
    this.pump();
    return landed;
  }

  /**
   * Runs `work` at once, outside the limit (a person is waiting for it), after any flight of
   * the same key has landed; a queued one goes after it.
   */
  async exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    // Re-checked after every wait: another caller may have taken the key meanwhile.
    while (this.running.has(key)) await this.running.get(key);
    let release!: () => void;
    this.running.set(key, new Promise<void>((r) => (release = r)));
    try {
      return await work();
    } finally {
      this.running.delete(key);
      release();
      this.pump();
    }
  }

  private pump(): void {
    for (const [key, w] of this.waiting) {
      if (this.running.size >= this.limit) return;
      // Held by exclusive(): it goes once that is done.
      if (this.running.has(key)) continue;
      this.waiting.delete(key);
      const flight = w
        .work()
        .catch((err) => console.error('flight failed', key, err))
        .finally(() => {
          this.running.delete(key);
          w.done();
          this.pump();
        });
      this.running.set(key, flight);
      this.keepAlive(flight);
    }
  }
}
