/*
 * The DeviceHub's own SQLite tables. Created idempotently on every start so a hub that
 * wakes from hibernation (or an older hub after a deploy) always finds them.
 */
const STATEMENTS = [
  // Identity and slowly changing facts (hostname, reported status, ip set): key → JSON.
  `CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)`,
  // One row per pending job; the single alarm is always set to the earliest due_at.
  `CREATE TABLE IF NOT EXISTS schedule (
     key TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     due_at INTEGER NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0
   )`,
  `CREATE INDEX IF NOT EXISTS schedule_due ON schedule (due_at)`,
  // A heartbeat touches exactly one row here (bucketed by server time, not agent clock).
  `CREATE TABLE IF NOT EXISTS metrics_minute (
     minute INTEGER PRIMARY KEY,
     n INTEGER NOT NULL,
     cpu_sum REAL NOT NULL,
     cpu_max REAL NOT NULL,
     mem_used_sum REAL NOT NULL,
     mem_total REAL NOT NULL,
     disk_max_pct REAL NOT NULL,
     last_ts INTEGER NOT NULL,
     last_sample TEXT NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS metrics_hour (
     hour INTEGER PRIMARY KEY,
     n INTEGER NOT NULL,
     cpu_sum REAL NOT NULL,
     cpu_max REAL NOT NULL,
     mem_used_sum REAL NOT NULL,
     mem_total REAL NOT NULL,
     disk_max_pct REAL NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS commands (
     id TEXT PRIMARY KEY,
     type TEXT NOT NULL,
     signed TEXT NOT NULL,
     status TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     delivered_at INTEGER,
     finished_at INTEGER,
     exit_code INTEGER,
     duration_ms REAL,
     truncated INTEGER NOT NULL DEFAULT 0,
     -- 1 when the hub itself cut the output at the cap (and so owes the marker)
     cut INTEGER NOT NULL DEFAULT 0,
     error TEXT,
     output_bytes INTEGER NOT NULL DEFAULT 0
   )`,
  `CREATE INDEX IF NOT EXISTS commands_status ON commands (status, expires_at)`,
  `CREATE TABLE IF NOT EXISTS output (
     command_id TEXT NOT NULL,
     seq INTEGER NOT NULL,
     stream TEXT NOT NULL,
     data TEXT NOT NULL,
     PRIMARY KEY (command_id, seq)
   )`,
  // Frame ids already applied, so a resent durable frame is acknowledged, not re-applied.
  `CREATE TABLE IF NOT EXISTS seen_fids (fid INTEGER PRIMARY KEY, at INTEGER NOT NULL)`,
];

export function ensureDeviceTables(sql: SqlStorage): void {
  for (const statement of STATEMENTS) sql.exec(statement);
}
