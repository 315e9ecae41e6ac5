import { env } from 'cloudflare:test';
import * as v from 'valibot';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, createTenantDirect, insertDevice, type DirectTenant } from '../../test/support';
import { deb, debianOs, hardware, seedChange, seedInventory } from '../../test/inventory-seed';
import { CycloneDxBom } from '../lib/inventory/sbom';
import { hello } from '../../durable/testing/fixtures';
import { connectAgent } from '../../durable/testing/sockets';
import { ChangePage, DeviceInventoryView, SoftwarePage } from '../../protocol/api/inventory';

/*
 * One device's inventory: the view (with its OS end of life), the software list and its
 * CSV, the change history and its CSV, and the CycloneDX SBOM.
 */

let t: DirectTenant;
let deviceId: string;
let bare: string;

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-01T10:00:00Z');

beforeAll(async () => {
  t = await createTenantDirect('Inventory MSP');
  deviceId = await insertDevice(t, { hostname: 'ws-01' });
  bare = await insertDevice(t, { hostname: 'ws-02' });
  await seedInventory(t, deviceId, {
    os: debianOs('10'),
    hardware: hardware({ ramGb: 8 }),
    software: [
      deb('openssl', '3.0.11-1~deb12u2', { sizeBytes: 2_000_000, installedAt: Date.parse('2025-01-01T00:00:00Z') }),
      deb('curl', '7.88.1-10+deb12u5', { sizeBytes: 500_000, installedAt: Date.parse('2025-06-01T00:00:00Z') }),
      deb('libcurl4', '7.88.1-10+deb12u5', { sizeBytes: 900_000, installedAt: null }),
      deb('=HYPERLINK("http://evil")', '1.0', { publisher: '+cmd', sizeBytes: null }),
      { name: 'Firefox', version: '128.0', publisher: 'Mozilla', installedAt: null, sizeBytes: 250_000_000, source: 'flatpak', arch: null },
    ],
  });
  await seedChange(t, deviceId, { at: T0, kind: 'software_added', subject: 'curl', source: 'dpkg', toValue: '7.88.1-10+deb12u4' });
  await seedChange(t, deviceId, { at: T0 + DAY, kind: 'software_updated', subject: 'curl', source: 'dpkg', fromValue: '7.88.1-10+deb12u4', toValue: '7.88.1-10+deb12u5' });
  await seedChange(t, deviceId, { at: T0 + 2 * DAY, kind: 'hardware_changed', subject: 'memory.totalBytes', fromValue: '4000000000', toValue: '8000000000' });
  await seedChange(t, deviceId, { at: T0 + 3 * DAY, kind: 'software_removed', subject: '@SUM(A1)', source: 'dpkg', fromValue: '1' });
});

describe('GET /devices/:id/inventory', () => {
  it('answers the os, hardware, software count and end of life of the reported OS', async () => {
    const res = await api(t, 'GET', `/devices/${deviceId}/inventory`);
    expect(res.status).toBe(200);
    const view = v.parse(DeviceInventoryView, res.body);
    expect(view.inventory).toMatchObject({ softwareCount: 5, os: { name: 'Debian GNU/Linux', version: '10' }, hardware: { memory: { totalBytes: 8e9 } } });
    // Debian 10: security support ended 2022, LTS 2024.
    expect(view.osEndOfLife).toMatchObject({ product: 'debian', cycle: '10 buster', isEol: true });
    expect(view.osEndOfLife!.eol).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(view.rejected).toEqual({ count: 0, lastAt: null, lastReason: null });
  });

  it('reports the inventory frames the device hub refused', async () => {
    const id = await insertDevice(t, { hostname: 'ws-sender' });
    const agent = await connectAgent({ deviceId: id, tenantId: t.tenantId, clientId: t.clientId });
    try {
      agent.send(hello());
      agent.send({ t: 'inv', fid: 7001, hash: 'not-a-hash', base: null, part: 0, parts: 1, collectedAt: 1, upsert: [], remove: [] });
      await agent.next('inv_reject');
      const res = await api(t, 'GET', `/devices/${id}/inventory`);
      expect(res.status).toBe(200);
      expect(res.body.inventory).toBeNull();
      expect(res.body.rejected).toEqual({ count: 1, lastAt: expect.any(Number), lastReason: expect.stringContaining('hash') });
    } finally {
      agent.close();
    }
  });

  it('answers null inventory for a device that has not reported one, and 404 for a foreign device', async () => {
    const res = await api(t, 'GET', `/devices/${bare}/inventory`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ inventory: null, osEndOfLife: null, rejected: { count: 0, lastAt: null, lastReason: null } });
    const other = await createTenantDirect();
    expect((await api(other, 'GET', `/devices/${deviceId}/inventory`)).status).toBe(404);
    const limited = await addUser(t, 'readonly', [(await api(t, 'POST', '/clients', { name: 'Elsewhere' })).body.id]);
    expect((await api(limited, 'GET', `/devices/${deviceId}/software`)).status).toBe(404);
    expect((await api(limited, 'GET', `/devices/${deviceId}/changes`)).status).toBe(404);
    expect((await api(limited, 'GET', `/devices/${deviceId}/sbom`)).status).toBe(404);
  });
});

describe('GET /devices/:id/software', () => {
  const names = (body: unknown) => v.parse(SoftwarePage, body).items.map((i) => i.name);

  it('lists by name, case-insensitively, with keys and first-seen times', async () => {
    const res = await api(t, 'GET', `/devices/${deviceId}/software`);
    expect(res.status).toBe(200);
    expect(names(res.body)).toEqual(['=HYPERLINK("http://evil")', 'curl', 'Firefox', 'libcurl4', 'openssl']);
    expect(res.body.items[1]).toMatchObject({ key: 'dpkg:curl:amd64', version: '7.88.1-10+deb12u5', source: 'dpkg', arch: 'amd64' });
    expect(typeof res.body.items[1].firstSeenAt).toBe('number');
  });

  it('searches name and publisher, filters by source and sorts by size and install date', async () => {
    expect(names((await api(t, 'GET', `/devices/${deviceId}/software?q=CURL`)).body)).toEqual(['curl', 'libcurl4']);
    expect(names((await api(t, 'GET', `/devices/${deviceId}/software?q=mozilla`)).body)).toEqual(['Firefox']);
    expect(names((await api(t, 'GET', `/devices/${deviceId}/software?source=flatpak`)).body)).toEqual(['Firefox']);
    expect(names((await api(t, 'GET', `/devices/${deviceId}/software?sort=-sizeBytes`)).body)).toEqual([
      'Firefox',
      'openssl',
      'libcurl4',
      'curl',
      '=HYPERLINK("http://evil")',
    ]);
    expect(names((await api(t, 'GET', `/devices/${deviceId}/software?sort=-installedAt&source=dpkg`)).body)).toEqual(['curl', '=HYPERLINK("http://evil")', 'openssl', 'libcurl4']);
  });

  it('pages with a cursor in every sort order', async () => {
    for (const sort of ['name', '-name', 'sizeBytes', '-installedAt']) {
      const all = names((await api(t, 'GET', `/devices/${deviceId}/software?sort=${sort}`)).body);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { body: { items: { name: string }[]; nextCursor: string | null } } = await api(
          t,
          'GET',
          `/devices/${deviceId}/software?sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        seen.push(...res.body.items.map((i) => i.name));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen, sort).toEqual(all);
    }
  });

  it('refuses bad input with the field named', async () => {
    const res = await api(t, 'GET', `/devices/${deviceId}/software?source=apt&sort=size`);
    expect(res.status).toBe(400);
    expect(res.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['sort', 'source']);
    expect((await api(t, 'GET', `/devices/${deviceId}/software?cursor=nope`)).status).toBe(400);
  });

  it('exports CSV with every row and formula-looking cells defused', async () => {
    const res = await api(t, 'GET', `/devices/${deviceId}/software.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="software-ws-01.csv"');
    const lines = (res.body as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe('name,version,publisher,source,arch,installed at,size bytes,first seen at');
    expect(lines).toHaveLength(6);
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://evil"")",1.0,'+cmd,dpkg,amd64,2025-03-01T12:00:00.000Z,,${lines[1]!.split(',').pop()}`);
    expect(lines[2]).toMatch(/^curl,7\.88\.1-10\+deb12u5,Debian Maintainers,dpkg,amd64,2025-06-01T00:00:00\.000Z,500000,/);
  });
});

describe('GET /devices/:id/changes', () => {
  const subjects = (body: unknown) => v.parse(ChangePage, body).items.map((i) => `${i.kind}:${i.subject}`);

  it('lists newest first with the hostname, and filters by kind, text and time', async () => {
    const res = await api(t, 'GET', `/devices/${deviceId}/changes`);
    expect(res.status).toBe(200);
    expect(subjects(res.body)).toEqual(['software_removed:@SUM(A1)', 'hardware_changed:memory.totalBytes', 'software_updated:curl', 'software_added:curl']);
    expect(res.body.items[2]).toMatchObject({ deviceId, hostname: 'ws-01', fromValue: '7.88.1-10+deb12u4', toValue: '7.88.1-10+deb12u5', source: 'dpkg', at: T0 + DAY });
    expect(subjects((await api(t, 'GET', `/devices/${deviceId}/changes?kind=software_updated`)).body)).toEqual(['software_updated:curl']);
    expect(subjects((await api(t, 'GET', `/devices/${deviceId}/changes?q=deb12u4`)).body)).toEqual(['software_updated:curl', 'software_added:curl']);
    expect(subjects((await api(t, 'GET', `/devices/${deviceId}/changes?from=${T0 + DAY}&to=${T0 + 2 * DAY}`)).body)).toEqual([
      'hardware_changed:memory.totalBytes',
      'software_updated:curl',
    ]);
    const first = await api(t, 'GET', `/devices/${deviceId}/changes?limit=3`);
    expect(first.body.items).toHaveLength(3);
    expect(subjects((await api(t, 'GET', `/devices/${deviceId}/changes?cursor=${first.body.nextCursor}`)).body)).toEqual(['software_added:curl']);
    expect((await api(t, 'GET', `/devices/${deviceId}/changes?kind=moved`)).status).toBe(400);
  });

  it('exports CSV newest first, formula-safe', async () => {
    const res = await api(t, 'GET', `/devices/${deviceId}/changes.csv?kind=software_removed`);
    expect(res.status).toBe(200);
    expect((res.body as string).split('\r\n')).toEqual([
      'at,hostname,kind,subject,source,from,to',
      `${new Date(T0 + 3 * DAY).toISOString()},ws-01,software_removed,'@SUM(A1),dpkg,1,`,
      '',
    ]);
  });
});

describe('GET /devices/:id/sbom', () => {
  it('downloads a CycloneDX 1.6 document of the OS and every package', async () => {
    const res = await api(t, 'GET', `/devices/${deviceId}/sbom`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="sbom-ws-01.cdx.json"');
    const bom = v.parse(CycloneDxBom, res.body);
    expect(bom.specVersion).toBe('1.6');
    expect(bom.components.map((c) => c.name)).toEqual(['Debian GNU/Linux', '=HYPERLINK("http://evil")', 'curl', 'Firefox', 'libcurl4', 'openssl']);
    expect(bom.components.find((c) => c.name === 'curl')?.purl).toBe('pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-10');
  });

  it('answers a document with no components for a device without inventory', async () => {
    const res = await api(t, 'GET', `/devices/${bare}/sbom`);
    expect(res.status).toBe(200);
    expect(v.parse(CycloneDxBom, res.body).components).toEqual([]);
  });
});

describe('retiring a device', () => {
  it('removes its inventory, software and changes with it', async () => {
    const id = await insertDevice(t, { hostname: 'ws-retired' });
    await seedInventory(t, id, { software: [deb('curl', '7.88.1-10+deb12u5'), deb('htop', '3.2.2-2')] });
    await seedChange(t, id, { at: T0, kind: 'software_added', subject: 'htop', source: 'dpkg', toValue: '3.2.2-2' });
    const count = async () => {
      const row = await env.DB.prepare(
        `SELECT (SELECT COUNT(*) FROM device_inventory WHERE device_id = ?1) + (SELECT COUNT(*) FROM device_software WHERE device_id = ?1)
          + (SELECT COUNT(*) FROM device_changes WHERE device_id = ?1) AS n`,
      )
        .bind(id)
        .first<{ n: number }>();
      return row!.n;
    };
    expect(await count()).toBe(4);
    expect((await api(t, 'DELETE', `/devices/${id}`)).status).toBe(204);
    expect(await count()).toBe(0);
    // Other devices keep theirs.
    expect((await api(t, 'GET', `/devices/${deviceId}/software`)).body.items).toHaveLength(5);
  });
});
