import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, bootstrapTenant, createTenantDirect, type BootstrappedTenant } from '../../test/support';

const tick = () => new Promise((resolve) => setTimeout(resolve, 3));

let t: BootstrappedTenant;
const clientIds: string[] = [];
beforeAll(async () => {
  t = await bootstrapTenant();
  for (const name of ['Audit A', 'Audit B', 'Audit C']) {
    clientIds.push((await api(t, 'POST', '/clients', { name })).body.id);
    await tick();
  }
});

describe('GET /audit', () => {
  it('lists the tenant\'s entries newest first, page by page', async () => {
    const res = await api(t, 'GET', '/audit?action=client.create');
    expect(res.status).toBe(200);
    expect(res.body.items.map((e: { targetId: string }) => e.targetId)).toEqual([...clientIds].reverse());
    expect(res.body.items[0]).toMatchObject({ actorId: t.userId, actorType: 'user', targetType: 'client', detail: { name: 'Audit C' } });

    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await api(t, 'GET', `/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.items.map((e) => e.id));
      cursor = page.body.nextCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort().reverse());
    // At least tenant.bootstrap and the three client.create entries.
    expect(seen.length).toBeGreaterThanOrEqual(4);
  });

  it('filters by actor and target', async () => {
    const byTarget = await api(t, 'GET', `/audit?targetId=${clientIds[1]}`);
    expect(byTarget.body.items).toHaveLength(1);
    expect(byTarget.body.items[0].action).toBe('client.create');
    const byActor = await api(t, 'GET', `/audit?actorId=${t.userId}&action=tenant.bootstrap`);
    expect(byActor.body.items).toHaveLength(1);
    expect((await api(t, 'GET', '/audit?actorId=usr_nobody')).body.items).toEqual([]);
  });

  it('shows nothing of another tenant', async () => {
    const other = await createTenantDirect();
    await api(other, 'POST', '/clients', { name: 'Foreign' });
    const mine = await api(t, 'GET', '/audit?limit=1000');
    expect(JSON.stringify(mine.body)).not.toContain(other.tenantId);
    expect(mine.body.items.some((e: { detail: { name?: string } | null }) => e.detail?.name === 'Foreign')).toBe(false);
    const theirs = await api(other, 'GET', '/audit?action=client.create');
    expect(theirs.body.items.map((e: { detail: { name: string } }) => e.detail.name)).toEqual(['Foreign']);
  });

  it('is for admins', async () => {
    expect((await api(await addUser(t, 'technician'), 'GET', '/audit')).status).toBe(403);
    expect((await api(await addUser(t, 'admin'), 'GET', '/audit')).status).toBe(200);
    expect((await api(null, 'GET', '/audit')).status).toBe(401);
  });

  it('validates the query', async () => {
    const res = await api(t, 'GET', `/audit?limit=5000&action=${'a'.repeat(101)}`);
    expect(res.status).toBe(400);
    expect(res.body.error.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['limit', 'action']));
    expect((await api(t, 'GET', '/audit?cursor=WyJ4Il0')).status).toBe(200);
    expect((await api(t, 'GET', '/audit?cursor=e30')).status).toBe(400);
  });
});
