import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, createTenantDirect, type DirectTenant } from '../../test/support';

let t: DirectTenant;

beforeAll(async () => {
  t = await createTenantDirect('Settings MSP');
});

describe('automation settings', () => {
  it('starts at 25 devices and 90 days; technicians read, admins change (audited), others are refused', async () => {
    const tech = await addUser(t, 'technician');
    const admin = await addUser(t, 'admin');
    expect((await api(tech, 'GET', '/settings/automation')).body).toEqual({ approvalThreshold: 25, historyRetentionDays: 90 });
    expect((await api(await addUser(t, 'readonly'), 'GET', '/settings/automation')).status).toBe(403);
    expect((await api(tech, 'PATCH', '/settings/automation', { approvalThreshold: 5 })).status).toBe(403);

    const changed = await api(admin, 'PATCH', '/settings/automation', { approvalThreshold: 5 });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ approvalThreshold: 5, historyRetentionDays: 90 });
    expect((await api(admin, 'PATCH', '/settings/automation', { historyRetentionDays: 30 })).body).toEqual({ approvalThreshold: 5, historyRetentionDays: 30 });
    expect((await api(tech, 'GET', '/settings/automation')).body).toEqual({ approvalThreshold: 5, historyRetentionDays: 30 });

    const audit = await env.DB.prepare("SELECT actor_id, detail FROM audit_log WHERE tenant_id = ? AND action = 'settings.automation.update' ORDER BY id")
      .bind(t.tenantId)
      .all<{ actor_id: string; detail: string }>();
    expect(audit.results).toHaveLength(2);
    expect(audit.results[0]!.actor_id).toBe(admin.userId);
    expect(JSON.parse(audit.results[0]!.detail)).toEqual({
      before: { approvalThreshold: 25, historyRetentionDays: 90 },
      after: { approvalThreshold: 5, historyRetentionDays: 90 },
    });
  });

  it('refuses values out of range and leaves the settings alone', async () => {
    for (const body of [{ approvalThreshold: 0 }, { approvalThreshold: 1.5 }, { historyRetentionDays: 6 }, { historyRetentionDays: 4000 }, { approvalThreshold: '10' }]) {
      const res = await api(t, 'PATCH', '/settings/automation', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await api(t, 'GET', '/settings/automation')).body).toEqual({ approvalThreshold: 5, historyRetentionDays: 30 });
    // Each tenant has its own.
    const other = await createTenantDirect('Other settings');
    expect((await api(other, 'GET', '/settings/automation')).body).toEqual({ approvalThreshold: 25, historyRetentionDays: 90 });
  });
});
