/*
 * The TenantHub's own SQLite tables. One hub per tenant, so running the idempotent DDL on
 * each start costs nothing worth versioning.
 */
const STATEMENTS = [
  // One row per pending timer (escalation tier, flapping settle, maintenance end…).
  `CREATE TABLE IF NOT EXISTS schedule (
     key TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     due_at INTEGER NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0
   )`,
  `CREATE INDEX IF NOT EXISTS schedule_due ON schedule (due_at)`,
  // Alerts not yet resolved, plus auto-resolved ones for a while (a quick repeat reopens them).
  `CREATE TABLE IF NOT EXISTS active_alerts (
     device_id TEXT NOT NULL,
     check_key TEXT NOT NULL,
     alert_id TEXT NOT NULL UNIQUE,
     data TEXT NOT NULL,
     PRIMARY KEY (device_id, check_key)
   )`,
];

export function ensureTenantTables(sql: SqlStorage): void {
  for (const statement of STATEMENTS) sql.exec(statement);
}
