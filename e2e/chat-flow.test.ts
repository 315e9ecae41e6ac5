import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, launchBrowser, startPlatform, type Platform } from './harness';
import { startReceiver, type Receiver } from './receiver';
import { waitFor } from '../scripts/lib/platform';

/*
 * The service desk and Slack, end to end on the real agent: a CPU breach opens an alert, the
 * alert→ticket rule opens a ticket, the Slack stand-in (a local receiver) gets the Block Kit
 * message, a signed "Acknowledge" click comes back through the interactivity endpoint, and
 * the technician's open Alerts page shows the alert acknowledged without a reload. Then Teams:
 * its Adaptive Card carries a signed acknowledge link that acts only once a signed-in
 * technician confirms it in the dashboard, and only once.
 */

const SIGNING_SECRET = 'e2e-slack-signing-secret';
const SLACK_USER = 'U0E2ETECH';

/** What Slack sends when a button is clicked: a form body signed with the app's secret. */
function slackClick(payload: unknown, secret: string, at = Math.floor(Date.now() / 1000)) {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${at}:${body}`).digest('hex')}`;
  return { body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(at), 'x-slack-signature': signature } };
}

type Block = { type: string; elements?: { type: string; action_id?: string; value?: string; url?: string }[] };

describe('alert → ticket → Slack and Teams → acknowledged from chat, live in the dashboard', () => {
  let platform: Platform;
  let receiver: Receiver;
  let browser: Browser;
  let page: Page;
  let burner: ChildProcess | null = null;
  let integrationId = '';
  let alertId = '';
  let setId = '';

  beforeAll(async () => {
    burner = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
    receiver = await startReceiver();
    platform = await startPlatform(8798);
    platform.startAgent();
    await waitFor(async () => (await api<{ items: { status: string }[] }>(platform, 'GET', '/devices')).items.some((d) => d.status === 'online'), 60_000);
    const me = await api<{ user: { id: string } }>(platform, 'GET', '/auth/me');

    const slack = await api<{ id: string; configHint: string }>(platform, 'POST', '/integrations', {
      kind: 'slack',
      name: 'Ops channel',
      config: { webhookUrl: `${receiver.url}/services/T0/B0/xyz`, signingSecret: SIGNING_SECRET },
    });
    integrationId = slack.id;
    expect(JSON.stringify(slack)).not.toContain(SIGNING_SECRET);
    const teams = await api<{ id: string }>(platform, 'POST', '/integrations', {
      kind: 'teams',
      name: 'Ops team',
      config: { webhookUrl: `${receiver.url}/workflows/teams` },
    });
    await api(platform, 'POST', '/notification-policies', { name: 'Alerts to chat', events: ['alert.opened'], integrationIds: [slack.id, teams.id] });
    await api(platform, 'POST', `/integrations/${slack.id}/user-links`, { externalUserId: SLACK_USER, userId: me.user.id });
    await api(platform, 'POST', '/ticket-rules', { name: 'Every alert', titleTemplate: '{{alert.checkName}} on {{device.hostname}}' });
    const set = await api<{ id: string }>(platform, 'POST', '/check-sets', {
      name: 'Servers',
      checks: [{ type: 'metric', key: 'cpu-busy', name: 'CPU busy', severity: 'critical', metric: 'cpu', op: 'above', threshold: 100 }],
    });
    setId = set.id;
    await api(platform, 'POST', '/check-set-assignments', { checkSetId: set.id, scopeType: 'tenant' });

    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${platform.url}/alerts`);
    await page.fill('#email', platform.email);
    await page.fill('#password', platform.password);
    await page.click('button[type=submit]');
    await page.locator('[data-testid="alerts-empty"]').waitFor({ timeout: 30_000 });
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  });

  afterAll(async () => {
    burner?.kill('SIGKILL');
    await browser?.close();
    await platform?.close();
    await receiver?.close();
  });

  it('a breach opens an alert, a ticket and a Slack message', async () => {
    const set = await api<{ checks: Record<string, unknown>[] }>(platform, 'GET', `/check-sets/${setId}`);
    await api(platform, 'PATCH', `/check-sets/${setId}`, { checks: set.checks.map((c) => ({ ...c, threshold: 10 })) });

    const row = page.locator('[data-testid="alert-row"]', { hasText: 'CPU busy' });
    await expect.poll(() => row.count(), { timeout: 75_000, interval: 250 }).toBe(1);
    alertId = (await row.getAttribute('data-alert-id'))!;

    // The rule's ticket, linked to the alert both ways.
    await expect.poll(async () => (await api<{ ticketId?: string | null }>(platform, 'GET', `/alerts/${alertId}`)).ticketId ?? null, { timeout: 20_000 }).not.toBeNull();
    const { ticketId } = await api<{ ticketId: string }>(platform, 'GET', `/alerts/${alertId}`);
    const ticket = await api<{ ticket: { title: string; source: string; priority: string }; alerts: { id: string }[] }>(platform, 'GET', `/tickets/${ticketId}`);
    expect(ticket.ticket).toMatchObject({ source: 'alert', priority: 'urgent' });
    expect(ticket.ticket.title).toMatch(/^CPU busy on /);
    expect(ticket.alerts.map((a) => a.id)).toEqual([alertId]);

    // Slack got Block Kit with the buttons, at the incoming-webhook path.
    await expect.poll(() => receiver.received.filter((r) => r.path === '/services/T0/B0/xyz').length, { timeout: 30_000, interval: 250 }).toBe(1);
    const sent = receiver.received.find((r) => r.path === '/services/T0/B0/xyz')!;
    expect(sent.headers['content-type']).toContain('application/json');
    const message = JSON.parse(sent.body) as { text: string; blocks: Block[] };
    expect(message.text).toContain('CPU busy');
    const buttons = message.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
    expect(buttons.map((b) => b.action_id)).toEqual(expect.arrayContaining(['tether_acknowledge', 'tether_resolve', 'tether_open']));
    expect(buttons.find((b) => b.action_id === 'tether_acknowledge')?.value).toBe(alertId);
  });

  it('a badly signed click is refused and changes nothing', async () => {
    const click = slackClick({ type: 'block_actions', user: { id: SLACK_USER }, actions: [{ action_id: 'tether_acknowledge', value: alertId }] }, 'not-the-secret');
    const res = await fetch(`${platform.url}/api/v1/integrations/slack/${integrationId}/interactivity`, { method: 'POST', ...click });
    expect(res.status).toBe(401);
    expect((await api<{ alert: { status: string } }>(platform, 'GET', `/alerts/${alertId}`)).alert.status).toBe('open');
  });

  it('a signed Acknowledge click acknowledges the alert in the open dashboard and updates the message', async () => {
    const payload = {
      type: 'block_actions',
      user: { id: SLACK_USER },
      response_url: `${receiver.url}/actions/response`,
      container: { message_ts: '1700000000.000100' },
      actions: [{ action_id: 'tether_acknowledge', value: alertId }],
    };
    const click = slackClick(payload, SIGNING_SECRET);
    const started = Date.now();
    const res = await fetch(`${platform.url}/api/v1/integrations/slack/${integrationId}/interactivity`, { method: 'POST', ...click });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);

    const row = page.locator(`[data-testid="alert-row"][data-alert-id="${alertId}"]`);
    await expect.poll(() => row.locator('[data-testid="alert-status"]').textContent(), { timeout: 15_000, interval: 250 }).toBe('acknowledged');
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

    // The original message is replaced with the new state.
    await expect.poll(() => receiver.received.filter((r) => r.path === '/actions/response').length, { timeout: 15_000 }).toBe(1);
    const update = JSON.parse(receiver.received.find((r) => r.path === '/actions/response')!.body) as { replace_original: boolean; text: string };
    expect(update.replace_original).toBe(true);

    // The same signed click again acts once: one acknowledgement in the history.
    const again = await fetch(`${platform.url}/api/v1/integrations/slack/${integrationId}/interactivity`, { method: 'POST', ...click });
    expect(again.status).toBe(200);
    const detail = await api<{ events: { kind: string }[] }>(platform, 'GET', `/alerts/${alertId}`);
    expect(detail.events.filter((e) => e.kind === 'acknowledged')).toHaveLength(1);
  });

  it('a Teams card carries a signed link that acknowledges only once a signed-in technician confirms', async () => {
    // A second check on the same set: a new alert, which reaches Teams with its card.
    const set = await api<{ checks: Record<string, unknown>[] }>(platform, 'GET', `/check-sets/${setId}`);
    await api(platform, 'PATCH', `/check-sets/${setId}`, {
      checks: [...set.checks, { type: 'metric', key: 'cpu-busy-2', name: 'CPU still busy', severity: 'warning', metric: 'cpu', op: 'above', threshold: 10 }],
    });
    type Card = { type: string; attachments: { contentType: string; content: { type: string; version: string; actions: { type: string; title: string; url: string }[] } }[] };
    const cardFor = (check: string) =>
      receiver.received.filter((r) => r.path === '/workflows/teams').map((r) => JSON.parse(r.body) as Card).find((c) => JSON.stringify(c).includes(check));
    await expect.poll(() => !!cardFor('CPU still busy'), { timeout: 75_000, interval: 250 }).toBe(true);
    const card = cardFor('CPU still busy')!.attachments[0]!;
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    const link = card.content.actions.find((a) => a.title === 'Acknowledge in Tether')!;
    expect(link.type).toBe('Action.OpenUrl');

    // Following the link (as a link preview would) changes nothing by itself.
    const row = page.locator('[data-testid="alert-row"]', { hasText: 'CPU still busy' });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    const id = (await row.getAttribute('data-alert-id'))!;
    const peek = await fetch(link.url, { redirect: 'manual' });
    expect(peek.status).toBe(302);
    expect(peek.headers.get('location')).toContain(`/alerts/${id}?confirm=`);
    expect((await api<{ alert: { status: string } }>(platform, 'GET', `/alerts/${id}`)).alert.status).toBe('open');

    // The technician follows it in the browser and confirms.
    await page.goto(link.url);
    await page.locator('[data-testid="confirm-link"]').waitFor({ timeout: 15_000 });
    await page.click('[data-testid="confirm-link-ack"]');
    await expect.poll(() => page.locator('[data-testid="drawer-status"]').textContent(), { timeout: 15_000 }).toBe('acknowledged');
    await expect.poll(() => page.locator('[data-testid="confirm-link"]').count()).toBe(0);
    const detail = await api<{ events: { kind: string }[] }>(platform, 'GET', `/alerts/${id}`);
    expect(detail.events.filter((e) => e.kind === 'acknowledged')).toHaveLength(1);

    // The same link again is refused: it acts once.
    const again = await page.evaluate(async (path) => (await fetch(path, { method: 'POST' })).status, new URL(link.url).pathname);
    expect(again).toBe(409);
  });
});
