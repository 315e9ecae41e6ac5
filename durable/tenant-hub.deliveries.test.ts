import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import * as v from 'valibot';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { deliveries, notificationPolicies } from '../db/integrations-schema';
import { IntegrationEvent } from '../protocol/api/integrations';
import { answerWith, receivedAt, receiverTarget } from '../test/receiver-client';
import type { Received } from '../test/receiver';
import { db, seedDevice, seedTenant } from './testing/fixtures';
import { deliveryRows, seedIntegration, seedRoute } from './testing/integrations';
import { tenantHub, eventually } from './testing/sockets';
import { alertRows, seedWindow, transition } from './testing/monitoring';
import { GIVE_UP_AFTER_MS, MAX_RETRY_GAP_MS } from './tenant/outbox';

type Hub = ReturnType<typeof tenantHub>;
const SECRET = 'whsec_test-secret-0123456789';
const HOUR = 3600_000;

/** Waits until `check` answers something other than null. */
const until = <T>(check: () => Promise<T | null>): Promise<T> =>
  eventually(async () => {
    const out = await check();
    if (out === null) throw new Error('not yet');
    return out;
  });

/** A webhook integration at a fresh receiver path, with a policy sending it every event. */
async function webhookSetup(policy: Partial<typeof notificationPolicies.$inferInsert> = {}) {
  const fleet = await seedTenant();
  const device = await seedDevice(fleet);
  const target = receiverTarget('webhook');
  const integrationId = await seedIntegration(fleet.tenantId, 'webhook', { url: target.url, secret: SECRET });
  await seedRoute(fleet.tenantId, [integrationId], policy);
  return { fleet, device, target, integrationId, hub: tenantHub(fleet.tenantId) };
}

/** The receiver's side of the documented recipe, written out with WebCrypto alone. */
async function verifies(r: Received, secret: string): Promise<boolean> {
  const ts = String(r.headers['x-tether-timestamp']);
  const sig = String(r.headers['x-tether-signature']);
  if (!/^\d+$/.test(ts) || Math.abs(Date.now() / 1000 - Number(ts)) > 300 || !sig.startsWith('v1=')) return false;
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const mac = new Uint8Array(sig.slice(3).match(/../g)!.map((h) => parseInt(h, 16)));
  return crypto.subtle.verify('HMAC', key, mac, new TextEncoder().encode(`${ts}.${r.body}`));
}

/* Time travel for one delivery: its retry job falls due now, and its age grows by the wait skipped. */
async function skipToNextAttempt(hub: Hub, deliveryId: string): Promise<number> {
  const row = (await db().select().from(deliveries).where(eq(deliveries.id, deliveryId)).get())!;
  const now = Date.now();
  const wait = Math.max(0, row.nextAttemptAt! - now);
  await db().update(deliveries).set({ createdAt: row.createdAt - wait, nextAttemptAt: now }).where(eq(deliveries.id, deliveryId));
  await runInDurableObject(hub, async (_i, state) => {
    state.storage.sql.exec('UPDATE schedule SET due_at = ? WHERE key = ?', now, `deliver:${deliveryId}`);
  });
  return wait;
}

/* The alarm hands due deliveries to sends beside the hub's queue: wait for the attempt to be recorded. */
async function alarmAttempt(hub: Hub, deliveryId: string): Promise<void> {
  const before = (await db().select().from(deliveries).where(eq(deliveries.id, deliveryId)).get())!.attempts;
  await runDurableObjectAlarm(hub);
  await until(async () => ((await db().select().from(deliveries).where(eq(deliveries.id, deliveryId)).get())!.attempts > before ? true : null));
}

const jobCount = (hub: Hub, deliveryId: string) =>
  runInDurableObject(hub, async (_i, state) => state.storage.sql.exec('SELECT 1 FROM schedule WHERE key = ?', `deliver:${deliveryId}`).toArray().length);

describe('outbox: generic webhooks', () => {
  it('delivers an opened alert once, signed as documented', async () => {
    const { device, target, integrationId, hub } = await webhookSetup({ events: ['alert.opened'], severities: ['critical'] });
    await hub.checkTransitions([transition(device.deviceId, 'breach', Date.now())]);
    await runDurableObjectAlarm(hub);
    const [got] = await until(async () => {
      const r = await receivedAt(target.path);
      return r.length ? r : null;
    });
    const [row] = await deliveryRows(integrationId);
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200, event: 'alert.opened' });
    expect(got!.headers).toMatchObject({ 'content-type': 'application/json', 'x-tether-event': 'alert.opened', 'x-tether-delivery': row!.id });
    expect(await verifies(got!, SECRET)).toBe(true);
    expect(await verifies({ ...got!, body: got!.body.replace('critical', 'warning') }, SECRET)).toBe(false);
    const event = v.parse(IntegrationEvent, JSON.parse(got!.body));
    const [alert] = await alertRows(device.deviceId);
    expect(event).toMatchObject({ type: 'alert.opened', tenantId: device.tenantId, clientId: device.clientId, severity: 'critical', data: { alert: { id: alert!.id, status: 'open' } } });
    expect(got!.body).toBe(row!.payload);

    // A job for a delivered row (an alarm that ran twice) sends nothing; a retried step enqueues nothing new.
    await runInDurableObject(hub, async (_i, state) => {
      state.storage.sql.exec("INSERT INTO schedule (key, kind, due_at, attempts) VALUES (?, 'deliver', ?, 0)", `deliver:${row!.id}`, Date.now());
    });
    await runDurableObjectAlarm(hub);
    await hub.checkTransitions([transition(device.deviceId, 'breach', alert!.openedAt)]);
    // Acknowledging is not an event this policy sends.
    await hub.alertAction('acknowledge', [alert!.id], 'usr_tech');
    await runDurableObjectAlarm(hub);
    expect(await receivedAt(target.path)).toHaveLength(1);
    expect(await deliveryRows(integrationId)).toHaveLength(1);
  });

  it('retries a 500 with backoff and delivers on the next attempt', async () => {
    const { device, target, integrationId, hub } = await webhookSetup();
    await answerWith(target.path, [500]);
    await hub.checkTransitions([transition(device.deviceId, 'breach', Date.now())]);
    await runDurableObjectAlarm(hub);
    const failed = await until(async () => {
      const [r] = await deliveryRows(integrationId);
      return r?.status === 'failed' ? r : null;
    });
    expect(failed).toMatchObject({ attempts: 1, lastStatusCode: 500, lastError: 'HTTP 500: ok' });
    // 30 s ± 20 %.
    const wait = failed.nextAttemptAt! - Date.now();
    expect(wait).toBeGreaterThan(24_000 - 2_000);
    expect(wait).toBeLessThanOrEqual(36_000);
    expect(await jobCount(hub, failed.id)).toBe(1);
    // Not due yet: the alarm sends nothing.
    await runDurableObjectAlarm(hub);
    expect(await receivedAt(target.path)).toHaveLength(1);

    await skipToNextAttempt(hub, failed.id);
    await alarmAttempt(hub, failed.id);
    const [done] = await deliveryRows(integrationId);
    expect(done).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
    const got = await receivedAt(target.path);
    expect(got).toHaveLength(2);
    expect(got.map((r) => r.headers['x-tether-delivery'])).toEqual([done!.id, done!.id]);
    expect(got[1]!.body).toBe(got[0]!.body);
    expect(await verifies(got[1]!, SECRET)).toBe(true);
    expect(await jobCount(hub, done!.id)).toBe(0);
  });

  it('gives up after 24 hours of failures, the waits doubling up to an hour', async () => {
    const { device, target, integrationId, hub } = await webhookSetup();
    await answerWith(target.path, [], 503);
    await hub.checkTransitions([transition(device.deviceId, 'breach', Date.now())]);
    await runDurableObjectAlarm(hub);
    const first = await until(async () => {
      const [r] = await deliveryRows(integrationId);
      return r?.status === 'failed' ? r : null;
    });
    const waits: number[] = [];
    let elapsed = 0;
    for (let i = 0; i < 80; i++) {
      const [row] = await deliveryRows(integrationId);
      if (row!.status === 'dead') break;
      const wait = await skipToNextAttempt(hub, first.id);
      waits.push(wait);
      elapsed += wait;
      await alarmAttempt(hub, first.id);
    }
    const [dead] = await deliveryRows(integrationId);
    expect(dead).toMatchObject({ status: 'dead', lastStatusCode: 503, nextAttemptAt: null });
    expect(dead!.attempts).toBe(waits.length + 1);
    expect(await receivedAt(target.path)).toHaveLength(dead!.attempts);
    expect(elapsed).toBeGreaterThanOrEqual(GIVE_UP_AFTER_MS - 60_000);
    expect(elapsed).toBeLessThanOrEqual(GIVE_UP_AFTER_MS + 60_000);
    // Doubling from 30 s (±20 %), never more than an hour apart; the last wait ends at the 24 h mark.
    waits.slice(0, -1).forEach((w, k) => {
      const base = Math.min(MAX_RETRY_GAP_MS, 30_000 * 2 ** k);
      expect(w).toBeGreaterThanOrEqual(Math.min(base * 0.8, MAX_RETRY_GAP_MS * 0.8) - 2_000);
      expect(w).toBeLessThanOrEqual(Math.min(base * 1.2, MAX_RETRY_GAP_MS));
    });
    expect(Math.max(...waits)).toBeLessThanOrEqual(HOUR);
    expect(await jobCount(hub, dead!.id)).toBe(0);

    // A manual redelivery tries once more; with the target healthy again it is delivered.
    await answerWith(target.path, [], 200);
    expect(await hub.redeliver(dead!.id)).toEqual({ deliveryId: dead!.id, status: 'delivered', lastStatusCode: 200, lastError: null });
    expect(await hub.redeliver('dlv_not_this_tenants')).toBeNull();
  });
});

describe('outbox: routing', () => {
  it('sends only what enabled policies select, by event, severity, client and time of day', async () => {
    const fleet = await seedTenant(2);
    const onClient0 = await seedDevice(fleet, 0);
    const onClient1 = await seedDevice(fleet, 1);
    const critical = receiverTarget('critical');
    const offHours = receiverTarget('off-hours');
    const off = receiverTarget('disabled');
    const criticalId = await seedIntegration(fleet.tenantId, 'webhook', { url: critical.url, secret: SECRET });
    const offHoursId = await seedIntegration(fleet.tenantId, 'webhook', { url: offHours.url, secret: SECRET });
    const disabledId = await seedIntegration(fleet.tenantId, 'webhook', { url: off.url, secret: SECRET }, false);
    await seedRoute(fleet.tenantId, [criticalId, disabledId], { severities: ['critical'], clientIds: [fleet.clientIds[0]!] });
    // A period that is not now: two hours from now, three days from today.
    const h = (new Date().getUTCHours() + 2) % 24;
    const hh = String(h).padStart(2, '0');
    await seedRoute(fleet.tenantId, [offHoursId], { timeOfDay: { days: [(new Date().getUTCDay() + 3) % 7], start: `${hh}:00`, end: `${hh}:30`, timezone: 'UTC' } });
    // A policy switched off selects nothing.
    await seedRoute(fleet.tenantId, [offHoursId], { enabled: false });
    const hub = tenantHub(fleet.tenantId);
    const t0 = Date.now();
    await hub.checkTransitions([
      transition(onClient0.deviceId, 'breach', t0),
      transition(onClient0.deviceId, 'breach', t0, { checkKey: 'disk', checkName: 'Disk', severity: 'warning' }),
      transition(onClient1.deviceId, 'breach', t0),
    ]);
    await runDurableObjectAlarm(hub);
    const sent = await until(async () => {
      const r = await deliveryRows(criticalId);
      return r.every((d) => d.status === 'delivered') && r.length ? r : null;
    });
    expect(sent).toHaveLength(1);
    const body = JSON.parse(sent[0]!.payload);
    expect(body).toMatchObject({ clientId: fleet.clientIds[0], severity: 'critical', data: { alert: { checkKey: 'cpu-high' } } });
    expect(await deliveryRows(offHoursId)).toHaveLength(0);
    expect(await deliveryRows(disabledId)).toHaveLength(0);
    expect(await receivedAt(off.path)).toHaveLength(0);
  });

  it('says nothing of alerts under maintenance, and reports devices going offline', async () => {
    const fleet = await seedTenant();
    const device = await seedDevice(fleet);
    const target = receiverTarget('all');
    const integrationId = await seedIntegration(fleet.tenantId, 'webhook', { url: target.url, secret: SECRET });
    await seedRoute(fleet.tenantId, [integrationId]);
    await seedWindow(fleet.tenantId, device.clientId, Date.now() - HOUR, Date.now() + HOUR);
    const hub = tenantHub(fleet.tenantId);
    await hub.checkTransitions([transition(device.deviceId, 'breach', Date.now())]);
    const [alert] = await alertRows(device.deviceId);
    expect(alert).toMatchObject({ suppressed: true });
    await hub.alertAction('resolve', [alert!.id], 'usr_tech');
    expect(await deliveryRows(integrationId)).toHaveLength(0);

    const at = Date.now();
    expect(await hub.deviceStatusChanged({ deviceId: device.deviceId, status: 'offline', at, lastSeenAt: at - 1000 })).toEqual({ applied: true });
    await runDurableObjectAlarm(hub);
    const [got] = await until(async () => {
      const r = await receivedAt(target.path);
      return r.length ? r : null;
    });
    expect(got!.headers['x-tether-event']).toBe('device.offline');
    expect(JSON.parse(got!.body)).toMatchObject({ type: 'device.offline', clientId: device.clientId, data: { device: { id: device.deviceId, status: 'offline' } } });
  });
});

describe('outbox: chat formats', () => {
  it('posts alerts as Block Kit and Adaptive Cards, device events as plain lines', async () => {
    const fleet = await seedTenant();
    const device = await seedDevice(fleet);
    const slack = receiverTarget('slack-alerts');
    const teams = receiverTarget('teams-alerts');
    const slackId = await seedIntegration(fleet.tenantId, 'slack', { webhookUrl: slack.url });
    const teamsId = await seedIntegration(fleet.tenantId, 'teams', { webhookUrl: teams.url });
    await seedRoute(fleet.tenantId, [slackId, teamsId], { events: ['alert.opened', 'device.online'] });
    const hub = tenantHub(fleet.tenantId);
    await hub.checkTransitions([transition(device.deviceId, 'breach', Date.now())]);
    await runDurableObjectAlarm(hub);
    const [alert] = await alertRows(device.deviceId);

    const [s] = await until(async () => ((await receivedAt(slack.path)).length ? receivedAt(slack.path) : null));
    const block = JSON.parse(s!.body);
    expect(block.text).toContain('CPU high');
    expect(block.blocks.map((b: { type: string }) => b.type)).toEqual(['section', 'context', 'actions']);
    expect(block.blocks[2].elements.map((e: { value: string }) => e.value)).toContain(alert!.id);

    const [t] = await until(async () => ((await receivedAt(teams.path)).length ? receivedAt(teams.path) : null));
    const msg = JSON.parse(t!.body);
    expect(msg).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.4' } }] });
    const actions = msg.attachments[0].content.actions as { title: string; url: string }[];
    expect(actions.find((a) => a.title === 'Acknowledge in Tether')?.url).toMatch(/\/api\/v1\/action-links\/[\w-]+\.[\w-]+$/);

    const at = Date.now();
    await hub.deviceStatusChanged({ deviceId: device.deviceId, status: 'online', at, lastSeenAt: at, hostname: '*bold* <host>' });
    await runDurableObjectAlarm(hub);
    const online = await until(async () => {
      const r = await receivedAt(teams.path);
      return r.length === 2 ? r[1]! : null;
    });
    expect(JSON.parse(online.body).attachments[0].content.body[0].text).toBe('Device \\*bold\\* \\<host\\> is back online');
    const slackOnline = await until(async () => {
      const r = await receivedAt(slack.path);
      return r.length === 2 ? r[1]! : null;
    });
    expect(JSON.parse(slackOnline.body)).toEqual({ text: 'Device *bold* <host> is back online', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Device *bold* &lt;host&gt; is back online' } }] });
  });
});

describe('outbox: test messages', () => {
  it('sends a Slack test message at once and never retries a failed one', async () => {
    const fleet = await seedTenant();
    const target = receiverTarget('slack');
    const slackId = await seedIntegration(fleet.tenantId, 'slack', { webhookUrl: target.url });
    const hub = tenantHub(fleet.tenantId);
    const ok = await hub.sendTestDelivery(slackId, 'https://tether.example');
    expect(ok).toMatchObject({ status: 'delivered', lastStatusCode: 200 });
    const [got] = await receivedAt(target.path);
    const body = JSON.parse(got!.body);
    expect(body.text).toContain('test message');
    expect(body.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    // Chat targets get no Tether signature headers.
    expect(got!.headers['x-tether-signature']).toBeUndefined();

    await answerWith(target.path, [], 404, 'no_service');
    const failed = await hub.sendTestDelivery(slackId, 'https://tether.example');
    expect(failed).toMatchObject({ status: 'dead', lastStatusCode: 404, lastError: 'HTTP 404: no_service' });
    expect(await jobCount(hub, failed!.deliveryId)).toBe(0);
    expect(await hub.sendTestDelivery('itg_not_this_tenants', 'https://tether.example')).toBeNull();
  });
});
