import { env, runInDurableObject } from 'cloudflare:test';
import type { DeviceChecksPush } from '../durable/contracts';
import type { SignedCommand } from '../protocol/command';
import type { Assignment } from '../protocol/api/check-sets';
import { api, type Auth } from './support';

/*
 * Fixtures for the monitoring configuration tests: check definitions, check sets and
 * assignments through the API, and what a device's hub last received.
 */

export const cpuCheck = (key: string, threshold: number, over: Record<string, unknown> = {}) => ({
  key,
  name: `CPU above ${threshold}`,
  severity: 'warning',
  type: 'metric',
  metric: 'cpu',
  threshold,
  ...over,
});

export const serviceCheck = (key: string, service: string, over: Record<string, unknown> = {}) => ({
  key,
  name: `Service ${service}`,
  severity: 'critical',
  type: 'service',
  service,
  ...over,
});

export const scriptCheck = (key: string, script: string, over: Record<string, unknown> = {}) => ({
  key,
  name: `Script ${key}`,
  severity: 'warning',
  type: 'script',
  interpreter: 'sh',
  script,
  ...over,
});

export async function createSet(auth: Auth, checks: unknown[], extra: Record<string, unknown> = {}): Promise<string> {
  const res = await api(auth, 'POST', '/check-sets', { name: `Set ${crypto.randomUUID().slice(0, 6)}`, checks, ...extra });
  if (res.status !== 201) throw new Error(`create set: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export async function assign(auth: Auth, checkSetId: string, scopeType: string, scopeId?: string | null) {
  const res = await api(auth, 'POST', '/check-set-assignments', { checkSetId, scopeType, ...(scopeId !== undefined ? { scopeId } : {}) });
  if (res.status !== 201) throw new Error(`assign: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Assignment & { recompile: { devices: number; deferred: boolean } };
}

export const hubStub = (deviceId: string) => env.DEVICE_HUB.get(env.DEVICE_HUB.idFromName(deviceId));

/** The checks a device's hub last accepted (its `meta` row), or null if it never got any. */
export async function hubChecks(deviceId: string): Promise<DeviceChecksPush | null> {
  return runInDurableObject(hubStub(deviceId), (_obj, state) => {
    const row = state.storage.sql.exec<{ v: string }>("SELECT v FROM meta WHERE k = 'checks'").toArray()[0];
    return row ? (JSON.parse(row.v) as DeviceChecksPush) : null;
  });
}

/** The stored compiled row of a device. */
export async function storedChecks(deviceId: string) {
  const row = await env.DB.prepare('SELECT version, checks, compiled_at FROM device_checks WHERE device_id = ?').bind(deviceId).first<{ version: string; checks: string; compiled_at: number }>();
  return row ? { version: row.version, checks: JSON.parse(row.checks) as { key: string; setId: string }[], compiledAt: row.compiled_at } : null;
}

/** Keys of the effective checks stored for a device, in order. */
export async function storedKeys(deviceId: string): Promise<string[]> {
  return ((await storedChecks(deviceId))?.checks ?? []).map((c) => c.key);
}

/** Verifies a signed config with the tenant's public key, as the agent does (Ed25519 over the exact payload bytes). */
export async function verifiesWithTenantKey(tenantId: string, signed: SignedCommand): Promise<boolean> {
  const tenant = await env.DB.prepare('SELECT signing_public_key AS pk FROM tenants WHERE id = ?').bind(tenantId).first<{ pk: string }>();
  if (!tenant) throw new Error('no tenant');
  const raw = Uint8Array.from(atob(tenant.pk), (ch) => ch.charCodeAt(0));
  const key = await crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
  const sig = Uint8Array.from(atob(signed.sig), (ch) => ch.charCodeAt(0));
  return crypto.subtle.verify({ name: 'Ed25519' }, key, sig, new TextEncoder().encode(signed.payload));
}

export const auditActions = async (targetId: string) =>
  (await env.DB.prepare('SELECT action FROM audit_log WHERE target_id = ? ORDER BY id').bind(targetId).all<{ action: string }>()).results.map((r) => r.action);
