import type { Alert } from '../../protocol/api/alerts';

/**
 * An alert the hub still manages: the public view plus what the lifecycle needs. Kept in
 * the hub's SQLite, mirrored to D1's `alerts` row on every change.
 */
export interface ActiveAlert extends Alert {
  siteId: string | null;
  /** The condition as last reported by the device: a held (flapping) alert can be clear. */
  condition: 'breach' | 'clear';
  /** Hub time of the last transition applied; older ones are ignored. */
  lastAt: number;
  escalationPolicyId: string | null;
  /** Notifications sent after the last tier (repeats), and when the last one went. */
  repeats: number;
  notifiedAt: number | null;
  /** Resolved because the condition cleared (only those may reopen as flapping). */
  autoResolved: boolean;
}

export class ActiveAlerts {
  constructor(private readonly sql: SqlStorage) {}

  byKey(deviceId: string, checkKey: string): ActiveAlert | null {
    const row = this.sql
      .exec<{ data: string }>('SELECT data FROM active_alerts WHERE device_id = ? AND check_key = ?', deviceId, checkKey)
      .toArray()[0];
    return row ? (JSON.parse(row.data) as ActiveAlert) : null;
  }

  byId(alertId: string): ActiveAlert | null {
    const row = this.sql.exec<{ data: string }>('SELECT data FROM active_alerts WHERE alert_id = ?', alertId).toArray()[0];
    return row ? (JSON.parse(row.data) as ActiveAlert) : null;
  }

  put(a: ActiveAlert): void {
    this.sql.exec(
      `INSERT INTO active_alerts (device_id, check_key, alert_id, data) VALUES (?, ?, ?, ?)
       ON CONFLICT(device_id, check_key) DO UPDATE SET alert_id = excluded.alert_id, data = excluded.data`,
      a.deviceId,
      a.checkKey,
      a.id,
      JSON.stringify(a),
    );
  }

  remove(alertId: string): void {
    this.sql.exec('DELETE FROM active_alerts WHERE alert_id = ?', alertId);
  }

  /** Open or acknowledged alerts of one device (maintenance end, device removal). */
  unresolved(): ActiveAlert[] {
    return this.sql
      .exec<{ data: string }>('SELECT data FROM active_alerts')
      .toArray()
      .map((r) => JSON.parse(r.data) as ActiveAlert)
      .filter((a) => a.status !== 'resolved');
  }

  /** Forgets auto-resolved alerts past their reopen window; returns the oldest one kept. */
  pruneResolved(before: number): number | null {
    let oldest: number | null = null;
    for (const r of this.sql.exec<{ alert_id: string; data: string }>('SELECT alert_id, data FROM active_alerts').toArray()) {
      const a = JSON.parse(r.data) as ActiveAlert;
      if (a.status !== 'resolved') continue;
      const at = a.resolvedAt ?? 0;
      if (at < before) this.remove(r.alert_id);
      else oldest = oldest === null ? at : Math.min(oldest, at);
    }
    return oldest;
  }
}
