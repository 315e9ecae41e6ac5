import { drizzle } from 'drizzle-orm/d1';
import * as schema from '../../db/schema';
import type { LicenceMatch } from '../../protocol/api/licences';
import type { Severity } from '../../protocol/checks';
import type { WarrantyVendor } from '../../protocol/warranty';
import { seatDeviceIds } from '../../worker/lib/licences/compliance';
import { addDays, daysUntil, todayUtc } from '../../worker/lib/warranty/coverage';
import { dueVendors, runVendorLookup } from '../../worker/lib/warranty/run-lookups';
import type { CheckTransition } from '../contracts';
import type { Schedule } from '../device/schedule';
import type { TenantJobKind } from './alert-lifecycle';

/*
 * Warranty and licence expiry as alerts. Once a day (and when the Worker says a warranty or
 * licence changed) the hub works out which (device, expiry) pairs should be alerting and at
 * what severity, and feeds the difference from its last run to the alert lifecycle as check
 * transitions: a new or more urgent expiry is a breach, a renewed one a clear. Escalation,
 * maintenance windows, notifications and alert→ticket rules then apply as to any check.
 *
 * Licence alerts sit on the devices using a seat, one per device: an alert belongs to a
 * device (its client, site and groups decide scoping, maintenance windows and ticket rules),
 * and a tenant-wide licence has no client an alert of its own could be scoped to.
 *
 * What was last sent is kept here (asset_alerts), so a run that finds nothing new sends
 * nothing, and an alert a technician resolved stays resolved until its severity rises.
 */

const DAY_MS = 86_400_000;
/** First run after the hub starts: soon, but not in the middle of whatever woke it. */
const FIRST_RUN_MS = 10 * 60_000;
export const WARRANTY_WARN_DAYS = 90;
export const LICENCE_WARN_DAYS = 30;
/** An expiry older than this that never alerted is old news: it opens nothing (the lists show it). */
const STALE_DAYS = 90;

export const WARRANTY_CHECK_KEY = 'asset:warranty';
export const licenceCheckKey = (licenceId: string) => `asset:licence:${licenceId}`;

export interface AssetAlertDeps {
  d1: D1Database;
  sql: SqlStorage;
  schedule: Schedule<TenantJobKind>;
  tenantId: () => Promise<string>;
  masterKey: string;
  /** The lifecycle's own entry for check transitions. */
  apply: (t: CheckTransition) => Promise<void>;
  /** Work outside the hub's step queue (vendor lookups wait on other servers). */
  background: (work: Promise<unknown>) => void;
  /** Runs a judging pass inside the hub's step queue (after vendor lookups stored new dates). */
  recheck: () => Promise<void>;
}

interface Wanted {
  deviceId: string;
  checkKey: string;
  checkName: string;
  checkType: string;
  severity: Severity;
  date: string;
  days: number;
  message: string;
}

interface Sent {
  device_id: string;
  check_key: string;
  severity: string;
  date: string;
  at: number;
}

const plural = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

export function warrantySeverity(days: number): Severity {
  return days <= 30 ? 'critical' : days <= 60 ? 'warning' : 'info';
}

export function warrantyMessage(end: string, days: number): string {
  return days >= 0 ? `Warranty ends ${end} (${plural(days)})` : `Warranty ended ${end} (${plural(-days)} ago)`;
}

export function licenceMessage(product: string, expires: string, days: number): string {
  if (days > 0) return `${product} licence expires ${expires} (${plural(days)})`;
  return days === 0 ? `${product} licence expires today (${expires})` : `${product} licence expired ${expires} (${plural(-days)} ago)`;
}

export class AssetAlerts {
  constructor(private readonly d: AssetAlertDeps) {
    d.sql.exec(`CREATE TABLE IF NOT EXISTS asset_alerts (
      device_id TEXT NOT NULL,
      check_key TEXT NOT NULL,
      severity TEXT NOT NULL,
      date TEXT NOT NULL,
      at INTEGER NOT NULL,
      PRIMARY KEY (device_id, check_key)
    )`);
    d.schedule.putIfAbsent('assets', Date.now() + FIRST_RUN_MS);
  }

  /** The daily job: judge expiries, start the weekly vendor lookups that are due, and come back tomorrow. */
  async daily(now: number): Promise<void> {
    await this.judge(now);
    const tenantId = await this.d.tenantId();
    const db = drizzle(this.d.d1, { schema });
    const vendors = await dueVendors(db, tenantId, now);
    if (vendors.length) this.d.background(this.lookups(tenantId, vendors));
    this.d.schedule.put('assets', now + DAY_MS);
  }

  private async lookups(tenantId: string, vendors: WarrantyVendor[]): Promise<void> {
    const db = drizzle(this.d.d1, { schema });
    let updated = 0;
    for (const vendor of vendors) {
      try {
        updated += (await runVendorLookup(db, tenantId, vendor, { masterKey: this.d.masterKey }))?.updated ?? 0;
      } catch (err) {
        console.error('weekly warranty lookup failed', vendor, err instanceof Error ? err.message : 'unknown error');
      }
    }
    if (updated) await this.d.recheck();
  }

  /** Sends the transitions between what was last sent and what should be alerting now. Safe to run any number of times. */
  async judge(now: number): Promise<void> {
    const sent = new Map<string, Sent>();
    for (const row of this.d.sql.exec<Record<keyof Sent, string | number>>('SELECT device_id, check_key, severity, date, at FROM asset_alerts').toArray()) {
      const s = row as unknown as Sent;
      sent.set(`${s.device_id}\u0000${s.check_key}`, s);
    }
    const wanted = [...(await this.warranties(now)), ...(await this.licences(now))];
    const keep = new Set<string>();
    for (const w of wanted) {
      const key = `${w.deviceId}\u0000${w.checkKey}`;
      const last = sent.get(key);
      // Old news that never alerted stays quiet; one that is already alerting keeps its alert.
      if (!last && w.days < -STALE_DAYS) continue;
      keep.add(key);
      if (last && last.severity === w.severity && last.date === w.date) continue;
      const at = Math.max(now, (last?.at ?? 0) + 1);
      await this.d.apply({
        deviceId: w.deviceId,
        checkKey: w.checkKey,
        checkName: w.checkName,
        checkType: w.checkType,
        severity: w.severity,
        state: 'breach',
        at,
        value: w.days,
        message: w.message,
        escalationPolicyId: null,
      });
      this.d.sql.exec(
        `INSERT INTO asset_alerts (device_id, check_key, severity, date, at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(device_id, check_key) DO UPDATE SET severity = excluded.severity, date = excluded.date, at = excluded.at`,
        w.deviceId,
        w.checkKey,
        w.severity,
        w.date,
        at,
      );
    }
    for (const [key, last] of sent) {
      if (keep.has(key)) continue;
      const warranty = last.check_key === WARRANTY_CHECK_KEY;
      await this.d.apply({
        deviceId: last.device_id,
        checkKey: last.check_key,
        checkName: warranty ? 'Warranty' : 'Licence',
        checkType: warranty ? 'asset_warranty' : 'asset_licence',
        severity: last.severity as Severity,
        state: 'clear',
        at: Math.max(now, last.at + 1),
        value: null,
        message: warranty ? 'Warranty renewed or removed: no end within 90 days' : 'Licence renewed or removed, or no longer installed here',
        escalationPolicyId: null,
      });
      this.d.sql.exec('DELETE FROM asset_alerts WHERE device_id = ? AND check_key = ?', last.device_id, last.check_key);
    }
  }

  /** Devices whose coverage (the latest end among their records) ends within 90 days, or has ended. */
  private async warranties(now: number): Promise<Wanted[]> {
    const tenantId = await this.d.tenantId();
    const horizon = addDays(todayUtc(now), WARRANTY_WARN_DAYS);
    const { results } = await this.d.d1
      .prepare(
        `SELECT w.device_id AS deviceId, max(w."end") AS endDate
           FROM device_warranties w JOIN devices d ON d.id = w.device_id AND d.tenant_id = w.tenant_id
          WHERE w.tenant_id = ? AND d.revoked_at IS NULL
          GROUP BY w.device_id
         HAVING max(w."end") <= ?`,
      )
      .bind(tenantId, horizon)
      .all<{ deviceId: string; endDate: string }>();
    return results.map((r) => {
      const days = daysUntil(r.endDate, now);
      return {
        deviceId: r.deviceId,
        checkKey: WARRANTY_CHECK_KEY,
        checkName: 'Warranty',
        checkType: 'asset_warranty',
        severity: warrantySeverity(days),
        date: r.endDate,
        days,
        message: warrantyMessage(r.endDate, days),
      };
    });
  }

  /** For each licence expiring within 30 days (or expired), every device using a seat. */
  private async licences(now: number): Promise<Wanted[]> {
    const tenantId = await this.d.tenantId();
    const horizon = addDays(todayUtc(now), LICENCE_WARN_DAYS);
    const { results } = await this.d.d1
      .prepare(`SELECT id, client_id AS clientId, product, expires, "match" AS matchJson FROM licences WHERE tenant_id = ? AND expires IS NOT NULL AND expires <= ?`)
      .bind(tenantId, horizon)
      .all<{ id: string; clientId: string | null; product: string; expires: string; matchJson: string }>();
    const db = drizzle(this.d.d1, { schema });
    const seats = await seatDeviceIds(db, tenantId, results.map((l) => ({ id: l.id, clientId: l.clientId, match: JSON.parse(l.matchJson) as LicenceMatch })));
    const out: Wanted[] = [];
    for (const l of results) {
      const days = daysUntil(l.expires, now);
      for (const deviceId of seats.get(l.id) ?? []) {
        out.push({
          deviceId,
          checkKey: licenceCheckKey(l.id),
          checkName: `Licence: ${l.product}`,
          checkType: 'asset_licence',
          severity: days <= 0 ? 'critical' : 'warning',
          date: l.expires,
          days,
          message: licenceMessage(l.product, l.expires, days),
        });
      }
    }
    return out;
  }
}
