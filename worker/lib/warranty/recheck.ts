import type { Context } from 'hono';
import type { AppEnv } from '../../types';
import { tenantHub } from '../hubs';

/**
 * After a warranty or licence changed: the tenant hub judges expiry alerts again now instead of
 * at its next daily run, so a renewal clears its alert at once. In the background: the change
 * is already stored, and the daily run catches up if this call fails.
 */
export function recheckAssetAlerts(c: Context<AppEnv>): void {
  c.executionCtx.waitUntil(
    tenantHub(c.env, c.var.auth.tenantId)
      .checkAssets()
      .catch((err: unknown) => console.error('asset alert recheck failed', err)),
  );
}
