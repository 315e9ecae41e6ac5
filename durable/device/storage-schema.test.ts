import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { deviceHub } from '../testing/sockets';
import { uid } from '../testing/fixtures';
import { DEVICE_SCHEMA_VERSION, STEPS, ensureDeviceTables } from './storage-schema';

describe('DeviceHub storage schema', () => {
  it('upgrades a hub made before versioning, keeping its data, and then costs no DDL', async () => {
    await runInDurableObject(deviceHub(uid('dev')), (_obj, state) => {
      const sql = state.storage.sql;
      // Back to what a first-release hub had: the first step's tables, no version row.
      const tables = sql.exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name != 'sqlite_sequence'`).toArray();
      for (const t of tables) sql.exec(`DROP TABLE ${t.name}`);
      for (const statement of STEPS[0]!) sql.exec(statement);
      sql.exec(`INSERT INTO metrics_minute (minute, n, cpu_sum, cpu_max, mem_used_sum, mem_total, disk_max_pct, last_ts, last_sample) VALUES (60000, 1, 5, 5, 1, 2, 3, 60000, '{}')`);

      ensureDeviceTables(state.storage);
      const row = sql.exec('SELECT minute, cpu_sum, net_rx_sum, swap_pct_max FROM metrics_minute').one();
      expect(row).toEqual({ minute: 60000, cpu_sum: 5, net_rx_sum: 0, swap_pct_max: 0 });
      expect(sql.exec(`SELECT v FROM meta WHERE k = 'schemaVersion'`).one().v).toBe(String(DEVICE_SCHEMA_VERSION));
      expect(sql.exec(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'check_state'`).one().n).toBe(1);

      // Current already: a second call must not try the ALTERs again (they would throw).
      expect(() => ensureDeviceTables(state.storage)).not.toThrow();
    });
  });
});
