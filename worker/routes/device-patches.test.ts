import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import { beforeAll, describe, expect, it } from 'vitest';
import { devicePatches, patchPolicies, patchScans } from '../../db/deploy-schema';
import { DevicePatches } from '../../protocol/api/patches';
import { patchKey } from '../../protocol/patches';
import { getDb } from '../lib/db';
import { addUser, api, createTenantDirect, insertDevice, type DirectTenant } from '../../test/support';

/* GET /devices/:id/patches, and what a retired device or a deleted client leaves behind. */

const db = () => getDb(env);

let t: DirectTenant;

async function scanned(deviceId: string, names: string[]) {
  const now = Date.now();
  await db().insert(patchScans).values({ deviceId, tenantId: t.tenantId, scannedAt: now, sources: ['apt'], errors: ['dnf: not installed'], rebootPending: true, missing: names.length });
  await db()
    .insert(devicePatches)
    .values(
      names.map((name, i) => ({
        tenantId: t.tenantId,
        deviceId,
        key: patchKey('apt', name, '2.0'),
        source: 'apt',
        name,
        title: `<b>${name}</b>`,
        installedVersion: '1.0',
        availableVersion: '2.0',
        classification: 'security' as const,
        severity: i === 0 ? 'low' : 'critical',
        cves: ['CVE-2025-0001'],
        advisory: 'DSA-1',
        rebootRequired: i === 1,
        sizeBytes: 10,
        releasedAt: null,
        firstSeenAt: now,
      })),
    );
}

beforeAll(async () => {
  t = await createTenantDirect('Device patch MSP');
});

describe('GET /devices/:id/patches', () => {
  it('answers the last scan and its updates, most severe first, agent text as given', async () => {
    const id = await insertDevice(t);
    await scanned(id, ['zlib', 'bash']);
    const res = await api(t, 'GET', `/devices/${id}/patches`);
    expect(res.status).toBe(200);
    const view = v.parse(DevicePatches, res.body);
    expect(view).toMatchObject({ errors: ['dnf: not installed'], rebootPending: true });
    expect(view.items.map((i) => [i.name, i.severity, i.title, i.rebootRequired, i.approval])).toEqual([
      ['bash', 'critical', '<b>bash</b>', true, 'pending'],
      ['zlib', 'low', '<b>zlib</b>', false, 'pending'],
    ]);
    const portal = await addUser(t, 'client', [t.clientId]);
    expect((await api(portal, 'GET', `/devices/${id}/patches`)).status).toBe(403);
  });

  it('a retired device’s patch rows and scan go with it', async () => {
    const id = await insertDevice(t);
    await scanned(id, ['curl']);
    expect((await api(t, 'DELETE', `/devices/${id}`)).status).toBe(204);
    expect(await db().select().from(devicePatches).where(eq(devicePatches.deviceId, id)).all()).toEqual([]);
    expect(await db().select().from(patchScans).where(eq(patchScans.deviceId, id)).all()).toEqual([]);
  });

  it('a deleted client’s own policy goes with it', async () => {
    const client = await api(t, 'POST', '/clients', { name: 'Short-lived' });
    const put = await api(t, 'PUT', `/patches/policies/${client.body.id}`, { policy: { rules: {}, otherwise: { action: 'decline' } } });
    expect(put.status).toBe(200);
    expect((await api(t, 'DELETE', `/clients/${client.body.id}`)).status).toBe(204);
    expect(await db().select().from(patchPolicies).where(eq(patchPolicies.clientId, client.body.id)).all()).toEqual([]);
  });
});
