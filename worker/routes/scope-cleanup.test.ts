import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, bootstrapTenant, type BootstrappedTenant } from '../../test/support';

// Deleting a client, site or group takes the assignments and maintenance windows that name
// it along; the same rows for other scopes stay.
const count = async (table: string, scopeId: string) =>
  (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE scope_id = ?`).bind(scopeId).first<{ n: number }>())!.n;

let t: BootstrappedTenant;
let setId: string;
beforeAll(async () => {
  t = await bootstrapTenant();
  setId = (await api(t, 'POST', '/check-sets', { name: 'Basics', checks: [] })).body.id;
});

async function attach(scopeType: string, scopeId: string) {
  const assigned = await api(t, 'POST', '/check-set-assignments', { checkSetId: setId, scopeType, scopeId });
  expect(assigned.status).toBe(201);
  const window = await api(t, 'POST', '/maintenance-windows', {
    name: `${scopeType} window`,
    scopeType,
    scopeId,
    schedule: { kind: 'recurring', cron: '0 2 * * 6', durationMinutes: 60 },
  });
  expect(window.status).toBe(201);
  expect(await count('check_set_assignments', scopeId)).toBe(1);
  expect(await count('maintenance_windows', scopeId)).toBe(1);
}

describe('deleting a scope', () => {
  it('removes the group, site and client assignments and windows with them, and nothing else', async () => {
    const clientId = (await api(t, 'POST', '/clients', { name: 'Leaving soon' })).body.id;
    const siteId = (await api(t, 'POST', '/sites', { clientId, name: 'Old office' })).body.id;
    const groupId = (await api(t, 'POST', '/groups', { name: 'Pilot ring' })).body.id;
    for (const [type, id] of [['client', clientId], ['site', siteId], ['group', groupId], ['client', t.clientId]] as const) await attach(type, id);

    expect((await api(t, 'DELETE', `/groups/${groupId}`)).status).toBe(204);
    expect(await count('check_set_assignments', groupId)).toBe(0);
    expect(await count('maintenance_windows', groupId)).toBe(0);

    expect((await api(t, 'DELETE', `/sites/${siteId}`)).status).toBe(204);
    expect(await count('check_set_assignments', siteId)).toBe(0);
    expect(await count('maintenance_windows', siteId)).toBe(0);

    expect((await api(t, 'DELETE', `/clients/${clientId}`)).status).toBe(204);
    expect(await count('check_set_assignments', clientId)).toBe(0);
    expect(await count('maintenance_windows', clientId)).toBe(0);

    // The tenant's own client, still holding its site, is untouched.
    expect(await count('check_set_assignments', t.clientId)).toBe(1);
    expect(await count('maintenance_windows', t.clientId)).toBe(1);
  });

  it('a refused delete keeps the rows', async () => {
    expect((await api(t, 'DELETE', `/clients/${t.clientId}`)).status).toBe(409);
    expect(await count('check_set_assignments', t.clientId)).toBe(1);
    expect(await count('maintenance_windows', t.clientId)).toBe(1);
  });
});
