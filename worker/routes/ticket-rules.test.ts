import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, bootstrapTenant, createTenantDirect, insertDevice, type BootstrappedTenant } from '../../test/support';
import { auditActions } from '../../test/checks';
import { newId } from '../lib/ids';

const q = (sql: string, ...args: unknown[]) => env.DB.prepare(sql).bind(...args);
const ruleCount = async (tenantId: string) => ((await q('SELECT COUNT(*) AS n FROM ticket_rules WHERE tenant_id = ?', tenantId).first<{ n: number }>())?.n ?? 0);

let t: BootstrappedTenant;
beforeAll(async () => {
  t = await bootstrapTenant();
});

/** An alert row as the hub writes it. */
async function insertAlert(tenant: { tenantId: string; clientId: string; siteId: string }, deviceId?: string) {
  const id = newId('alr');
  const device = deviceId ?? (await insertDevice(tenant, { hostname: 'db-07', displayName: 'Database 7' }));
  const now = Date.UTC(2026, 2, 3, 4, 5, 6);
  await q(
    `INSERT INTO alerts (id, tenant_id, device_id, client_id, check_key, check_name, check_type, severity, status, message, value, opened_at, updated_at)
     VALUES (?, ?, ?, ?, 'disk', 'Disk free', 'disk_free', 'warning', 'open', 'C: 4 % free', 4, ?, ?)`,
    id,
    tenant.tenantId,
    device,
    tenant.clientId,
    now,
    now,
  ).run();
  return id;
}

describe('alert→ticket rules', () => {
  it('creates with defaults, reads, changes, reorders, lists and deletes, each change audited', async () => {
    const created = await api(t, 'POST', '/ticket-rules', { name: 'Critical to tickets', match: { severities: ['critical'] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Critical to tickets',
      enabled: true,
      position: 0,
      match: { severities: ['critical'] },
      titleTemplate: '{{alert.checkName}} on {{device.displayName}}',
      priorityMap: { critical: 'urgent', warning: 'high', info: 'normal' },
      assignment: { mode: 'none' },
      dedupMinutes: 60,
      closeOnResolve: false,
    });
    const a = created.body.id as string;
    const b = (await api(t, 'POST', '/ticket-rules', { name: 'Everything else', priorityMap: { info: 'low' }, dedupMinutes: 0, closeOnResolve: true })).body;
    expect(b).toMatchObject({ position: 1, priorityMap: { critical: 'urgent', warning: 'high', info: 'low' }, dedupMinutes: 0, closeOnResolve: true });

    const changed = await api(t, 'PATCH', `/ticket-rules/${a}`, { titleTemplate: '[{{client.name}}] {{alert.checkName}}', enabled: false });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: a, titleTemplate: '[{{client.name}}] {{alert.checkName}}', enabled: false, name: 'Critical to tickets' });
    // Nothing changed: no audit row.
    expect((await api(t, 'PATCH', `/ticket-rules/${a}`, { enabled: false })).status).toBe(200);

    const reordered = await api(t, 'POST', '/ticket-rules/reorder', { ids: [b.id] });
    expect(reordered.status).toBe(200);
    expect(reordered.body.items.map((r: { id: string; position: number }) => [r.id, r.position])).toEqual([
      [b.id, 0],
      [a, 1],
    ]);
    const list = await api(t, 'GET', '/ticket-rules?limit=1');
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([b.id]);
    const rest = await api(t, 'GET', `/ticket-rules?limit=1&cursor=${list.body.nextCursor}`);
    expect(rest.body).toMatchObject({ items: [{ id: a }], nextCursor: null });
    expect((await api(t, 'PATCH', `/ticket-rules/${a}`, { position: 0 })).body.position).toBe(0);

    expect((await api(t, 'DELETE', `/ticket-rules/${a}`)).status).toBe(204);
    expect((await api(t, 'GET', `/ticket-rules/${a}`)).status).toBe(404);
    expect(await auditActions(a)).toEqual(['ticket_rule.create', 'ticket_rule.update', 'ticket_rule.update', 'ticket_rule.delete']);
    const reorder = await q("SELECT COUNT(*) AS n FROM audit_log WHERE tenant_id = ? AND action = 'ticket_rule.reorder'", t.tenantId).first<{ n: number }>();
    expect(reorder?.n).toBe(1);
  });

  it('refuses an unknown token or an unclosed brace with a 400 naming it, and saves nothing', async () => {
    const before = await ruleCount(t.tenantId);
    const unknown = await api(t, 'POST', '/ticket-rules', { name: 'Bad', titleTemplate: 'Alert on {{device.ip}}' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.issues).toEqual([{ path: 'titleTemplate', message: expect.stringContaining('unknown token {{device.ip}}') }]);
    const unclosed = await api(t, 'POST', '/ticket-rules', { name: 'Bad', bodyTemplate: 'Seen {{alert.openedAt' });
    expect(unclosed.status).toBe(400);
    expect(unclosed.body.error.issues).toEqual([{ path: 'bodyTemplate', message: expect.stringContaining('unclosed {{') }]);
    const long = await api(t, 'POST', '/ticket-rules', { name: 'Bad', titleTemplate: 'x'.repeat(301) });
    expect(long.body.error.issues[0].path).toBe('titleTemplate');
    expect(await ruleCount(t.tenantId)).toBe(before);

    const id = (await api(t, 'POST', '/ticket-rules', { name: 'Good' })).body.id;
    const patch = await api(t, 'PATCH', `/ticket-rules/${id}`, { bodyTemplate: '{{alert.nope}}' });
    expect(patch.status).toBe(400);
    expect(patch.body.error.issues[0]).toMatchObject({ path: 'bodyTemplate', message: expect.stringContaining('{{alert.nope}}') });
  });

  it('validates the rest of the body', async () => {
    const cases: [unknown, string][] = [
      [{ name: 'x', dedupMinutes: 10_081 }, 'dedupMinutes'],
      [{ name: 'x', dedupMinutes: -1 }, 'dedupMinutes'],
      [{ name: 'x', priorityMap: { critical: 'asap' } }, 'priorityMap.critical'],
      [{ name: 'x', match: { severities: ['fatal'] } }, 'match.severities.0'],
      [{ name: 'x', match: { checkTypes: ['telepathy'] } }, 'match.checkTypes.0'],
      [{ name: 'x', assignment: { mode: 'round_robin', userIds: [] } }, 'assignment.userIds'],
      [{ name: 'x', assignment: { mode: 'sometimes' } }, 'assignment.mode'],
      [{ name: '' }, 'name'],
    ];
    for (const [body, path] of cases) {
      const res = await api(t, 'POST', '/ticket-rules', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.issues.map((i: { path: string }) => i.path), JSON.stringify(body)).toContain(path);
    }
  });

  it('accepts only the tenant\'s own clients, sites and working users', async () => {
    const foreign = await createTenantDirect();
    const tech = await addUser(t, 'technician');
    const reader = await addUser(t, 'readonly');
    const limited = await addUser(t, 'technician', [t.clientId]);
    const refused = async (body: Record<string, unknown>, path: string) => {
      const res = await api(t, 'POST', '/ticket-rules', { name: 'Refs', ...body });
      expect(res.status, path).toBe(400);
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toEqual([path]);
    };
    await refused({ assignment: { mode: 'fixed', userId: foreign.userId } }, 'assignment.userId');
    await refused({ assignment: { mode: 'fixed', userId: reader.userId } }, 'assignment.userId');
    await refused({ assignment: { mode: 'round_robin', userIds: [tech.userId, foreign.userId] } }, 'assignment.userIds.1');
    await refused({ assignment: { mode: 'by_client', byClient: { [t.clientId]: foreign.userId } } }, `assignment.byClient.${t.clientId}`);
    await refused({ assignment: { mode: 'by_client', byClient: { [foreign.clientId]: tech.userId } } }, `assignment.byClient.${foreign.clientId}`);
    await refused({ match: { clientIds: [foreign.clientId] } }, 'match.clientIds.0');
    await refused({ match: { siteIds: [foreign.siteId] } }, 'match.siteIds.0');
    // A user limited to one client gets tickets of that client only.
    await refused({ assignment: { mode: 'fixed', userId: limited.userId } }, 'assignment.userId');
    const ok = await api(t, 'POST', '/ticket-rules', {
      name: 'Refs ok',
      match: { clientIds: [t.clientId], siteIds: [t.siteId] },
      assignment: { mode: 'round_robin', userIds: [tech.userId, limited.userId] },
    });
    expect(ok.status).toBe(201);
    // Widening the match past the limited user's clients is refused on change too.
    const other = (await api(t, 'POST', '/clients', { name: 'Other client' })).body.id;
    const widened = await api(t, 'PATCH', `/ticket-rules/${ok.body.id}`, { match: { clientIds: [t.clientId, other] } });
    expect(widened.status).toBe(400);
    expect(widened.body.error.issues).toEqual([{ path: 'assignment.userIds.1', message: expect.stringContaining('limited to other clients') }]);
  });

  it('lets technicians read and preview, and only unlimited admins write', async () => {
    const tech = await addUser(t, 'technician');
    const reader = await addUser(t, 'readonly');
    const limitedAdmin = await addUser(t, 'admin', [t.clientId]);
    const id = (await api(t, 'POST', '/ticket-rules', { name: 'Roles' })).body.id;
    expect((await api(tech, 'GET', '/ticket-rules')).status).toBe(200);
    expect((await api(tech, 'GET', `/ticket-rules/${id}`)).status).toBe(200);
    expect((await api(tech, 'POST', '/ticket-rules/preview', { titleTemplate: '{{alert.checkName}}' })).status).toBe(200);
    expect((await api(reader, 'GET', '/ticket-rules')).status).toBe(403);
    expect((await api(tech, 'POST', '/ticket-rules', { name: 'No' })).status).toBe(403);
    expect((await api(tech, 'PATCH', `/ticket-rules/${id}`, { name: 'No' })).status).toBe(403);
    expect((await api(tech, 'DELETE', `/ticket-rules/${id}`)).status).toBe(403);
    expect((await api(limitedAdmin, 'POST', '/ticket-rules', { name: 'No' })).status).toBe(403);
    expect((await api(limitedAdmin, 'POST', '/ticket-rules/reorder', { ids: [id] })).status).toBe(403);
  });

  it('reorder refuses ids that are not the tenant\'s rules', async () => {
    const foreign = await createTenantDirect();
    const theirs = (await api(foreign, 'POST', '/ticket-rules', { name: 'Theirs' })).body.id;
    const mine = (await api(t, 'POST', '/ticket-rules', { name: 'Mine' })).body.id;
    const res = await api(t, 'POST', '/ticket-rules/reorder', { ids: [mine, theirs] });
    expect(res.status).toBe(400);
    expect(res.body.error.issues).toEqual([{ path: 'ids.1', message: 'no such ticket rule' }]);
    expect((await api(foreign, 'GET', `/ticket-rules/${theirs}`)).body.position).toBe(0);
  });

  it('previews templates against a sample or a real alert the caller can see', async () => {
    const sample = await api(t, 'POST', '/ticket-rules/preview', { titleTemplate: '{{alert.severity}} on {{device.hostname}}', bodyTemplate: '{{client.name}}' });
    expect(sample.status).toBe(200);
    expect(sample.body).toEqual({ title: 'critical on web-01', body: 'Example Client', alertId: null });

    const alertId = await insertAlert(t);
    const real = await api(t, 'POST', '/ticket-rules/preview', {
      titleTemplate: '{{alert.checkName}}: {{device.displayName}} ({{device.hostname}})',
      bodyTemplate: '{{alert.message}} | {{alert.value}} | {{alert.openedAt}} | {{site.name}} | {{alert.url}}',
      alertId,
    });
    expect(real.status).toBe(200);
    expect(real.body).toEqual({
      title: 'Disk free: Database 7 (db-07)',
      body: `C: 4 % free | 4 | 2026-03-03T04:05:06.000Z | Main | /alerts/${alertId}`,
      alertId,
    });

    const bad = await api(t, 'POST', '/ticket-rules/preview', { titleTemplate: '{{alert.severty}}' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0]).toMatchObject({ path: 'titleTemplate', message: expect.stringContaining('{{alert.severty}}') });

    // Another client's alert is hidden from a technician limited to this client.
    const otherClient = (await api(t, 'POST', '/clients', { name: 'Hidden client' })).body.id;
    const otherSite = (await api(t, 'POST', '/sites', { clientId: otherClient, name: 'Hidden site' })).body.id;
    const hiddenAlert = await insertAlert({ tenantId: t.tenantId, clientId: otherClient, siteId: otherSite });
    const limited = await addUser(t, 'technician', [t.clientId]);
    expect((await api(limited, 'POST', '/ticket-rules/preview', { titleTemplate: 'x', alertId })).status).toBe(200);
    expect((await api(limited, 'POST', '/ticket-rules/preview', { titleTemplate: 'x', alertId: hiddenAlert })).status).toBe(404);
  });
});
