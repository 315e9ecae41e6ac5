import { eq } from 'drizzle-orm';
import { tenants } from '../../db/schema';
import type { Db } from '../types';
import type { CommandPayload, SignedCommand } from '../../protocol/command';
import { b64, signWithTenantKey } from './crypto';

/**
 * Builds and signs a command with the tenant's Ed25519 key. The signed text is sent as is,
 * so the agent verifies exactly these bytes before it parses anything.
 */
export async function signCommand(
  db: Db,
  env: Env,
  payload: Omit<CommandPayload, 'v' | 'nonce'>,
): Promise<{ signed: SignedCommand; payload: CommandPayload }> {
  const tenant = await db
    .select({ key: tenants.signingPrivateKeyEnc })
    .from(tenants)
    .where(eq(tenants.id, payload.tenantId))
    .get();
  if (!tenant) throw new Error(`tenant ${payload.tenantId} has no signing key`);
  const full = { v: 1, ...payload, nonce: b64(crypto.getRandomValues(new Uint8Array(18))) } as CommandPayload;
  const text = JSON.stringify(full);
  return { signed: { payload: text, sig: await signWithTenantKey(env.TETHER_MASTER_KEY, tenant.key, text) }, payload: full };
}
