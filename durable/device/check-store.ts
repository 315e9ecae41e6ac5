import type { CheckTransition } from '../contracts';
import type { CheckState } from './check-rules';

/*
 * Per-check state (written only when it changes) and the outbox of transitions the
 * TenantHub has not yet taken: a transition is stored with the state change that caused
 * it, in the same implicit transaction, so a crash can delay it but never lose it.
 */
export class CheckStore {
  private cache: Map<string, CheckState> | null = null;

  constructor(private readonly sql: SqlStorage) {}

  all(): Map<string, CheckState> {
    if (!this.cache) {
      this.cache = new Map();
      for (const row of this.sql.exec<{ key: string; state: string }>('SELECT key, state FROM check_state')) {
        this.cache.set(row.key, JSON.parse(row.state) as CheckState);
      }
    }
    return this.cache;
  }

  get(key: string): CheckState | null {
    return this.all().get(key) ?? null;
  }

  /** `persist` false keeps a value-only change in memory (a heartbeat stays one row write). */
  put(key: string, state: CheckState, persist = true): void {
    this.all().set(key, state);
    if (!persist) return;
    this.sql.exec(
      'INSERT INTO check_state (key, state) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET state = excluded.state',
      key,
      JSON.stringify(state),
    );
  }

  remove(key: string): void {
    this.all().delete(key);
    this.sql.exec('DELETE FROM check_state WHERE key = ?', key);
  }

  queue(t: CheckTransition): void {
    this.sql.exec('INSERT INTO transitions_out (payload) VALUES (?)', JSON.stringify(t));
  }

  pending(limit = 200): { seq: number; transition: CheckTransition }[] {
    return this.sql
      .exec<{ seq: number; payload: string }>('SELECT seq, payload FROM transitions_out ORDER BY seq LIMIT ?', limit)
      .toArray()
      .map((r) => ({ seq: r.seq, transition: JSON.parse(r.payload) as CheckTransition }));
  }

  taken(upToSeq: number): void {
    this.sql.exec('DELETE FROM transitions_out WHERE seq <= ?', upToSeq);
  }
}
