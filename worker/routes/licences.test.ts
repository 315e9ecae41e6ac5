import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, bootstrapTenant, insertDevice, ORIGIN, type BootstrappedTenant } from '../../test/support';
import { auditActions } from '../../test/checks';
import { secondClientAndLimitedUser, type ClientScope } from '../../test/client-scope';
import { deb, seedInventory } from '../../test/inventory-seed';
import { addDays, todayUtc } from '../lib/warranty/coverage';

let t: BootstrappedTenant;
let other: ClientScope['other'];
let limited: ClientScope['limited'];

beforeAll(async () => {
  t = await bootstrapTenant();
  ({ other, limited } = await secondClientAndLimitedUser(t));
});

const KEY = 'AAAAA-BBBBB-CCCCC-DDDDD-9XK2';
const uniq = () => crypto.randomUUID().slice(0, 8);

/** A device of `where` with the given software installed. */
async function withSoftware(where: { clientId: string; siteId: string }, items: ReturnType<typeof deb>[], fields: Record<string, unknown> = {}) {
  const id = await insertDevice({ tenantId: t.tenantId, ...where }, fields);
  await seedInventory(t, id, { software: items });
  return id;
}

describe('licences', () => {
  it('creates a licence with a sealed key, shows only its hint, and reveals it to admins with an audit row', async () => {
    const product = `Office ${uniq()}`;
    const created = await api(t, 'POST', '/licences', { product, vendor: 'Microsoft', clientId: t.clientId, seats: 5, key: KEY, expires: addDays(todayUtc(), 40), match: { name: product } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      product,
      vendor: 'Microsoft',
      clientId: t.clientId,
      clientName: expect.any(String),
      seats: 5,
      keyHint: '9XK2',
      daysLeft: 40,
      match: { name: product, exact: false },
      notes: null,
      compliance: { installed: 0, seats: 5, overDeployed: 0, unusedSeats: 5, status: 'unused_seats' },
    });
    const id: string = created.body.id;
    expect(id).toMatch(/^lic_/);
    for (const path of [`/licences/${id}`, '/licences', '/licences.csv']) {
      const res = await SELF.fetch(`${ORIGIN}/api/v1${path}`, { headers: t.headers });
      expect(await res.text()).not.toContain('DDDDD');
    }
    const stored = await env.DB.prepare('SELECT key_enc AS enc FROM licences WHERE id = ?').bind(id).first<{ enc: string }>();
    expect(stored!.enc).toMatch(/^v1\./);

    const tech = await addUser(t, 'technician');
    expect((await api(tech, 'GET', `/licences/${id}/key`)).status).toBe(403);
    const revealed = await api(t, 'GET', `/licences/${id}/key`);
    expect(revealed.body).toEqual({ key: KEY });

    const patched = await api(t, 'PATCH', `/licences/${id}`, { seats: 7, key: null, notes: 'renewed' });
    expect(patched.body).toMatchObject({ seats: 7, keyHint: null, notes: 'renewed' });
    expect((await api(t, 'GET', `/licences/${id}/key`)).body).toEqual({ key: null });
    const details = await env.DB.prepare(`SELECT detail FROM audit_log WHERE target_id = ?`).bind(id).all<{ detail: string }>();
    expect(details.results.map((r) => r.detail).join('\n')).not.toContain('DDDDD');

    expect((await api(tech, 'DELETE', `/licences/${id}`)).status).toBe(403);
    expect((await api(t, 'DELETE', `/licences/${id}`)).status).toBe(204);
    expect((await api(t, 'GET', `/licences/${id}`)).status).toBe(404);
    expect(await auditActions(id)).toEqual(['licence.create', 'licence.key_reveal', 'licence.update', 'licence.key_reveal', 'licence.delete']);
  });

  it('counts the devices using a seat by name, publisher and minimum version, within its client or the whole tenant', async () => {
    const name = `zoomish-${uniq()}`;
    const matchA = await withSoftware(t, [deb(name, '5.17.1', { publisher: 'Zoom Video' }), deb(`${name}-helper`, '5.17.1', { publisher: 'Zoom Video' })]);
    const oldA = await withSoftware(t, [deb(name, '4.9', { publisher: 'Zoom Video' })]);
    await withSoftware(t, [deb(name, '6.0', { publisher: 'Someone Else' })]);
    const matchOther = await withSoftware(other, [deb(name.toUpperCase(), '10.0', { publisher: 'ZOOM VIDEO' })]);
    await withSoftware(t, [deb(name, '6.0', { publisher: 'Zoom Video' })], { revokedAt: Date.now() });

    const make = async (body: Record<string, unknown>) => (await api(t, 'POST', '/licences', { product: name, seats: 1, ...body })).body;
    const scoped = await make({ clientId: t.clientId, match: { name, publisher: 'zoom', minVersion: '5.10' } });
    expect(scoped.compliance).toEqual({ installed: 1, seats: 1, overDeployed: 0, unusedSeats: 0, status: 'compliant' });
    const wide = await make({ match: { name, publisher: 'zoom' } });
    expect(wide.compliance).toEqual({ installed: 3, seats: 1, overDeployed: 2, unusedSeats: 0, status: 'over_deployed' });
    const exact = await make({ match: { name, exact: true } });
    expect(exact.compliance.installed).toBe(4);

    const devices = await api(t, 'GET', `/licences/${wide.id}/devices`);
    expect(devices.body.items.map((d: { deviceId: string }) => d.deviceId).sort()).toEqual([matchA, oldA, matchOther].sort());
    const first = devices.body.items.find((d: { deviceId: string }) => d.deviceId === matchOther);
    expect(first).toMatchObject({ clientId: other.clientId, software: name.toUpperCase(), version: '10.0' });
    const paged = await api(t, 'GET', `/licences/${wide.id}/devices?limit=2`);
    const rest = await api(t, 'GET', `/licences/${wide.id}/devices?limit=2&cursor=${paged.body.nextCursor}`);
    expect([...paged.body.items, ...rest.body.items]).toEqual(devices.body.items);
    expect(rest.body.nextCursor).toBeNull();

    // A limited user sees tenant-wide licences, but only its own clients' devices in them.
    const mine = await api(limited, 'GET', `/licences/${wide.id}/devices`);
    expect(mine.body.items.map((d: { deviceId: string }) => d.deviceId).sort()).toEqual([matchA, oldA].sort());
  });

  it('limits technicians with a client list to their clients and tenant-wide licences', async () => {
    const tag = `scope-${uniq()}`;
    const mine = (await api(t, 'POST', '/licences', { product: `${tag} mine`, clientId: t.clientId, seats: 1, match: { name: tag } })).body;
    const theirs = (await api(t, 'POST', '/licences', { product: `${tag} theirs`, clientId: other.clientId, seats: 1, match: { name: tag } })).body;
    const wide = (await api(t, 'POST', '/licences', { product: `${tag} wide`, seats: 1, match: { name: tag } })).body;
    const listed = (await api(limited, 'GET', `/licences?q=${tag}`)).body.items.map((l: { id: string }) => l.id);
    expect(listed).toEqual([mine.id, wide.id]);
    expect((await api(t, 'GET', `/licences?q=${tag}`)).body.items).toHaveLength(3);
    expect((await api(t, 'GET', `/licences?q=${tag}&clientId=${other.clientId}`)).body.items.map((l: { id: string }) => l.id)).toEqual([theirs.id]);
    expect((await api(limited, 'GET', `/licences/${theirs.id}`)).status).toBe(404);
    expect((await api(limited, 'PATCH', `/licences/${theirs.id}`, { seats: 9 })).status).toBe(404);
    expect((await api(limited, 'GET', `/licences/${theirs.id}/devices`)).status).toBe(404);
    // Moving its own licence to a client it cannot see reads as an unknown client.
    expect((await api(limited, 'PATCH', `/licences/${mine.id}`, { clientId: other.clientId })).status).toBe(400);
    expect((await api(limited, 'POST', '/licences', { product: 'x', clientId: other.clientId, seats: 1, match: { name: 'x' } })).status).toBe(400);
    expect((await api(limited, 'POST', '/licences', { product: 'x', seats: 1, match: { name: 'x' } })).status).toBe(403);
    expect((await api(limited, 'POST', '/licences', { product: 'x', clientId: t.clientId, seats: 1, match: { name: 'x' } })).status).toBe(201);
    expect(await auditActions(theirs.id)).toEqual(['licence.create']);
  });

  it('refuses invalid input', async () => {
    const bad = async (body: Record<string, unknown>) => (await api(t, 'POST', '/licences', { product: 'P', seats: 1, match: { name: 'p' }, ...body })).status;
    expect(await bad({ seats: -1 })).toBe(400);
    expect(await bad({ seats: 1.5 })).toBe(400);
    expect(await bad({ product: '' })).toBe(400);
    expect(await bad({ match: { name: '' } })).toBe(400);
    expect(await bad({ match: undefined })).toBe(400);
    expect(await bad({ expires: '2027-13-01' })).toBe(400);
    expect(await bad({ clientId: 'cli_nope' })).toBe(400);
    expect((await api(t, 'PATCH', '/licences/lic_nope', { seats: 2 })).status).toBe(404);
    expect((await api(t, 'GET', '/licences?limit=0')).status).toBe(400);
    const readonly = await addUser(t, 'readonly');
    expect((await api(readonly, 'POST', '/licences', { product: 'P', seats: 1, match: { name: 'p' } })).status).toBe(403);
  });

  it('exports licences with compliance as formula-safe CSV', async () => {
    const tag = `csv${uniq()}`;
    await api(t, 'POST', '/licences', { product: `=cmd|' /C calc'!A0 ${tag}`, vendor: '+Vendor', seats: 2, key: 'KEY-1234', expires: '2030-01-31', match: { name: tag } });
    const res = await api(t, 'GET', `/licences.csv?q=${tag}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = (res.body as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe('licence_id,product,vendor,client,seats,installed,over_deployed,unused_seats,status,expires,days_left,key_hint');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^lic_\\w+,'=cmd\\|' /C calc'!A0 ${tag},'\\+Vendor,All clients,2,0,0,2,unused_seats,2030-01-31,\\d+,1234$`));
  });
});
