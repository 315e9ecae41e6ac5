import { runDurableObjectAlarm } from 'cloudflare:test';
import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import { TenantFeedFrame } from '../protocol/live';
import { seedDevice, seedTenant } from './testing/fixtures';
import { connectDashboard, eventually, tenantHub, type TestSocket } from './testing/sockets';
import { alertEvents, alertRows, notificationsFor, seedPolicy, seedUser, seedWindow, transition } from './testing/monitoring';
import { REOPEN_WINDOW_MS, SETTLE_MS } from './tenant/alert-lifecycle';

const MIN = 60_000;
const open: TestSocket[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

async function setup() {
  const fleet = await seedTenant();
  const device = await seedDevice(fleet);
  return { fleet, device, hub: tenantHub(fleet.tenantId) };
}

describe('alert lifecycle', () => {
  it('opens one alert per (device, check), feeds dashboards, auto-resolves on clear', async () => {
    const { fleet, device, hub } = await setup();
    const dash = await connectDashboard(fleet.tenantId, null);
    open.push(dash);
    await dash.next('hello');
    const t0 = Date.now();
    await hub.checkTransitions([transition(device.deviceId, 'breach', t0)]);
    // A repeat of the same breach (a hub retrying) and a second breach change nothing new.
    await hub.checkTransitions([transition(device.deviceId, 'breach', t0)]);
    await hub.checkTransitions([transition(device.deviceId, 'breach', t0 + 1, { severity: 'warning' })]);
    let rows = await alertRows(device.deviceId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'open', severity: 'warning', clientId: device.clientId, transitions: 2 });
    const frame = await dash.next('alert');
    expect(frame.alert).toMatchObject({ id: rows[0]!.id, status: 'open', hostname: 'enrolled-name' });

    await hub.checkTransitions([transition(device.deviceId, 'clear', t0 + 2)]);
    rows = await alertRows(device.deviceId);
    expect(rows[0]).toMatchObject({ status: 'resolved', resolvedBy: 'auto', flapping: false });
    expect((await alertEvents(rows[0]!.id)).map((e) => e.kind)).toEqual(['opened', 'breach', 'severity', 'resolved']);
  });

  it('acknowledges and resolves by hand; unknown ids are reported unchanged', async () => {
    const { device, hub } = await setup();
    await hub.checkTransitions([transition(device.deviceId, 'breach', Date.now())]);
    const [row] = await alertRows(device.deviceId);
    expect(await hub.alertAction('acknowledge', [row!.id, 'alr_nope'], 'usr_alice')).toEqual({ changed: [row!.id], unchanged: ['alr_nope'] });
    expect(await hub.alertAction('acknowledge', [row!.id], 'usr_alice')).toEqual({ changed: [], unchanged: [row!.id] });
    expect((await alertRows(device.deviceId))[0]).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'usr_alice' });
    expect(await hub.alertAction('resolve', [row!.id], 'usr_bob', 'fixed the cron job')).toEqual({ changed: [row!.id], unchanged: [] });
    expect((await alertRows(device.deviceId))[0]).toMatchObject({ status: 'resolved', resolvedBy: 'usr_bob' });
    // A human resolution is final: the next breach is a new alert.
    await hub.checkTransitions([transition(device.deviceId, 'breach', Date.now() + 5)]);
    expect(await alertRows(device.deviceId)).toHaveLength(2);
  });

  it('holds a flapping alert open instead of reopening it, and resolves it once it settles', async () => {
    const { device, hub } = await setup();
    const t0 = Date.now() - SETTLE_MS - 5 * MIN;
    await hub.checkTransitions([
      transition(device.deviceId, 'breach', t0),
      transition(device.deviceId, 'clear', t0 + 1000),
      transition(device.deviceId, 'breach', t0 + 2000),
      transition(device.deviceId, 'clear', t0 + 3000),
      transition(device.deviceId, 'breach', t0 + 4000),
      transition(device.deviceId, 'clear', t0 + 5000),
    ]);
    let rows = await alertRows(device.deviceId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'open', flapping: true, transitions: 6 });
    // The settle timer is already due (the last clear was long enough ago).
    expect(await runDurableObjectAlarm(hub)).toBe(true);
    rows = await alertRows(device.deviceId);
    expect(rows[0]).toMatchObject({ status: 'resolved', resolvedBy: 'auto', flapping: true });
    // Long after the reopen window, a breach is a new alert again.
    await hub.checkTransitions([transition(device.deviceId, 'breach', Date.now() + REOPEN_WINDOW_MS + 1)]);
    expect(await alertRows(device.deviceId)).toHaveLength(2);
  });

  it('a breach during the settle time keeps the flapping alert open', async () => {
    const { device, hub } = await setup();
    const t0 = Date.now() - SETTLE_MS - 5 * MIN;
    await hub.checkTransitions([
      transition(device.deviceId, 'breach', t0),
      transition(device.deviceId, 'clear', t0 + 1000),
      transition(device.deviceId, 'breach', t0 + 2000),
      transition(device.deviceId, 'clear', t0 + 3000),
      transition(device.deviceId, 'breach', Date.now()),
    ]);
    await runDurableObjectAlarm(hub);
    expect((await alertRows(device.deviceId))[0]).toMatchObject({ status: 'open', flapping: true });
  });
});

describe('escalation', () => {
  it('notifies tier by tier until acknowledged, then stops', async () => {
    const { fleet, device, hub } = await setup();
    const owner = await seedUser(fleet.tenantId, 'owner');
    const tech = await seedUser(fleet.tenantId, 'technician');
    const otherClientTech = await seedUser(fleet.tenantId, 'technician', ['cli_other']);
    await seedPolicy(fleet.tenantId, [
      { afterMinutes: 0, userIds: [], roles: ['technician'] },
      { afterMinutes: 10, userIds: [owner], roles: [] },
      { afterMinutes: 30, userIds: [owner], roles: ['admin'] },
    ]);
    const dash = await connectDashboard(fleet.tenantId, null, tech);
    open.push(dash);
    await dash.next('hello');
    // Opened 11 minutes ago: tiers 1 and 2 are due, tier 3 is not.
    await hub.checkTransitions([transition(device.deviceId, 'breach', Date.now() - 11 * MIN)]);
    await runDurableObjectAlarm(hub);
    await runDurableObjectAlarm(hub);
    let sent = await notificationsFor(fleet.tenantId);
    expect(sent.map((n) => n.userId).sort()).toEqual([owner, tech].sort());
    expect(sent.some((n) => n.userId === otherClientTech)).toBe(false);
    const note = await dash.next('notification');
    expect(note).toMatchObject({ userId: tech, notification: { title: expect.stringContaining('CPU high') } });
    // The dashboard drops a frame its schema refuses: the frame must fit it.
    expect(v.safeParse(TenantFeedFrame, note).issues).toBeUndefined();
    const [row] = await alertRows(device.deviceId);
    expect(row).toMatchObject({ escalationTier: 2 });

    // The same alarm again (at-least-once) sends nothing twice.
    await runDurableObjectAlarm(hub);
    expect(await notificationsFor(fleet.tenantId)).toHaveLength(2);

    await hub.alertAction('acknowledge', [row!.id], tech);
    await runDurableObjectAlarm(hub);
    sent = await notificationsFor(fleet.tenantId);
    expect(sent).toHaveLength(2);
    expect((await alertEvents(row!.id)).filter((e) => e.kind === 'escalated')).toHaveLength(2);
  });

  it('repeats the last tier while unacknowledged', async () => {
    const { fleet, device, hub } = await setup();
    const owner = await seedUser(fleet.tenantId, 'owner');
    await seedPolicy(fleet.tenantId, [{ afterMinutes: 0, userIds: [owner], roles: [] }], 5);
    await hub.checkTransitions([transition(device.deviceId, 'breach', Date.now() - 12 * MIN)]);
    await runDurableObjectAlarm(hub);
    // The first notification went now; the repeat is 5 minutes away, not due yet.
    await runDurableObjectAlarm(hub);
    expect(await notificationsFor(fleet.tenantId)).toHaveLength(1);
  });
});

describe('maintenance windows', () => {
  it('records alerts inside a window but notifies no one', async () => {
    const { fleet, device, hub } = await setup();
    const owner = await seedUser(fleet.tenantId, 'owner');
    await seedPolicy(fleet.tenantId, [{ afterMinutes: 0, userIds: [owner], roles: [] }]);
    await seedWindow(fleet.tenantId, device.clientId, Date.now() - 60 * MIN, Date.now() + 60 * MIN);
    await hub.configChanged();
    await hub.checkTransitions([transition(device.deviceId, 'breach', Date.now())]);
    await runDurableObjectAlarm(hub);
    const [row] = await alertRows(device.deviceId);
    expect(row).toMatchObject({ status: 'open', suppressed: true });
    expect(await notificationsFor(fleet.tenantId)).toHaveLength(0);
    expect((await alertEvents(row!.id)).map((e) => e.kind)).toEqual(['opened', 'suppressed']);
  });

  it('an alert reopened by flapping inside a window notifies no one either', async () => {
    const { fleet, device, hub } = await setup();
    const owner = await seedUser(fleet.tenantId, 'owner');
    await seedPolicy(fleet.tenantId, [{ afterMinutes: 0, userIds: [owner], roles: [] }]);
    const t0 = Date.now() - 10 * MIN;
    // Opened and auto-resolved before any window: it notified once.
    await hub.checkTransitions([transition(device.deviceId, 'breach', t0)]);
    await runDurableObjectAlarm(hub);
    await hub.checkTransitions([transition(device.deviceId, 'clear', t0 + MIN)]);
    expect(await notificationsFor(fleet.tenantId)).toHaveLength(1);
    // A window starts; the same check breaches again within the reopen window.
    await seedWindow(fleet.tenantId, device.clientId, Date.now() - MIN, Date.now() + 60 * MIN);
    await hub.configChanged();
    await hub.checkTransitions([transition(device.deviceId, 'breach', Date.now())]);
    await runDurableObjectAlarm(hub);
    const rows = await alertRows(device.deviceId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'open', flapping: true, suppressed: true });
    expect(await notificationsFor(fleet.tenantId)).toHaveLength(1);
    expect((await alertEvents(rows[0]!.id)).map((e) => e.kind)).toContain('suppressed');
  });

  it('starts escalating when the window ends with the alert still open', async () => {
    const { fleet, device, hub } = await setup();
    const owner = await seedUser(fleet.tenantId, 'owner');
    await seedPolicy(fleet.tenantId, [{ afterMinutes: 0, userIds: [owner], roles: [] }]);
    // Long enough to open the alert inside it on a loaded machine.
    const ends = Date.now() + 2000;
    await seedWindow(fleet.tenantId, device.clientId, Date.now() - 60 * MIN, ends);
    await hub.configChanged();
    await hub.checkTransitions([transition(device.deviceId, 'breach', Date.now())]);
    expect((await alertRows(device.deviceId))[0]).toMatchObject({ suppressed: true });
    await new Promise((r) => setTimeout(r, ends - Date.now() + 50));
    await runDurableObjectAlarm(hub); // maintenance end
    await runDurableObjectAlarm(hub); // escalation, now due
    // The runtime may have fired the alarm itself a moment earlier: wait for its step to finish.
    await eventually(async () => expect((await alertRows(device.deviceId))[0]).toMatchObject({ suppressed: false, escalationTier: 1 }));
    expect(await notificationsFor(fleet.tenantId)).toHaveLength(1);
  });
});
