import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import * as v from 'valibot';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { integrations } from '../db/integrations-schema';
import { IntegrationEvent } from '../protocol/api/integrations';
import { receivedAt, receiverTarget } from '../test/receiver-client';
import type { Received } from '../test/receiver';
import { db, seedDevice, seedTenant } from './testing/fixtures';
import { deliveryRows as deliveriesOf, seedIntegration, seedRoute } from './testing/integrations';
import { alertEvents, alertRows, seedPolicy, seedUser, seedWindow, transition } from './testing/monitoring';
import { eventually, tenantHub } from './testing/sockets';

/* Escalation tiers reach Slack, Teams and webhooks: the tier's own integrations and the policy-routed ones. */

const SECRET = 'whsec_escalation-secret-0123456789';
const MIN = 60_000;
type Hub = ReturnType<typeof tenantHub>;

async function setup() {
  const fleet = await seedTenant();
  const device = await seedDevice(fleet);
  const owner = await seedUser(fleet.tenantId, 'owner');
  return { fleet, device, owner, hub: tenantHub(fleet.tenantId) };
}

async function webhook(tenantId: string, enabled = true) {
  const target = receiverTarget('escalation');
  const id = await seedIntegration(tenantId, 'webhook', { url: target.url, secret: SECRET }, enabled);
  return { id, ...target };
}

/* Escalation jobs run on one alarm; the deliveries they queue go out on the next. */
async function alarms(hub: Hub, n = 3): Promise<void> {
  for (let i = 0; i < n; i++) await runDurableObjectAlarm(hub);
}

const escalatedAt = async (path: string) => (await receivedAt(path)).filter((r) => r.headers['x-tether-event'] === 'alert.escalated');
const arrived = (path: string, n = 1) =>
  eventually(async () => {
    const got = await escalatedAt(path);
    if (got.length < n) throw new Error(`${got.length} of ${n} arrived`);
    return got;
  });

/** The receiver's side of the documented recipe, with WebCrypto alone. */
async function signedAsDocumented(r: Received): Promise<boolean> {
  const ts = String(r.headers['x-tether-timestamp']);
  const sig = String(r.headers['x-tether-signature']);
  if (!/^\d+$/.test(ts) || !sig.startsWith('v1=')) return false;
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const mac = new Uint8Array(sig.slice(3).match(/../g)!.map((h) => parseInt(h, 16)));
  return crypto.subtle.verify('HMAC', key, mac, new TextEncoder().encode(`${ts}.${r.body}`));
}

describe('escalation tiers notify integrations', () => {
  it('a tier naming a webhook sends it one signed alert.escalated, once however often the step runs', async () => {
    const { fleet, device, owner, hub } = await setup();
    const hook = await webhook(fleet.tenantId);
    await seedPolicy(fleet.tenantId, [{ afterMinutes: 0, userIds: [owner], roles: [], integrationIds: [hook.id] }]);
    await hub.checkTransitions([transition(device.deviceId, 'breach', Date.now() - MIN)]);
    await alarms(hub);
    const [got] = await arrived(hook.path);
    const [alert] = await alertRows(device.deviceId);
    const [row] = await deliveriesOf(hook.id);
    expect(got!.headers).toMatchObject({ 'content-type': 'application/json', 'x-tether-event': 'alert.escalated', 'x-tether-delivery': row!.id });
    expect(await signedAsDocumented(got!)).toBe(true);
    const event = v.parse(IntegrationEvent, JSON.parse(got!.body));
    expect(event).toMatchObject({
      id: `${alert!.id}:alert.escalated:1:0`,
      type: 'alert.escalated',
      tenantId: fleet.tenantId,
      clientId: device.clientId,
      severity: 'critical',
      data: { alert: { id: alert!.id, status: 'open', escalationTier: 1 }, escalation: { policy: 'On call', tier: 1, round: 0, notified: [{ id: owner, name: owner }] } },
    });
    // The tier routes only its own event: the opening was not sent here.
    expect((await receivedAt(hook.path)).map((r) => r.headers['x-tether-event'])).toEqual(['alert.escalated']);

    // The step retried whole (the hub forgot it had escalated): new history, nothing queued twice.
    await runInDurableObject(hub, async (_i, state) => {
      const [{ data }] = state.storage.sql.exec<{ data: string }>('SELECT data FROM active_alerts WHERE alert_id = ?', alert!.id).toArray();
      state.storage.sql.exec('UPDATE active_alerts SET data = ? WHERE alert_id = ?', JSON.stringify({ ...JSON.parse(data), escalationTier: 0, notifiedAt: null }), alert!.id);
      state.storage.sql.exec("INSERT OR REPLACE INTO schedule (key, kind, due_at, attempts) VALUES (?, 'escalate', ?, 0)", `escalate:${alert!.id}`, Date.now());
      await state.storage.setAlarm(Date.now());
    });
    await alarms(hub);
    expect((await alertEvents(alert!.id)).filter((e) => e.kind === 'escalated')).toHaveLength(2);
    expect(await deliveriesOf(hook.id)).toHaveLength(1);
    expect(await escalatedAt(hook.path)).toHaveLength(1);
  });

  it('an acknowledged alert does not escalate, even when a stale job fires', async () => {
    const { fleet, device, owner, hub } = await setup();
    const hook = await webhook(fleet.tenantId);
    await seedRoute(fleet.tenantId, [hook.id], { events: ['alert.escalated'] });
    await seedPolicy(fleet.tenantId, [{ afterMinutes: 10, userIds: [owner], integrationIds: [hook.id] }]);
    await hub.checkTransitions([transition(device.deviceId, 'breach', Date.now())]);
    const [alert] = await alertRows(device.deviceId);
    await hub.alertAction('acknowledge', [alert!.id], owner);
    await runInDurableObject(hub, async (_i, state) => {
      state.storage.sql.exec("INSERT OR REPLACE INTO schedule (key, kind, due_at, attempts) VALUES (?, 'escalate', ?, 0)", `escalate:${alert!.id}`, Date.now() - 11 * MIN);
      await state.storage.setAlarm(Date.now());
    });
    expect(await runDurableObjectAlarm(hub)).toBe(true);
    await alarms(hub);
    expect((await alertEvents(alert!.id)).map((e) => e.kind)).not.toContain('escalated');
    expect(await deliveriesOf(hook.id)).toHaveLength(0);
  });

  it('an alert under maintenance escalates to no channel', async () => {
    const { fleet, device, owner, hub } = await setup();
    const hook = await webhook(fleet.tenantId);
    await seedRoute(fleet.tenantId, [hook.id]);
    await seedPolicy(fleet.tenantId, [{ afterMinutes: 0, userIds: [owner], integrationIds: [hook.id] }]);
    await seedWindow(fleet.tenantId, device.clientId, Date.now() - 60 * MIN, Date.now() + 60 * MIN);
    await hub.configChanged();
    await hub.checkTransitions([transition(device.deviceId, 'breach', Date.now() - MIN)]);
    await alarms(hub);
    expect((await alertRows(device.deviceId))[0]).toMatchObject({ suppressed: true, escalationTier: 0 });
    expect(await deliveriesOf(hook.id)).toHaveLength(0);
    expect(await receivedAt(hook.path)).toHaveLength(0);
  });

  it('policy-routed and tier integrations each get the event once; disabled and deleted ones none', async () => {
    const { fleet, device, owner, hub } = await setup();
    const both = await webhook(fleet.tenantId);
    const routedOnly = await webhook(fleet.tenantId);
    const disabled = await webhook(fleet.tenantId, false);
    const deleted = await webhook(fleet.tenantId);
    // Routed by a policy that selects alert.escalated, and named by the tier as well.
    await seedRoute(fleet.tenantId, [both.id, routedOnly.id], { events: ['alert.escalated'] });
    await seedPolicy(fleet.tenantId, [
      { afterMinutes: 0, roles: ['owner'], integrationIds: [both.id, disabled.id, deleted.id] },
      { afterMinutes: 5, userIds: [owner], integrationIds: [both.id] },
    ]);
    await db().delete(integrations).where(eq(integrations.id, deleted.id));
    await hub.configChanged();
    await hub.checkTransitions([transition(device.deviceId, 'breach', Date.now() - 6 * MIN)]);
    await alarms(hub, 4);
    const [alert] = await alertRows(device.deviceId);
    const tiers = async (path: string) => (await arrived(path, 2)).map((r) => JSON.parse(r.body).data.escalation.tier).sort();
    expect(await tiers(both.path)).toEqual([1, 2]);
    expect(await tiers(routedOnly.path)).toEqual([1, 2]);
    expect(await deliveriesOf(both.id)).toHaveLength(2);
    expect(await deliveriesOf(disabled.id)).toHaveLength(0);
    expect(await deliveriesOf(deleted.id)).toHaveLength(0);
    expect(await receivedAt(disabled.path)).toHaveLength(0);
    expect(await receivedAt(deleted.path)).toHaveLength(0);
    expect((await alertEvents(alert!.id)).filter((e) => e.kind === 'escalated')).toHaveLength(2);
  });
});
