/*
 * The hub's single alarm drives this table: each row is a job (kind) due at a time.
 * Alarms are at-least-once, so every job handler must be safe to run twice.
 */

export type JobKind =
  | 'offline_check'
  | 'rollup'
  | 'expiry'
  | 'd1_sync'
  | 'report_status'
  | 'flush_transitions'
  | 'event_clear'
  | 'offline_alert'
  | 'inventory_sync';

export interface Job<K extends string = JobKind> {
  key: string;
  kind: K;
  due_at: number;
  attempts: number;
}

/** What a `<kind>:<subject>` key is about (the subject may itself hold colons). */
export const jobSubject = (job: Pick<Job<string>, 'key'>): string => job.key.slice(job.key.indexOf(':') + 1);

const MAX_BACKOFF_MS = 3600_000;

/** Needs a `schedule` table (see storage-schema.ts); the TenantHub uses it with its own kinds. */
export class Schedule<K extends string = JobKind> {
  constructor(
    private readonly sql: SqlStorage,
    private readonly storage: DurableObjectStorage,
  ) {}

  /** Sets (or moves) a job. `key` defaults to the kind: one job of that kind at a time. */
  put(kind: K, dueAt: number, key: string = kind): void {
    this.sql.exec(
      `INSERT INTO schedule (key, kind, due_at, attempts) VALUES (?, ?, ?, 0)
       ON CONFLICT(key) DO UPDATE SET due_at = excluded.due_at`,
      key,
      kind,
      dueAt,
    );
  }

  /** Adds a job only if none with that key exists. */
  putIfAbsent(kind: K, dueAt: number, key: string = kind): void {
    this.sql.exec(
      'INSERT OR IGNORE INTO schedule (key, kind, due_at, attempts) VALUES (?, ?, ?, 0)',
      key,
      kind,
      dueAt,
    );
  }

  remove(key: string): void {
    this.sql.exec('DELETE FROM schedule WHERE key = ?', key);
  }

  /** Removes a job that ran, unless its handler moved it (even to another time already due). */
  removeIfDue(job: Job<K>): void {
    this.sql.exec('DELETE FROM schedule WHERE key = ? AND due_at = ?', job.key, job.due_at);
  }

  has(key: string): boolean {
    return this.sql.exec('SELECT 1 FROM schedule WHERE key = ?', key).toArray().length > 0;
  }

  due(now: number): Job<K>[] {
    return this.sql
      .exec<Record<keyof Job, string | number>>('SELECT key, kind, due_at, attempts FROM schedule WHERE due_at <= ? ORDER BY due_at', now)
      .toArray() as unknown as Job<K>[];
  }

  /** Retries a failed job later, doubling the wait each time (capped at an hour). */
  retry(job: Job<K>, now: number): void {
    const wait = Math.min(MAX_BACKOFF_MS, 5_000 * 2 ** Math.min(job.attempts, 20));
    this.sql.exec('UPDATE schedule SET due_at = ?, attempts = attempts + 1 WHERE key = ?', now + wait, job.key);
  }

  /** Points the alarm at the earliest job, or clears it when there is none. */
  async arm(): Promise<void> {
    const next = this.sql.exec<{ due: number | null }>('SELECT min(due_at) AS due FROM schedule').one().due;
    if (next === null) await this.storage.deleteAlarm();
    else await this.storage.setAlarm(next);
  }
}
