import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deliveries, integrations } from '../db/integrations-schema';
import { answerWith, receivedAt, receiverTarget } from '../test/receiver-client';
import { stableId } from '../worker/lib/ids';
import { db, seedDevice, seedTenant } from './testing/fixtures';
import { deliveryRows, seedIntegration, seedRoute } from './testing/integrations';
import { alertRows, transition } from './testing/monitoring';
import { connectDashboard, eventually, tenantHub, type TestSocket } from './testing/sockets';
import { IN_FLIGHT_GRACE_MS } from './tenant/outbox';

/* Deliveries go out beside the TenantHub's serial queue: at once, never twice at the same time. */

const SECRET = 'whsec_flights-secret-0123456789';
const SLOW_MS = 3000;
type Hub = ReturnType<typeof tenantHub>;

const open: TestSocket[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const s of open.splice(0)) s.close();
});

/*
 * A receiver that answers after `ms`: the hub runs in this isolate, so its outgoing fetch is
 * the global one. Counts the requests to `url` under way at once.
 */
function slowReceiver(url: string, ms: number) {
  const seen = { started: 0, landed: 0, atOnce: 0, maxAtOnce: 0 };
  const real = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const target = input instanceof Request ? input.url : String(input);
    if (target !== url) return real(input, init);
    seen.started++;
    seen.maxAtOnce = Math.max(seen.maxAtOnce, ++seen.atOnce);
    try {
      await new Promise((r) => setTimeout(r, ms));
      return await real(input, init);
    } finally {
      seen.atOnce--;
      seen.landed++;
    }
  });
  return seen;
}

async function setup() {
  const fleet = await seedTenant();
  const first = await seedDevice(fleet);
  const second = await seedDevice(fleet);
  const target = receiverTarget('flights');
  const integrationId = await seedIntegration(fleet.tenantId, 'webhook', { url: target.url, secret: SECRET });
  await seedRoute(fleet.tenantId, [integrationId], { events: ['alert.opened'] });
  return { fleet, first, second, target, integrationId, hub: tenantHub(fleet.tenantId) };
}

const row = async (integrationId: string) => (await deliveryRows(integrationId))[0];

const scheduleOf = (hub: Hub, key: string) =>
  runInDurableObject(hub, async (_i, state) => state.storage.sql.exec<{ due_at: number }>('SELECT due_at FROM schedule WHERE key = ?', key).toArray()[0]?.due_at ?? null);

/* As if a send were lost with its instance: the job falls due now. */
const dueNow = (hub: Hub, key: string) =>
  runInDurableObject(hub, async (_i, state) => {
    state.storage.sql.exec('UPDATE schedule SET due_at = ? WHERE key = ?', Date.now(), key);
  });

describe('deliveries beside the serial queue', () => {
  it('a slow receiver holds up no later alert: committed and on the dashboard long before it answers', async () => {
    const { fleet, first, second, target, integrationId, hub } = await setup();
    const seen = slowReceiver(target.url, SLOW_MS);
    const dash = await connectDashboard(fleet.tenantId, null);
    open.push(dash);
    await dash.next('hello');
    const t0 = performance.now();
    await hub.checkTransitions([transition(first.deviceId, 'breach', Date.now())]);
    await eventually(() => expect(seen.started).toBe(1));
    // Whatever the alarm finds due meanwhile runs beside the send, not behind it.
    const alarm = runDurableObjectAlarm(hub);
    await hub.checkTransitions([transition(second.deviceId, 'breach', Date.now())]);
    const committed = performance.now() - t0;
    const [alert] = await alertRows(second.deviceId);
    expect(alert).toMatchObject({ status: 'open' });
    const frame = await dash.next((f) => f.t === 'alert' && (f.alert as { deviceId: string }).deviceId === second.deviceId);
    const shown = performance.now() - t0;
    expect(frame.alert).toMatchObject({ id: alert!.id, status: 'open' });
    expect(committed).toBeLessThan(SLOW_MS / 3);
    expect(shown).toBeLessThan(SLOW_MS / 3);
    expect(seen.landed).toBe(0);
    await alarm;

    // Both alerts' deliveries land, each once.
    const both = await eventually(async () => {
      const rows = await deliveryRows(integrationId);
      expect(rows.map((r) => r.status)).toEqual(['delivered', 'delivered']);
      return rows;
    }, 3 * SLOW_MS);
    expect(both.map((r) => r.attempts)).toEqual([1, 1]);
    expect(await receivedAt(target.path)).toHaveLength(2);
  });

  it('sends a new delivery at once, the alarm only a fallback far ahead', async () => {
    const { first, target, integrationId, hub } = await setup();
    const t0 = Date.now();
    await hub.checkTransitions([transition(first.deviceId, 'breach', t0)]);
    const alarmAt = await runInDurableObject(hub, (_i, state) => state.storage.getAlarm());
    expect(alarmAt).toBeGreaterThanOrEqual(t0 + IN_FLIGHT_GRACE_MS / 2);
    const got = await eventually(async () => {
      const r = await receivedAt(target.path);
      expect(r).toHaveLength(1);
      return r[0]!;
    }, 1000);
    expect(got.at - t0).toBeLessThan(1000);
    const done = await eventually(async () => {
      const r = await row(integrationId);
      expect(r).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200 });
      return r!;
    }, 1000);
    // Delivered: nothing is left for the alarm.
    expect(await scheduleOf(hub, `deliver:${done.id}`)).toBeNull();
  });

  it('sends while a burst of alerts is still being worked through, not once the queue drains', async () => {
    const fleet = await seedTenant();
    const devices = [];
    for (let i = 0; i < 40; i++) devices.push(await seedDevice(fleet));
    const target = receiverTarget('burst');
    const integrationId = await seedIntegration(fleet.tenantId, 'webhook', { url: target.url, secret: SECRET });
    await seedRoute(fleet.tenantId, [integrationId], { events: ['alert.opened'] });
    const hub = tenantHub(fleet.tenantId);
    await hub.stats();
    const t0 = Date.now();
    let lastCommitted = 0;
    await Promise.all(
      devices.map(async (d) => {
        await hub.checkTransitions([transition(d.deviceId, 'breach', Date.now())]);
        lastCommitted = Math.max(lastCommitted, Date.now());
      }),
    );
    const got = await eventually(async () => {
      const r = await receivedAt(target.path);
      expect(r).toHaveLength(devices.length);
      return r;
    }, 10_000);
    const first = Math.min(...got.map((r) => r.at));
    expect(first - t0).toBeLessThan((lastCommitted - t0) / 2);
  });

  it('a failed send is retried with backoff by the alarm, and a lost one is sent again', async () => {
    const { first, second, target, integrationId, hub } = await setup();
    await answerWith(target.path, [500]);
    await hub.checkTransitions([transition(first.deviceId, 'breach', Date.now())]);
    const failed = await eventually(async () => {
      const r = await row(integrationId);
      expect(r).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 500 });
      return r!;
    });
    // The job follows the outcome: due at the row's next attempt (30 s ± 20 %), not at the fallback.
    expect(await scheduleOf(hub, `deliver:${failed.id}`)).toBe(failed.nextAttemptAt);
    expect(failed.nextAttemptAt! - failed.createdAt).toBeGreaterThanOrEqual(24_000);
    expect(failed.nextAttemptAt! - failed.createdAt).toBeLessThanOrEqual(36_000 + 1000);
    await dueNow(hub, `deliver:${failed.id}`);
    await runDurableObjectAlarm(hub);
    await eventually(async () => expect(await row(integrationId)).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 200 }));

    // A delivery stored whose send never happened (the instance died): its fallback job sends it.
    const lostId = await stableId('dlv', integrationId, 'lost-event');
    const now = Date.now();
    await db()
      .insert(deliveries)
      .values({ id: lostId, tenantId: second.tenantId, integrationId, event: 'alert.opened', eventId: 'lost-event', payload: '{"lost":true}', status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now });
    await runInDurableObject(hub, async (_i, state) => {
      state.storage.sql.exec("INSERT INTO schedule (key, kind, due_at, attempts) VALUES (?, 'deliver', ?, 0)", `deliver:${lostId}`, now);
      await state.storage.setAlarm(now);
    });
    expect(await runDurableObjectAlarm(hub)).toBe(true);
    await eventually(async () => {
      const lost = await db().select().from(deliveries).where(eq(deliveries.id, lostId)).get();
      expect(lost).toMatchObject({ status: 'delivered', attempts: 1 });
    });
    expect((await receivedAt(target.path)).map((r) => r.body)).toContain('{"lost":true}');
  });

  it('sends from the cached integration, and a change the hub is told of applies to the next retry', async () => {
    const { first, target, integrationId, hub } = await setup();
    await answerWith(target.path, [500]);
    await hub.checkTransitions([transition(first.deviceId, 'breach', Date.now())]);
    const failed = await eventually(async () => {
      const r = await row(integrationId);
      expect(r).toMatchObject({ status: 'failed', attempts: 1 });
      return r!;
    });
    await db().update(integrations).set({ enabled: false }).where(eq(integrations.id, integrationId));
    await hub.configChanged();
    await dueNow(hub, `deliver:${failed.id}`);
    await runDurableObjectAlarm(hub);
    await eventually(async () => expect(await row(integrationId)).toMatchObject({ status: 'dead', attempts: 2, lastError: 'integration disabled' }));
    expect(await receivedAt(target.path)).toHaveLength(1);
    expect(await scheduleOf(hub, `deliver:${failed.id}`)).toBeNull();
  });

  it('never sends one delivery twice at once: the alarm skips it and a redelivery waits for it', async () => {
    const { first, target, integrationId, hub } = await setup();
    const seen = slowReceiver(target.url, SLOW_MS / 2);
    await hub.checkTransitions([transition(first.deviceId, 'breach', Date.now())]);
    await eventually(() => expect(seen.started).toBe(1));
    const id = (await row(integrationId))!.id;
    // Its job falls due while the send is under way: two alarms, and a technician's redelivery.
    await dueNow(hub, `deliver:${id}`);
    await runDurableObjectAlarm(hub);
    await dueNow(hub, `deliver:${id}`);
    await runDurableObjectAlarm(hub);
    const manual = hub.redeliver(id);
    expect(seen.started).toBe(1);
    expect(await manual).toEqual({ deliveryId: id, status: 'delivered', lastStatusCode: 200, lastError: null });
    expect(seen).toMatchObject({ started: 2, landed: 2, maxAtOnce: 1 });
    // The automatic attempt and the manual one, one after the other, each recorded.
    expect(await row(integrationId)).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(await scheduleOf(hub, `deliver:${id}`)).toBeNull();
    expect(await receivedAt(target.path)).toHaveLength(2);
  });
});
