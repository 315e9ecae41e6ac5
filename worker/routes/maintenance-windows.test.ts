import { env } from 'cloudflare:test';
import { Cron } from 'croner';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, bootstrapTenant, createTenantDirect, insertDevice, type BootstrappedTenant } from '../../test/support';
import { auditActions } from '../../test/checks';
import { nextStartOf } from './maintenance-windows';

const q = (sql: string, ...args: unknown[]) => env.DB.prepare(sql).bind(...args);
const HOUR = 3600_000;

let t: BootstrappedTenant;
let other: { clientId: string; siteId: string };
let group: string;
beforeAll(async () => {
  t = await bootstrapTenant();
  const clientId = (await api(t, 'POST', '/clients', { name: 'Other client' })).body.id;
  const siteId = (await api(t, 'POST', '/sites', { clientId, name: 'Other site' })).body.id;
  other = { clientId, siteId };
  group = (await api(t, 'POST', '/groups', { name: 'Patch ring' })).body.id;
});

const once = (fromNow: number, toNow: number) => ({ kind: 'once', startsAt: Date.now() + fromNow, endsAt: Date.now() + toNow });
const create = async (name: string, schedule: unknown, scope: Record<string, string> = { scopeType: 'client', scopeId: t.clientId }, extra = {}) => {
  const res = await api(t, 'POST', '/maintenance-windows', { name, ...scope, schedule, ...extra });
  if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

describe('maintenance windows', () => {
  it('creates, reads, changes and deletes windows, each change audited', async () => {
    const created = await create('Tonight', once(HOUR, 2 * HOUR), { scopeType: 'site', scopeId: t.siteId });
    expect(created).toMatchObject({ name: 'Tonight', scopeType: 'site', scopeId: t.siteId, scopeName: 'Main', enabled: true, activeNow: false });
    expect(created.nextStart).toBe(created.schedule.startsAt);
    const id = created.id;

    const recurring = { kind: 'recurring', cron: '0 3 29 2 *', durationMinutes: 90, timezone: 'Europe/Paris' };
    const changed = await api(t, 'PATCH', `/maintenance-windows/${id}`, { name: 'Leap night', schedule: recurring, scopeType: 'group', scopeId: group });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Leap night', scopeType: 'group', scopeName: 'Patch ring', schedule: recurring });
    const expected = new Cron('0 3 29 2 *', { timezone: 'Europe/Paris', paused: true }).nextRun(new Date())!.getTime();
    expect(changed.body.nextStart).toBe(expected);
    // Stored as the TenantHub reads it: the cron columns, no one-off times.
    expect(await q('SELECT cron, duration_minutes, timezone, starts_at FROM maintenance_windows WHERE id = ?', id).first()).toEqual({
      cron: '0 3 29 2 *',
      duration_minutes: 90,
      timezone: 'Europe/Paris',
      starts_at: null,
    });
    expect((await api(t, 'PATCH', `/maintenance-windows/${id}`, { name: 'Leap night' })).status).toBe(200);
    expect((await api(t, 'GET', `/maintenance-windows/${id}`)).body.name).toBe('Leap night');
    expect((await api(t, 'DELETE', `/maintenance-windows/${id}`)).status).toBe(204);
    expect((await api(t, 'GET', `/maintenance-windows/${id}`)).status).toBe(404);
    expect(await auditActions(id)).toEqual(['maintenance_window.create', 'maintenance_window.update', 'maintenance_window.delete']);
  });

  it('says whether a window is in force and when it next starts, and filters on it', async () => {
    const now = await create('F now', once(-HOUR, HOUR));
    expect(now).toMatchObject({ activeNow: true, nextStart: null });
    const later = await create('F later', once(HOUR, 2 * HOUR));
    expect(later.activeNow).toBe(false);
    const past = await create('F past', once(-2 * HOUR, -HOUR));
    expect(past).toMatchObject({ activeNow: false, nextStart: null });
    const off = await create('F off', once(-HOUR, HOUR), undefined, { enabled: false });
    expect(off).toMatchObject({ enabled: false, activeNow: false, nextStart: null });
    const always = await create('F every minute', { kind: 'recurring', cron: '* * * * *', durationMinutes: 5 });
    expect(always.activeNow).toBe(true);

    const active = await api(t, 'GET', '/maintenance-windows?q=F%20&activeNow=true');
    expect(active.body.items.map((w: { name: string }) => w.name)).toEqual(['F every minute', 'F now']);
    const inactive = await api(t, 'GET', '/maintenance-windows?q=F%20&activeNow=false');
    expect(inactive.body.items.map((w: { name: string }) => w.name)).toEqual(['F later', 'F off', 'F past']);
    // Pages of a filtered list.
    const first = await api(t, 'GET', '/maintenance-windows?q=F%20&activeNow=false&limit=2');
    expect(first.body.items).toHaveLength(2);
    const second = await api(t, 'GET', `/maintenance-windows?q=F%20&activeNow=false&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((w: { name: string }) => w.name)).toEqual(['F past']);
    expect(second.body.nextCursor).toBeNull();
    // Disabling takes effect in the answer at once.
    expect((await api(t, 'PATCH', `/maintenance-windows/${now.id}`, { enabled: false })).body.activeNow).toBe(false);
  });

  it('computes the next start of a recurring window in force as the one after it ends', () => {
    const s = { kind: 'recurring' as const, cron: '0 * * * *', durationMinutes: 10, timezone: 'UTC' };
    const at = Date.UTC(2030, 0, 1, 5, 3);
    expect(nextStartOf(s, at)).toBe(Date.UTC(2030, 0, 1, 6, 0));
    expect(nextStartOf(s, Date.UTC(2030, 0, 1, 5, 30))).toBe(Date.UTC(2030, 0, 1, 6, 0));
  });

  it('needs a scope of the tenant, and validates schedules', async () => {
    const foreign = await createTenantDirect();
    const foreignDevice = await insertDevice(foreign);
    for (const [scopeType, scopeId] of [
      ['client', foreign.clientId],
      ['site', foreign.siteId],
      ['device', foreignDevice],
      ['group', 'grp_missing'],
    ]) {
      const res = await api(t, 'POST', '/maintenance-windows', { name: 'Bad scope', scopeType, scopeId, schedule: once(0, HOUR) });
      expect(res.status, scopeType).toBe(404);
    }
    const invalid: [unknown, string][] = [
      [{ kind: 'once', startsAt: 10, endsAt: 5 }, 'schedule.endsAt'],
      [{ kind: 'recurring', cron: 'every day', durationMinutes: 60 }, 'schedule.cron'],
      [{ kind: 'recurring', cron: '0 3 * * *', durationMinutes: 60, timezone: 'Mars/Olympus' }, 'schedule.timezone'],
    ];
    for (const [schedule, path] of invalid) {
      const res = await api(t, 'POST', '/maintenance-windows', { name: 'Bad', scopeType: 'client', scopeId: t.clientId, schedule });
      expect(res.status, path).toBe(400);
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    expect((await api(t, 'POST', '/maintenance-windows', { name: 'Tenant', scopeType: 'tenant', scopeId: t.tenantId, schedule: once(0, HOUR) })).status).toBe(400);
    const id = (await create('Move me', once(0, HOUR))).id;
    expect((await api(t, 'PATCH', `/maintenance-windows/${id}`, { scopeId: foreign.clientId })).status).toBe(404);
    expect(await q("SELECT COUNT(*) AS n FROM maintenance_windows WHERE name IN ('Bad scope', 'Bad', 'Tenant')").first()).toEqual({ n: 0 });
  });

  it('client-limited callers see and change windows of their clients only', async () => {
    const theirs = await create('Other client window', once(0, HOUR), { scopeType: 'client', scopeId: other.clientId });
    const groupWide = await create('Group window', once(0, HOUR), { scopeType: 'group', scopeId: group });
    const limited = await addUser(t, 'admin', [t.clientId]);
    const names = (await api(limited, 'GET', '/maintenance-windows?limit=1000')).body.items.map((w: { name: string }) => w.name);
    expect(names).not.toContain('Other client window');
    expect(names).toContain('Group window');
    expect((await api(limited, 'GET', `/maintenance-windows/${theirs.id}`)).status).toBe(404);
    expect((await api(limited, 'DELETE', `/maintenance-windows/${theirs.id}`)).status).toBe(404);
    expect((await api(limited, 'DELETE', `/maintenance-windows/${groupWide.id}`)).status).toBe(403);
    expect((await api(limited, 'POST', '/maintenance-windows', { name: 'x', scopeType: 'site', scopeId: other.siteId, schedule: once(0, HOUR) })).status).toBe(404);
    expect((await api(limited, 'POST', '/maintenance-windows', { name: 'x', scopeType: 'group', scopeId: group, schedule: once(0, HOUR) })).status).toBe(403);
    expect((await api(limited, 'POST', '/maintenance-windows', { name: 'Mine', scopeType: 'site', scopeId: t.siteId, schedule: once(0, HOUR) })).status).toBe(201);
    const tech = await addUser(t, 'technician');
    expect((await api(tech, 'GET', '/maintenance-windows')).status).toBe(200);
    expect((await api(tech, 'POST', '/maintenance-windows', { name: 'x', scopeType: 'site', scopeId: t.siteId, schedule: once(0, HOUR) })).status).toBe(403);
  });
});
