/* Changes arrive through configChanged(); the age limit covers a missed call. */
const MAX_AGE_MS = 5 * 60_000;

/** A value read from D1 and kept in memory until invalidated or older than MAX_AGE_MS. */
export class Cached<T> {
  private loadedAt = 0;
  private value: T | undefined;

  constructor(private readonly read: () => Promise<T>) {}

  invalidate(): void {
    this.loadedAt = 0;
  }

  async get(): Promise<T> {
    if (this.value !== undefined && Date.now() - this.loadedAt < MAX_AGE_MS) return this.value;
    const value = await this.read();
    this.value = value;
    this.loadedAt = Date.now();
    return value;
  }
}
