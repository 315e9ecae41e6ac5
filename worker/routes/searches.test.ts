import { env } from 'cloudflare:test';
import * as v from 'valibot';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, createTenantDirect, insertDevice, type Auth, type DirectTenant, type UserFixture } from '../../test/support';
import { deb, hardware, seedInventory } from '../../test/inventory-seed';
import { SavedSearch } from '../../protocol/api/fleet-search';

/*
 * Saved fleet searches: create, list, edit and delete (with audit rows), running one, its
 * CSV, and a saved search as a job's target — resolved for the job's creator.
 */

let t: DirectTenant;
let clientB: string;
const dev: Record<'a1' | 'a2' | 'b1', string> = { a1: '', a2: '', b1: '' };
let tech: UserFixture;

const oldChrome = { match: 'all', conditions: [{ field: 'software', op: 'installed', name: 'chrome', version: { op: 'lt', value: '120' } }] };

async function ok<T = any>(auth: Auth, method: string, path: string, body?: unknown): Promise<T> {
  const res = await api(auth, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as T;
}

const auditOf = async (targetId: string) =>
  (await env.DB.prepare('SELECT action, detail FROM audit_log WHERE target_id = ? ORDER BY rowid').bind(targetId).all<{ action: string; detail: string }>()).results.map(
    (r) => ({ action: r.action, detail: JSON.parse(r.detail) }),
  );

beforeAll(async () => {
  t = await createTenantDirect('Searches MSP');
  clientB = (await ok(t, 'POST', '/clients', { name: 'Bravo' })).id;
  const siteB = (await ok(t, 'POST', '/sites', { clientId: clientB, name: 'Bravo HQ' })).id;
  dev.a1 = await insertDevice(t, { hostname: 'alpha-1' });
  dev.a2 = await insertDevice(t, { hostname: 'alpha-2' });
  dev.b1 = await insertDevice({ ...t, clientId: clientB, siteId: siteB }, { hostname: 'bravo-1' });
  await seedInventory(t, dev.a1, { hardware: hardware(), software: [deb('google-chrome-stable', '118.0.5993.117-1')] });
  await seedInventory(t, dev.a2, { hardware: hardware(), software: [deb('google-chrome-stable', '121.0.6167.85-1')] });
  await seedInventory(t, dev.b1, { hardware: hardware(), software: [deb('google-chrome-stable', '119.0.6045.199-1')] });
  tech = await addUser(t, 'technician');
});

describe('/searches', () => {
  it('creates, lists, reads, edits and deletes, each change audited', async () => {
    const created = await api(tech, 'POST', '/searches', { name: '  Old Chrome ', query: oldChrome });
    expect(created.status).toBe(201);
    const search = v.parse(SavedSearch, created.body);
    expect(search).toMatchObject({ name: 'Old Chrome', query: oldChrome, createdBy: tech.userId });
    expect(search.id).toMatch(/^srh_/);
    expect((await ok(t, 'GET', `/searches/${search.id}`)).name).toBe('Old Chrome');
    await ok(t, 'POST', '/searches', { name: 'Another', query: { conditions: [{ field: 'no_inventory' }] } });
    const list = await ok(t, 'GET', '/searches');
    expect(list.items.map((s: { name: string }) => s.name)).toEqual(['Another', 'Old Chrome']);
    const page = await ok(t, 'GET', '/searches?limit=1');
    expect((await ok(t, 'GET', `/searches?cursor=${page.nextCursor}`)).items.map((s: { name: string }) => s.name)).toEqual(['Old Chrome']);

    const renamed = await ok(tech, 'PATCH', `/searches/${search.id}`, { name: 'Chrome below 120' });
    expect(renamed).toMatchObject({ name: 'Chrome below 120', query: oldChrome });
    expect(renamed.updatedAt).toBeGreaterThanOrEqual(search.updatedAt);
    const requery = { match: 'any', conditions: [{ field: 'ram_gb', op: 'lt', value: 4 }] };
    expect((await ok(tech, 'PATCH', `/searches/${search.id}`, { query: requery })).query).toEqual(requery);
    expect((await ok(t, 'GET', `/searches/${search.id}`)).query).toEqual(requery);

    expect((await api(tech, 'DELETE', `/searches/${search.id}`)).status).toBe(204);
    expect((await api(t, 'GET', `/searches/${search.id}`)).status).toBe(404);
    expect(await auditOf(search.id)).toEqual([
      { action: 'saved_search.create', detail: { name: 'Old Chrome' } },
      { action: 'saved_search.update', detail: { name: 'Chrome below 120', from: 'Old Chrome', queryChanged: false } },
      { action: 'saved_search.update', detail: { name: 'Chrome below 120', queryChanged: true } },
      { action: 'saved_search.delete', detail: { name: 'Chrome below 120' } },
    ]);
  });

  it('refuses readonly writers, invalid bodies, and ids of another tenant', async () => {
    const ro = await addUser(t, 'readonly');
    expect((await api(ro, 'POST', '/searches', { name: 'x', query: oldChrome })).status).toBe(403);
    const bad = await api(t, 'POST', '/searches', { name: '', query: { conditions: [] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['name', 'query.conditions']);
    const other = await createTenantDirect();
    const theirs = (await ok(other, 'POST', '/searches', { name: 'Theirs', query: oldChrome })).id;
    expect((await api(t, 'GET', `/searches/${theirs}`)).status).toBe(404);
    expect((await api(t, 'PATCH', `/searches/${theirs}`, { name: 'Mine' })).status).toBe(404);
    expect((await api(t, 'DELETE', `/searches/${theirs}`)).status).toBe(404);
    expect((await api(t, 'GET', `/searches/${theirs}/results`)).status).toBe(404);
    expect((await ok(other, 'GET', `/searches/${theirs}`)).name).toBe('Theirs');
  });

  it('runs a saved search for the caller (a client-limited one sees only their clients) and exports it', async () => {
    const id = (await ok(t, 'POST', '/searches', { name: 'Old Chrome', query: oldChrome })).id;
    const all = await ok(t, 'GET', `/searches/${id}/results`);
    expect(all.items.map((r: { hostname: string }) => r.hostname)).toEqual(['alpha-1', 'bravo-1']);
    expect(all.total).toBe(2);
    expect(all.items[0].matched).toEqual({ name: 'google-chrome-stable', version: '118.0.5993.117-1' });
    const mine = await ok(await addUser(t, 'readonly', [t.clientId]), 'GET', `/searches/${id}/results`);
    expect(mine.items.map((r: { hostname: string }) => r.hostname)).toEqual(['alpha-1']);
    const paged = await ok(t, 'GET', `/searches/${id}/results?limit=1`);
    expect((await ok(t, 'GET', `/searches/${id}/results?limit=1&cursor=${paged.nextCursor}`)).items[0].hostname).toBe('bravo-1');
    const csv = await api(t, 'GET', `/searches/${id}/results.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="search-Old_Chrome.csv"');
    expect((csv.body as string).trimEnd().split('\r\n').slice(1).map((l) => l.split(',')[0])).toEqual(['alpha-1', 'bravo-1']);
  });
});

describe('saved searches as job targets', () => {
  it('targets exactly the devices the search finds for the creator', async () => {
    const id = (await ok(t, 'POST', '/searches', { name: 'Old Chrome (jobs)', query: oldChrome })).id;
    const preview = await ok(t, 'POST', '/jobs/preview', { target: { searchIds: [id] } });
    expect(preview.sample.map((s: { id: string }) => s.id).sort()).toEqual([dev.a1, dev.b1].sort());
    const job = await ok(t, 'POST', '/jobs', { action: { type: 'process_list' }, target: { searchIds: [id] } });
    const targets = await ok(t, 'GET', `/jobs/${job.id}/devices`);
    expect(targets.items.map((d: { deviceId: string }) => d.deviceId).sort()).toEqual([dev.a1, dev.b1].sort());
    // Another search and a device named directly add up as a union.
    const newest = (await ok(t, 'POST', '/searches', { name: 'New Chrome', query: { conditions: [{ field: 'software', op: 'installed', name: 'chrome', version: { op: 'gte', value: '121' } }] } })).id;
    expect((await ok(t, 'POST', '/jobs/preview', { target: { searchIds: [id, newest] } })).count).toBe(3);
    // A client-limited creator gets only their clients' share of the search.
    const limitedTech = await addUser(t, 'technician', [t.clientId]);
    const scoped = await ok(limitedTech, 'POST', '/jobs/preview', { target: { searchIds: [id] } });
    expect(scoped.sample.map((s: { id: string }) => s.id)).toEqual([dev.a1]);
  });

  it('answers 404 for a missing or foreign saved search', async () => {
    const other = await createTenantDirect();
    const theirs = (await ok(other, 'POST', '/searches', { name: 'Theirs', query: oldChrome })).id;
    for (const searchIds of [[theirs], ['srh_missing']]) {
      expect((await api(t, 'POST', '/jobs/preview', { target: { searchIds } })).status).toBe(404);
      expect((await api(t, 'POST', '/jobs', { action: { type: 'process_list' }, target: { searchIds } })).status).toBe(404);
    }
  });
});
