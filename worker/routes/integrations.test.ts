import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, bootstrapTenant, tokenFor, bearerAuth, type BootstrappedTenant } from '../../test/support';
import { auditActions } from '../../test/checks';
import { rawText } from '../../test/raw-text';
import { answerWith, receivedAt, receiverTarget } from '../../test/receiver-client';
import type { Received } from '../../test/receiver';

let t: BootstrappedTenant;
beforeAll(async () => {
  t = await bootstrapTenant();
});

/** The receiver's check, written from the documented recipe. */
async function verifies(r: Received, secret: string): Promise<boolean> {
  const ts = String(r.headers['x-tether-timestamp']);
  const sig = String(r.headers['x-tether-signature']).replace(/^v1=/, '');
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const mac = new Uint8Array(sig.match(/../g)!.map((h) => parseInt(h, 16)));
  return crypto.subtle.verify('HMAC', key, mac, new TextEncoder().encode(`${ts}.${r.body}`));
}

const auditDetails = async () =>
  (await env.DB.prepare('SELECT detail FROM audit_log WHERE tenant_id = ?').bind(t.tenantId).all<{ detail: string | null }>()).results.map((r) => r.detail ?? '').join('\n');

describe('integrations', () => {
  it('creates a webhook with a server-made secret shown once, and never answers the URL or a secret again', async () => {
    const target = receiverTarget('crud');
    const created = await rawText(t, 'POST', '/integrations', { kind: 'webhook', name: 'PSA sync', config: { url: target.url } });
    expect(created.status).toBe(201);
    const body = JSON.parse(created.text);
    const secret: string = body.generatedSecret;
    expect(secret).toMatch(/^whsec_/);
    expect(body).toMatchObject({ kind: 'webhook', name: 'PSA sync', enabled: true, configHint: expect.stringContaining('127.0.0.1') });
    expect(created.text).not.toContain(target.path);
    const id: string = body.id;

    const answers = [
      await rawText(t, 'GET', `/integrations/${id}`),
      await rawText(t, 'GET', '/integrations'),
      await rawText(t, 'PATCH', `/integrations/${id}`, { name: 'PSA' }),
      await rawText(t, 'POST', `/integrations/${id}/test`),
      await rawText(t, 'GET', `/integrations/${id}/deliveries`),
    ];
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.text).not.toContain(secret);
      expect(a.text).not.toContain(target.path);
      expect(a.text).not.toContain('generatedSecret');
    }
    expect(await auditDetails()).not.toContain(secret);
    expect(await auditDetails()).not.toContain(target.path);

    // The test message arrived signed with the secret shown at creation.
    const [got] = await receivedAt(target.path);
    expect(JSON.parse(got!.body)).toMatchObject({ type: 'test', tenantId: t.tenantId, data: { integrationName: 'PSA' } });
    expect(await verifies(got!, secret)).toBe(true);

    // A new URL without a secret keeps the secret; the hint follows the URL.
    const moved = receiverTarget('moved');
    const patched = await api(t, 'PATCH', `/integrations/${id}`, { config: { url: moved.url } });
    expect(patched.body.configHint).toContain(moved.path.slice(-4));
    expect((await api(t, 'POST', `/integrations/${id}/test`)).body).toMatchObject({ status: 'delivered', lastStatusCode: 200 });
    expect(await verifies((await receivedAt(moved.path))[0]!, secret)).toBe(true);

    expect((await api(t, 'DELETE', `/integrations/${id}`)).status).toBe(204);
    expect((await api(t, 'GET', `/integrations/${id}`)).status).toBe(404);
    expect(await auditActions(id)).toEqual(['integration.create', 'integration.update', 'integration.test', 'integration.update', 'integration.test', 'integration.delete']);
  });

  it('refuses retired Office 365 connector URLs for Teams, and bad configs, storing nothing', async () => {
    const before = await api(t, 'GET', '/integrations?limit=1000');
    for (const webhookUrl of [
      'https://contoso.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456',
      'https://outlook.office.com/webhook/abc/IncomingWebhook/123/456',
    ]) {
      const res = await api(t, 'POST', '/integrations', { kind: 'teams', name: 'Teams', config: { webhookUrl } });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('Workflows');
      expect(res.body.error.issues[0].path).toBe('config.webhookUrl');
    }
    const bad = [
      { kind: 'slack', name: 'x', config: { webhookUrl: 'http://hooks.slack.com/services/a' } },
      { kind: 'webhook', name: 'x', config: { url: 'https://example.com/h', secret: 'short' } },
      { kind: 'email', name: 'x', config: {} },
    ];
    for (const body of bad) expect((await api(t, 'POST', '/integrations', body)).status).toBe(400);
    const ok = await api(t, 'POST', '/integrations', { kind: 'teams', name: 'Teams', config: { webhookUrl: 'https://prod-12.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=x' } });
    expect(ok.status).toBe(201);
    expect(ok.body.generatedSecret).toBeUndefined();
    expect((await api(t, 'GET', '/integrations?limit=1000')).body.items).toHaveLength(before.body.items.length + 1);
  });

  it('is for admins not limited to clients', async () => {
    const tech = await addUser(t, 'technician');
    const admin = await addUser(t, 'admin');
    const limited = bearerAuth(await tokenFor(admin, 'admin', [t.clientId]));
    const body = { kind: 'slack', name: 'Ops', config: { webhookUrl: 'https://hooks.slack.com/services/T/B/x' } };
    expect((await api(tech, 'GET', '/integrations')).status).toBe(403);
    expect((await api(tech, 'POST', '/integrations', body)).status).toBe(403);
    expect((await api(limited, 'POST', '/integrations', body)).status).toBe(403);
    expect((await api(limited, 'POST', '/notification-policies', { name: 'x', integrationIds: ['itg_x'] })).status).toBe(403);
    expect((await api(admin, 'POST', '/integrations', body)).status).toBe(201);
  });
});

describe('delivery log', () => {
  it('lists deliveries newest first, shows one with its body, and redelivers it', async () => {
    const target = receiverTarget('log');
    const id = (await api(t, 'POST', '/integrations', { kind: 'webhook', name: 'Log', config: { url: target.url, secret: 'a-known-secret-123' } })).body.id;
    await answerWith(target.path, [502]);
    const failed = await api(t, 'POST', `/integrations/${id}/test`);
    expect(failed.body).toMatchObject({ status: 'dead', lastStatusCode: 502 });
    const ok = await api(t, 'POST', `/integrations/${id}/test`);
    expect(ok.body).toMatchObject({ status: 'delivered', lastStatusCode: 200, lastError: null });

    const page1 = await api(t, 'GET', `/integrations/${id}/deliveries?limit=1`);
    expect(page1.body.items.map((d: { id: string }) => d.id)).toEqual([ok.body.deliveryId]);
    expect(page1.body.items[0]).not.toHaveProperty('payload');
    const page2 = await api(t, 'GET', `/integrations/${id}/deliveries?limit=1&cursor=${page1.body.nextCursor}`);
    expect(page2.body).toMatchObject({ items: [{ id: failed.body.deliveryId, event: 'test', status: 'dead', attempts: 1, lastStatusCode: 502 }], nextCursor: null });

    const one = await rawText(t, 'GET', `/deliveries/${failed.body.deliveryId}`);
    expect(one.status).toBe(200);
    expect(one.text).not.toContain('a-known-secret-123');
    const payload = JSON.parse(JSON.parse(one.text).payload);
    expect(payload).toMatchObject({ type: 'test' });

    const again = await api(t, 'POST', `/deliveries/${failed.body.deliveryId}/redeliver`);
    expect(again.body).toEqual({ deliveryId: failed.body.deliveryId, status: 'delivered', lastStatusCode: 200, lastError: null });
    const arrived = await receivedAt(target.path);
    expect(arrived).toHaveLength(3);
    expect(arrived[2]!.body).toBe(arrived[0]!.body);
    expect(arrived[2]!.headers['x-tether-delivery']).toBe(failed.body.deliveryId);
    expect(await verifies(arrived[2]!, 'a-known-secret-123')).toBe(true);
    expect((await api(t, 'GET', `/deliveries/${failed.body.deliveryId}`)).body).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(await auditActions(failed.body.deliveryId)).toEqual(['delivery.redeliver']);
    expect((await api(t, 'POST', '/deliveries/dlv_nope/redeliver')).status).toBe(404);
  });
});

describe('notification policies', () => {
  it('creates, changes and deletes policies naming this tenant\'s integrations only', async () => {
    const itg = (await api(t, 'POST', '/integrations', { kind: 'slack', name: 'Alerts', config: { webhookUrl: 'https://hooks.slack.com/services/T/B/y' } })).body.id;
    const body = {
      name: 'Critical, office hours',
      events: ['alert.opened', 'alert.resolved'],
      severities: ['critical'],
      timeOfDay: { days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00', timezone: 'Europe/Berlin' },
      integrationIds: [itg],
    };
    const created = await api(t, 'POST', '/notification-policies', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...body, enabled: true, clientIds: null });
    const id = created.body.id;

    expect((await api(t, 'POST', '/notification-policies', { ...body, integrationIds: ['itg_unknown'] })).body.error.issues).toEqual([
      { path: 'integrationIds.0', message: 'no such integration in this tenant' },
    ]);
    expect((await api(t, 'POST', '/notification-policies', { ...body, clientIds: ['cli_unknown'] })).status).toBe(400);
    expect((await api(t, 'POST', '/notification-policies', { ...body, events: ['alert.exploded'] })).status).toBe(400);
    expect((await api(t, 'POST', '/notification-policies', { ...body, timeOfDay: { days: [1], start: '25:00', end: '08:00' } })).status).toBe(400);
    expect((await api(t, 'POST', '/notification-policies', { ...body, timeOfDay: { days: [1], start: '08:00', end: '09:00', timezone: 'Mars/Olympus' } })).status).toBe(400);

    const changed = await api(t, 'PATCH', `/notification-policies/${id}`, { clientIds: [t.clientId], timeOfDay: null, enabled: false });
    expect(changed.body).toMatchObject({ clientIds: [t.clientId], timeOfDay: null, enabled: false, events: body.events });
    expect((await api(t, 'GET', '/notification-policies')).body.items.map((p: { id: string }) => p.id)).toContain(id);

    // Deleting the integration takes it out of the policy.
    expect((await api(t, 'DELETE', `/integrations/${itg}`)).status).toBe(204);
    expect((await api(t, 'GET', `/notification-policies/${id}`)).body.integrationIds).toEqual([]);

    expect((await api(t, 'DELETE', `/notification-policies/${id}`)).status).toBe(204);
    expect((await api(t, 'GET', `/notification-policies/${id}`)).status).toBe(404);
    expect(await auditActions(id)).toEqual(['notification_policy.create', 'notification_policy.update', 'notification_policy.delete']);
  });
});
