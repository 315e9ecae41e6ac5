import { env } from 'cloudflare:test';
import { drizzle } from 'drizzle-orm/d1';
import { eq } from 'drizzle-orm';
import * as schema from '../../db/schema';
import type { QueuedCommand } from '../contracts';
import type { HelloFrame, HeartbeatFrame } from '../../protocol/agent-frames';
import type { MetricsSample } from '../../protocol/metrics';

/* Test data for the hubs: real rows in the test's D1, unique per call so tests never share. */

export const db = () => drizzle(env.DB, { schema });

let counter = 0;
export const uid = (prefix: string) => `${prefix}_${Date.now().toString(36)}${(counter++).toString(36)}${crypto.randomUUID().slice(0, 8)}`;

export interface Fleet {
  tenantId: string;
  clientIds: string[];
  siteIds: string[];
}

/** A tenant with `clients` clients, one site each. */
export async function seedTenant(clients = 1): Promise<Fleet> {
  const now = Date.now();
  const tenantId = uid('ten');
  await db().insert(schema.tenants).values({ id: tenantId, name: 'MSP', createdAt: now, signingPublicKey: 'pk', signingPrivateKeyEnc: 'sk' });
  const clientIds: string[] = [];
  const siteIds: string[] = [];
  for (let i = 0; i < clients; i++) {
    const clientId = uid('cli');
    const siteId = uid('sit');
    await db().insert(schema.clients).values({ id: clientId, tenantId, name: `Client ${i}`, createdAt: now });
    await db().insert(schema.sites).values({ id: siteId, tenantId, clientId, name: 'HQ', createdAt: now });
    clientIds.push(clientId);
    siteIds.push(siteId);
  }
  return { tenantId, clientIds, siteIds };
}

export async function seedDevice(fleet: Fleet, clientIndex = 0): Promise<{ deviceId: string; tenantId: string; clientId: string }> {
  const deviceId = uid('dev');
  const clientId = fleet.clientIds[clientIndex];
  await db()
    .insert(schema.devices)
    .values({
      id: deviceId,
      tenantId: fleet.tenantId,
      clientId,
      siteId: fleet.siteIds[clientIndex],
      hostname: 'enrolled-name',
      osPlatform: 'linux',
      osName: 'Debian',
      osVersion: '12',
      arch: 'x64',
      agentVersion: '0.0.1',
      tokenHash: uid('hash'),
      status: 'offline',
      enrolledAt: Date.now(),
    });
  return { deviceId, tenantId: fleet.tenantId, clientId };
}

export async function deviceRow(deviceId: string) {
  return db().select().from(schema.devices).where(eq(schema.devices.id, deviceId)).get();
}

export async function commandRow(commandId: string) {
  return db().select().from(schema.commands).where(eq(schema.commands.id, commandId)).get();
}

/** A queued command plus its D1 row, as the Worker would create them. */
export async function seedCommand(device: { deviceId: string; tenantId: string }, ttlMs = 3600_000): Promise<QueuedCommand> {
  const now = Date.now();
  const id = uid('cmd');
  await db().insert(schema.commands).values({
    id,
    tenantId: device.tenantId,
    deviceId: device.deviceId,
    type: 'run_script',
    params: { interpreter: 'sh' },
    status: 'queued',
    createdBy: 'usr_test',
    createdAt: now,
    expiresAt: now + ttlMs,
  });
  // Signature bytes are opaque to the hub: it stores and forwards them untouched.
  return { id, type: 'run_script', signed: { payload: JSON.stringify({ id }), sig: `${'A'.repeat(86)}==` }, createdAt: now, expiresAt: now + ttlMs };
}

export function sample(over: Partial<MetricsSample> = {}): MetricsSample {
  return {
    ts: Date.now(),
    cpuPercent: 12.5,
    memTotalBytes: 8e9,
    memUsedBytes: 2e9,
    volumes: [{ mount: '/', sizeBytes: 100e9, usedBytes: 40e9 }],
    uptimeSeconds: 1000,
    users: ['alice'],
    ipAddresses: ['10.0.0.5'],
    ...over,
  };
}

export const hello = (over: Partial<HelloFrame> = {}): HelloFrame => ({
  t: 'hello',
  agentVersion: '1.2.3',
  hostname: 'web-01',
  os: { platform: 'linux', distro: 'Debian GNU/Linux', release: '12', kernel: '6.1.0', arch: 'x64' },
  ...over,
});

export const hb = (seq: number, m: Partial<MetricsSample> = {}): HeartbeatFrame => ({ t: 'hb', seq, m: sample(m) });
