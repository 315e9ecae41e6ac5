import { env } from 'cloudflare:test';
import { alerts } from '../db/schema';
import { getDb } from '../worker/lib/db';
import { newId } from '../worker/lib/ids';

/* Service-desk fixtures for server tests. */

/** An open alert row on a device, as the TenantHub would have written it. */
export async function insertAlert(
  tenant: { tenantId: string; clientId: string },
  deviceId: string,
  severity: 'info' | 'warning' | 'critical' = 'warning',
): Promise<string> {
  const id = newId('alr');
  const now = Date.now();
  await getDb(env)
    .insert(alerts)
    .values({
      id,
      tenantId: tenant.tenantId,
      deviceId,
      clientId: tenant.clientId,
      checkKey: `cpu-${id}`,
      checkName: 'CPU high',
      checkType: 'metric',
      severity,
      status: 'open',
      message: 'CPU at 97%',
      value: 97,
      openedAt: now,
      updatedAt: now,
    });
  return id;
}
