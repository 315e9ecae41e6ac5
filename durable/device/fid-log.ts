/*
 * Frame ids of durable agent frames already applied. The agent resends anything it has
 * not seen acknowledged, so a known fid is acknowledged again and otherwise ignored.
 */
const RETENTION_MS = 14 * 24 * 3600_000;

export class FidLog {
  constructor(private readonly sql: SqlStorage) {}

  seen(fid: number): boolean {
    return this.sql.exec('SELECT 1 FROM seen_fids WHERE fid = ?', fid).toArray().length > 0;
  }

  record(fid: number, now: number): void {
    this.sql.exec('INSERT OR IGNORE INTO seen_fids (fid, at) VALUES (?, ?)', fid, now);
  }

  /**
   * A hello announcing a lower highest-fid than we have seen means the agent was
   * reinstalled and numbers from 1 again: old ids would wrongly swallow its new frames.
   */
  resetIfReinstalled(lastFid: number | undefined): void {
    if (lastFid === undefined) return;
    const max = this.sql.exec<{ m: number | null }>('SELECT max(fid) AS m FROM seen_fids').one().m;
    if (max !== null && lastFid < max) this.sql.exec('DELETE FROM seen_fids');
  }

  prune(now: number): void {
    this.sql.exec('DELETE FROM seen_fids WHERE at < ?', now - RETENTION_MS);
  }
}
