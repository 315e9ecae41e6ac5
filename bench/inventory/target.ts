import { join } from 'node:path';
import { ROOT, applyMigrations, ensureDevVars, nodeBinary, waitFor } from '../../scripts/lib/platform';
import { recentLog, startLong, stop } from '../../scripts/lib/processes';
import { processTree } from '../procs';
import { snapshot } from '../targets/snapshot';
import { freshStateDir, removeStateDir, requireBuiltAssets } from '../targets/state-dir';
import type { Target, TargetOptions } from '../targets/target';
import { prepareTenant } from '../targets/tenant';

/** The Miniflare target of bench/targets/miniflare.ts, with the control port of ./host.ts. */
export interface InventoryTarget extends Target {
  /** SQL on the platform's D1, answered with D1's own meta (rows read/written, duration). */
  sql<T>(sql: string, params?: unknown[]): Promise<{ results: T[]; meta: { duration: number; rows_read: number; rows_written: number } }>;
  /** DeviceHub.getInventoryStatus() of each device. */
  inventoryStatus(deviceIds: string[]): Promise<Record<string, { hash: string | null; d1RowsWritten: number }>>;
}

export async function startInventoryTarget(opts: TargetOptions): Promise<InventoryTarget> {
  requireBuiltAssets();
  ensureDevVars();
  const stateDir = freshStateDir(`inventory-${opts.port}`);
  const frozen = await snapshot(stateDir);
  await applyMigrations(stateDir);
  const controlPort = opts.port + 100;
  const host = join(ROOT, 'bench/inventory/host.ts');
  const args = ['--import', 'tsx', host, '--port', String(opts.port), '--control', String(controlPort), '--persist', stateDir];
  args.push('--script', frozen.script, '--assets', frozen.assets, '--heartbeat', String(opts.heartbeatSeconds));
  const child = startLong('miniflare', nodeBinary(), args, { cwd: ROOT, quiet: true });
  const url = `http://127.0.0.1:${opts.port}`;
  const control = async <T>(path: string, body: unknown): Promise<T> => {
    const res = await fetch(`http://127.0.0.1:${controlPort}${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`control ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  try {
    await waitFor(async () => (await fetch(`${url}/api/v1/health`)).ok, 120_000, () => {
      if (child.exitCode !== null) throw new Error(`inventory host exited:\n${recentLog(child).slice(-3000)}`);
    });
    const tenant = await prepareTenant(url, opts.maxDevices);
    return {
      name: 'miniflare',
      url,
      ...tenant,
      bundle: frozen.script,
      processes: () => processTree(child.pid!),
      recentOutput: () => recentLog(child),
      isRuntime: (p) => p.comm === 'workerd',
      sql: (sql, params = []) => control('/sql', { sql, params }),
      inventoryStatus: (deviceIds) => control('/inventory-status', { deviceIds }),
      async close() {
        await stop(child);
        if (!opts.keepState) removeStateDir(stateDir);
      },
    };
  } catch (err) {
    await stop(child);
    removeStateDir(stateDir);
    throw err;
  }
}
