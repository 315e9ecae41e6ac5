/*
 * The DeviceHub's own SQLite tables, versioned: each step runs once per hub, in order, and
 * a hub that wakes with a current schema pays one read instead of a round of DDL (which
 * cost a measurable share of CPU when thousands of hubs woke at once).
 */
const V1 = [
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

/** Monitoring: check state, transitions not yet taken by the TenantHub, collector state. */
const V2 = [
  `CREATE TABLE IF NOT EXISTS check_state (key TEXT PRIMARY KEY, state TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS transitions_out (seq INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL)`,
  // Latest report of each slow collector (services, processes, security, smart).
  `CREATE TABLE IF NOT EXISTS state_sections (section TEXT PRIMARY KEY, at INTEGER NOT NULL, data TEXT NOT NULL)`,
  // Recent event-log entries (error and worse), newest kept.
  `CREATE TABLE IF NOT EXISTS device_events (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     ts INTEGER NOT NULL,
     received_at INTEGER NOT NULL,
     level TEXT NOT NULL,
     source TEXT NOT NULL,
     event_id INTEGER,
     message TEXT NOT NULL
   )`,
  // Network throughput and swap in the rollups, for the metric charts.
  `ALTER TABLE metrics_minute ADD COLUMN net_rx_sum REAL NOT NULL DEFAULT 0`,
  `ALTER TABLE metrics_minute ADD COLUMN net_tx_sum REAL NOT NULL DEFAULT 0`,
  `ALTER TABLE metrics_minute ADD COLUMN swap_pct_max REAL NOT NULL DEFAULT 0`,
  `ALTER TABLE metrics_hour ADD COLUMN net_rx_sum REAL NOT NULL DEFAULT 0`,
  `ALTER TABLE metrics_hour ADD COLUMN net_tx_sum REAL NOT NULL DEFAULT 0`,
  `ALTER TABLE metrics_hour ADD COLUMN swap_pct_max REAL NOT NULL DEFAULT 0`,
];

/** Commands: when one first left for the agent, so a cancel never races a delivery. */
const V3 = [`ALTER TABLE commands ADD COLUMN sent_at INTEGER`];

/**
 * Inventory: the snapshot the hub holds (so a diff never reads D1), parts of the next one
 * still arriving, and what D1 does not reflect yet (retried by the `inventory_sync` job).
 */
const V4 = [
  // One row: the held snapshot's hash, os and hardware, and the refused-frame counter.
  `CREATE TABLE IF NOT EXISTS inventory (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     hash TEXT,
     collected_at INTEGER,
     updated_at INTEGER,
     os TEXT,
     hardware TEXT,
     -- generation of the last apply whose device_inventory row D1 lacks; 0: in step
     row_dirty INTEGER NOT NULL DEFAULT 0,
     -- rows D1 reported written for this device's inventory, all time (what a diff saves shows here)
     d1_rows_written INTEGER NOT NULL DEFAULT 0,
     rejected_count INTEGER NOT NULL DEFAULT 0,
     rejected_at INTEGER,
     rejected_reason TEXT
   )`,
  `INSERT OR IGNORE INTO inventory (id) VALUES (1)`,
  // The held software items: softwareKey → canonical item JSON.
  `CREATE TABLE IF NOT EXISTS inventory_items (key TEXT PRIMARY KEY, item TEXT NOT NULL)`,
  // Parts of the snapshot being received; only one hash at a time.
  `CREATE TABLE IF NOT EXISTS inventory_stage (hash TEXT NOT NULL, part INTEGER NOT NULL, frame TEXT NOT NULL, PRIMARY KEY (hash, part))`,
  // Software rows D1 does not reflect yet (upsert if held, else delete), by apply generation.
  `CREATE TABLE IF NOT EXISTS inventory_dirty (key TEXT PRIMARY KEY, gen INTEGER NOT NULL, at INTEGER NOT NULL)`,
  // Change records not yet in D1 (ids fixed when made, so a retry inserts each once).
  `CREATE TABLE IF NOT EXISTS inventory_changes_out (id TEXT PRIMARY KEY, row TEXT NOT NULL)`,
];

/** Exported for the upgrade test. */
export const STEPS = [V1, V2, V3, V4];
export const DEVICE_SCHEMA_VERSION = STEPS.length;
const VERSION_KEY = 'schemaVersion';

function currentVersion(sql: SqlStorage): number {
  const hasMeta = sql.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'`).toArray().length > 0;
  if (!hasMeta) return 0;
  const row = sql.exec<{ v: string }>('SELECT v FROM meta WHERE k = ?', VERSION_KEY).toArray()[0];
  // Hubs created before versioning have the first step's tables and no version row.
  return row ? Number(JSON.parse(row.v)) : 1;
}

export function ensureDeviceTables(storage: DurableObjectStorage): void {
  const sql = storage.sql;
  const from = currentVersion(sql);
  if (from >= DEVICE_SCHEMA_VERSION) return;
  storage.transactionSync(() => {
    for (const step of STEPS.slice(from)) for (const statement of step) sql.exec(statement);
    sql.exec(
      'INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v',
      VERSION_KEY,
      JSON.stringify(DEVICE_SCHEMA_VERSION),
    );
  });
}
