import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, bootstrapTenant, type BootstrappedTenant } from '../../test/support';
import { auditActions } from '../../test/checks';
import { rawText } from '../../test/raw-text';

let t: BootstrappedTenant;
beforeAll(async () => {
  t = await bootstrapTenant();
});

const SECRET = 'dell-client-secret-do-not-leak';

describe('warranty providers', () => {
  it('stores credentials sealed, answers only whether a vendor is configured, and audits each change', async () => {
    const before = await api(t, 'GET', '/warranty-providers');
    expect(before.status).toBe(200);
    expect(before.body.items).toEqual(['dell', 'hp', 'lenovo'].map((vendor) => ({ vendor, configured: false, enabled: false, lastRunAt: null, lastError: null })));

    const put = await rawText(t, 'PUT', '/warranty-providers/dell', { credentials: { clientId: 'l7xx-client', clientSecret: SECRET } });
    expect(put.status).toBe(200);
    expect(JSON.parse(put.text)).toEqual({ vendor: 'dell', configured: true, enabled: true, lastRunAt: null, lastError: null });
    const answers = [put, await rawText(t, 'GET', '/warranty-providers'), await rawText(t, 'PUT', '/warranty-providers/dell', { enabled: false })];
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.text).not.toContain(SECRET);
      expect(a.text).not.toContain('l7xx-client');
    }
    expect(JSON.parse(answers[2]!.text)).toMatchObject({ configured: true, enabled: false });
    const stored = await env.DB.prepare(`SELECT credentials_enc AS enc FROM warranty_providers WHERE tenant_id = ? AND vendor = 'dell'`).bind(t.tenantId).first<{ enc: string }>();
    expect(stored!.enc).toMatch(/^v1\./);
    expect(stored!.enc).not.toContain(SECRET);
    const audits = await env.DB.prepare(`SELECT detail FROM audit_log WHERE tenant_id = ? AND target_type = 'warranty_provider'`).bind(t.tenantId).all<{ detail: string }>();
    expect(audits.results.map((r) => r.detail).join('\n')).not.toContain(SECRET);

    expect((await api(t, 'DELETE', '/warranty-providers/dell')).status).toBe(204);
    expect((await api(t, 'DELETE', '/warranty-providers/dell')).status).toBe(404);
    expect((await api(t, 'GET', '/warranty-providers')).body.items[0]).toMatchObject({ vendor: 'dell', configured: false });
    expect(await auditActions('dell')).toEqual(['warranty_provider.create', 'warranty_provider.update', 'warranty_provider.delete']);
  });

  it("checks credentials against the vendor's own fields", async () => {
    const wrong = await api(t, 'PUT', '/warranty-providers/hp', { credentials: { clientId: 'x' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['credentials.apiKey', 'credentials.apiSecret']);
    expect((await api(t, 'PUT', '/warranty-providers/hp', { credentials: { apiKey: '  ', apiSecret: 's' } })).status).toBe(400);
    // Without stored credentials there is nothing to enable.
    expect((await api(t, 'PUT', '/warranty-providers/hp', { enabled: true })).status).toBe(400);
    expect((await api(t, 'PUT', '/warranty-providers/acme', { credentials: { clientId: 'x' } })).status).toBe(400);
    expect((await api(t, 'PUT', '/warranty-providers/hp', { credentials: 'text' })).status).toBe(400);
    expect((await api(t, 'GET', '/warranty-providers')).body.items[1]).toMatchObject({ vendor: 'hp', configured: false });
  });

  it('runs a lookup on demand, and 404s for a vendor that is not configured', async () => {
    expect((await api(t, 'POST', '/warranty-providers/hp/run')).status).toBe(404);
    await api(t, 'PUT', '/warranty-providers/lenovo', { credentials: { clientId: 'lenovo-id' } });
    // No device of this tenant names Lenovo: nothing to ask, and the run is recorded.
    const run = await api(t, 'POST', '/warranty-providers/lenovo/run');
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ vendor: 'lenovo', devices: 0, updated: 0, failed: 0, failures: [], lastError: null });
    expect((await api(t, 'GET', '/warranty-providers')).body.items[2]).toMatchObject({ vendor: 'lenovo', lastRunAt: run.body.lastRunAt });
    expect(await auditActions('lenovo')).toEqual(['warranty_provider.create', 'warranty_provider.run']);
  });

  it('is for admins only', async () => {
    const tech = await addUser(t, 'technician');
    expect((await api(tech, 'GET', '/warranty-providers')).status).toBe(403);
    expect((await api(tech, 'PUT', '/warranty-providers/dell', { credentials: { clientId: 'a', clientSecret: 'b' } })).status).toBe(403);
    expect((await api(tech, 'DELETE', '/warranty-providers/lenovo')).status).toBe(403);
    expect((await api(tech, 'POST', '/warranty-providers/lenovo/run')).status).toBe(403);
    const admin = await addUser(t, 'admin');
    expect((await api(admin, 'GET', '/warranty-providers')).status).toBe(200);
  });
});
