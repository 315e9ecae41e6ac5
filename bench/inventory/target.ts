import type { InventoryStatus } from '../../durable/contracts';
import { startMiniflare, type MiniflareTarget } from '../targets/miniflare';
import type { TargetOptions } from '../targets/target';

/** The Miniflare target of bench/targets/miniflare.ts, read through its control port. */
export interface InventoryTarget extends MiniflareTarget {
  /** SQL on the platform's D1, answered with D1's own meta (rows read/written, duration). */
  sql<T>(sql: string, params?: unknown[]): Promise<{ results: T[]; meta: { duration: number; rows_read: number; rows_written: number } }>;
  /** DeviceHub.getInventoryStatus() of each device. */
  inventoryStatus(deviceIds: string[]): Promise<Record<string, InventoryStatus>>;
}

export async function startInventoryTarget(opts: TargetOptions): Promise<InventoryTarget> {
  const target = await startMiniflare({ ...opts, controlPort: opts.port + 100 });
  return {
    ...target,
    sql: (sql, params = []) => target.control('/sql', { sql, params }),
    inventoryStatus: (deviceIds) => target.control('/inventory-status', { deviceIds }),
  };
}
