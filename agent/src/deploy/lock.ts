/**
 * Package managers hold a lock of their own (dpkg, rpm, msiexec, Homebrew): two installs at
 * once fail, or worse, interleave. Everything on this agent that installs or removes software
 * takes its turn here, in arrival order.
 */
export class InstallLock {
  private tail: Promise<void> = Promise.resolve();
  private count = 0;

  /** True while something holds the lock or waits for it. */
  get busy(): boolean {
    return this.count > 0;
  }

  /**
   * Runs `work` once everything queued before it is done. Aborting while still waiting
   * rejects with the signal's reason; the turn is still passed on in order.
   */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const before = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    this.count++;
    let ran = false;
    try {
      await waitUnlessAborted(before, signal);
      ran = true;
      return await work();
    } finally {
      this.count--;
      // Given up while waiting: the next in line still waits for the ones before this one.
      if (ran) release();
      else void before.then(release);
    }
  }
}

function waitUnlessAborted(p: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    void p.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/** The agent's one lock: deployments and patch installs share it. */
export const packageManagerLock = new InstallLock();
