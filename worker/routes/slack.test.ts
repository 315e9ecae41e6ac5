import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, bootstrapTenant, clearOfWindowEdge, insertDevice, snapshotTenant, type BootstrappedTenant, type UserFixture } from '../../test/support';
import { insertChatIntegration, receiverHook } from '../../test/chat-fixtures';
import type { CheckTransition } from '../../durable/contracts';
import { slackSignature } from '../lib/integrations/slack-verify';
import { SLACK_ACTION } from '../lib/integrations/slack-message';
import { allowedResponseUrl } from '../lib/integrations/slack-reply';

const SECRET = 'slack-signing-secret-for-tests';
const hub = (tenantId: string) => env.TENANT_HUB.get(env.TENANT_HUB.idFromName(tenantId));
const breach = (deviceId: string, checkKey: string, at = Date.now()): CheckTransition => ({
  deviceId,
  checkKey,
  checkName: `Check ${checkKey}`,
  checkType: 'metric',
  severity: 'critical',
  state: 'breach',
  at,
  value: 97,
  message: `${checkKey} is bad`,
  escalationPolicyId: null,
});

let t: BootstrappedTenant;
let itg: string;
let tech: UserFixture;
let otherClient: string;
let alertIds: Record<string, string>;

async function alertRow(id: string) {
  return env.DB.prepare('SELECT status, acknowledged_by, resolved_by FROM alerts WHERE id = ?').bind(id).first<{ status: string; acknowledged_by: string | null }>();
}
const nowTs = () => String(Math.floor(Date.now() / 1000));

/** POSTs a form body to a Slack endpoint, signed unless told otherwise. */
async function slack(kind: 'interactivity' | 'commands', form: Record<string, string>, opts: { ts?: string; sig?: string | null; integration?: string } = {}) {
  const raw = new URLSearchParams(form).toString();
  const ts = opts.ts ?? nowTs();
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts };
  const sig = opts.sig === undefined ? await slackSignature(SECRET, ts, raw) : opts.sig;
  if (sig !== null) headers['x-slack-signature'] = sig;
  return { ...(await api(null, 'POST', `/api/v1/integrations/slack/${opts.integration ?? itg}/${kind}`, raw, headers)), ts, sig };
}

const click = (userId: string, actionId: string, alertId: string, responseUrl: string) => ({
  payload: JSON.stringify({
    type: 'block_actions',
    user: { id: userId, username: 'someone' },
    response_url: responseUrl,
    container: { type: 'message', message_ts: '1700000000.000100' },
    actions: [{ action_id: actionId, value: alertId, type: 'button', block_id: 'b' }],
  }),
});

beforeAll(async () => {
  t = await bootstrapTenant();
  otherClient = (await api(t, 'POST', '/clients', { name: 'Other' })).body.id;
  const otherSite = (await api(t, 'POST', '/sites', { clientId: otherClient, name: 'Other Site' })).body.id;
  const dev = await insertDevice(t, { hostname: 'web-01', status: 'online' });
  const foreignDev = await insertDevice({ tenantId: t.tenantId, clientId: otherClient, siteId: otherSite }, { hostname: 'db-07' });
  const at = Date.now();
  await hub(t.tenantId).checkTransitions([
    breach(dev, 'cpu', at),
    breach(dev, 'disk', at + 1),
    breach(dev, 'mem', at + 2),
    breach(foreignDev, 'cpu', at + 3),
    breach(dev, 'swap', at + 4),
  ]);
  const rows = await env.DB.prepare('SELECT id, check_key, device_id FROM alerts WHERE tenant_id = ?').bind(t.tenantId).all<{ id: string; check_key: string; device_id: string }>();
  alertIds = Object.fromEntries(rows.results.map((r) => [r.device_id === foreignDev ? 'foreign' : r.check_key, r.id]));
  itg = await insertChatIntegration(t, 'slack', { webhookUrl: 'https://hooks.slack.com/services/T0/B0/secretpart', signingSecret: SECRET });
  tech = await addUser(t, 'technician', [t.clientId]);
  const link = await api(t, 'POST', `/integrations/${itg}/user-links`, { externalUserId: 'U_TECH', userId: tech.userId });
  expect(link.status).toBe(201);
});

describe('Slack interactivity', () => {
  it('refuses a bad signature, a missing header, a stale timestamp and an unknown or disabled integration with 401, changing nothing', async () => {
    const hook = receiverHook('refused');
    const form = click('U_TECH', SLACK_ACTION.acknowledge, alertIds.cpu, hook.url);
    const disabled = await insertChatIntegration(t, 'slack', { webhookUrl: 'https://hooks.slack.com/services/T0/B0/x', signingSecret: SECRET }, false);
    const noSecret = await insertChatIntegration(t, 'slack', { webhookUrl: 'https://hooks.slack.com/services/T0/B0/y' });
    const before = await snapshotTenant(t.tenantId);
    expect((await slack('interactivity', form, { sig: 'v0=' + '0'.repeat(64) })).status).toBe(401);
    expect((await slack('interactivity', form, { sig: null })).status).toBe(401);
    const stale = String(Math.floor(Date.now() / 1000) - 301);
    expect((await slack('interactivity', form, { ts: stale })).status).toBe(401);
    expect((await slack('interactivity', form, { integration: 'itg_doesnotexist' })).status).toBe(401);
    expect((await slack('interactivity', form, { integration: disabled })).status).toBe(401);
    expect((await slack('interactivity', form, { integration: noSecret })).status).toBe(401);
    expect((await alertRow(alertIds.cpu))?.status).toBe('open');
    expect(await snapshotTenant(t.tenantId)).toEqual(before);
    expect(await hook.received()).toEqual([]);
  });

  it('a linked technician acknowledges with a click; the original message is replaced through response_url', async () => {
    const hook = receiverHook('ack');
    const res = await slack('interactivity', click('U_TECH', SLACK_ACTION.acknowledge, alertIds.cpu, hook.url));
    expect(res.status).toBe(200);
    expect(res.body).toBeNull();
    expect(await alertRow(alertIds.cpu)).toMatchObject({ status: 'acknowledged', acknowledged_by: tech.userId });
    const [msg] = await hook.waitFor(1);
    expect(msg.method).toBe('POST');
    const body = JSON.parse(msg.body);
    expect(body.replace_original).toBe(true);
    expect(body.blocks.map((b: { type: string }) => b.type)).toEqual(['section', 'context', 'actions']);
    const buttons = body.blocks[2].elements.map((e: { action_id: string }) => e.action_id);
    expect(buttons).toEqual([SLACK_ACTION.resolve, SLACK_ACTION.createTicket, SLACK_ACTION.open]);
    expect(JSON.stringify(body.blocks[1])).toContain('Acknowledged by');
    const audit = await env.DB.prepare(`SELECT actor_id, detail FROM audit_log WHERE tenant_id = ? AND action = 'alert.acknowledge' AND target_id = ?`)
      .bind(t.tenantId, alertIds.cpu)
      .all<{ actor_id: string; detail: string }>();
    expect(audit.results).toHaveLength(1);
    expect(audit.results[0].actor_id).toBe(tech.userId);
    expect(JSON.parse(audit.results[0].detail)).toMatchObject({ via: 'slack', integrationId: itg });
  });

  it('a replayed click (same timestamp and signature) acts once', async () => {
    const hook = receiverHook('replay');
    const form = click('U_TECH', SLACK_ACTION.resolve, alertIds.disk, hook.url);
    const first = await slack('interactivity', form);
    expect(first.status).toBe(200);
    expect((await alertRow(alertIds.disk))?.status).toBe('resolved');
    await hook.waitFor(1);
    const again = await slack('interactivity', form, { ts: first.ts, sig: first.sig });
    expect(again.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(await hook.received()).toHaveLength(1);
    const events = await env.DB.prepare(`SELECT count(*) AS n FROM alert_events WHERE alert_id = ? AND kind = 'resolved'`).bind(alertIds.disk).first<{ n: number }>();
    expect(events?.n).toBe(1);
  });

  it('an unlinked user, a read-only user and a user without the alert’s client change nothing and get an ephemeral answer', async () => {
    const readonly = await addUser(t, 'readonly');
    expect((await api(t, 'POST', `/integrations/${itg}/user-links`, { externalUserId: 'U_RO', userId: readonly.userId })).status).toBe(201);
    const before = await snapshotTenant(t.tenantId);
    for (const [user, alertId] of [
      ['U_NOBODY', alertIds.mem],
      ['U_RO', alertIds.mem],
      ['U_TECH', alertIds.foreign],
    ] as const) {
      const hook = receiverHook('denied');
      const res = await slack('interactivity', click(user, SLACK_ACTION.acknowledge, alertId, hook.url));
      expect(res.status).toBe(200);
      const [msg] = await hook.waitFor(1);
      expect(JSON.parse(msg.body)).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    }
    expect(await snapshotTenant(t.tenantId)).toEqual(before);
  });

  it('Create ticket opens one ticket linked to the alert; a second click names the same ticket', async () => {
    const hook = receiverHook('ticket');
    expect((await slack('interactivity', click('U_TECH', SLACK_ACTION.createTicket, alertIds.swap, hook.url))).status).toBe(200);
    const link = await env.DB.prepare('SELECT t.id, t.number, t.source, t.client_id FROM ticket_alerts ta JOIN tickets t ON t.id = ta.ticket_id WHERE ta.alert_id = ?')
      .bind(alertIds.swap)
      .first<{ id: string; number: number; source: string; client_id: string }>();
    expect(link).toMatchObject({ source: 'slack', client_id: t.clientId });
    const [first] = await hook.waitFor(1);
    expect(first.body).toContain(`Ticket #${link!.number} opened`);
    // A second, distinct request (a byte-identical one within the same second is a replay).
    const earlier = String(Number(nowTs()) - 1);
    expect((await slack('interactivity', click('U_TECH', SLACK_ACTION.createTicket, alertIds.swap, hook.url), { ts: earlier })).status).toBe(200);
    const [, second] = await hook.waitFor(2);
    expect(second.body).toContain(`Ticket #${link!.number} already open`);
    const count = await env.DB.prepare('SELECT count(*) AS n FROM tickets WHERE tenant_id = ?').bind(t.tenantId).first<{ n: number }>();
    expect(count?.n).toBe(1);
  });

  it('the Open link button and malformed payloads do nothing', async () => {
    const hook = receiverHook('open');
    expect((await slack('interactivity', click('U_TECH', SLACK_ACTION.open, alertIds.mem, hook.url))).status).toBe(200);
    expect((await slack('interactivity', { payload: '{not json' })).status).toBe(400);
    expect((await slack('interactivity', { payload: JSON.stringify({ type: 'block_actions', actions: [] }) })).status).toBe(400);
    expect((await alertRow(alertIds.mem))?.status).toBe('open');
    await new Promise((r) => setTimeout(r, 200));
    expect(await hook.received()).toEqual([]);
  });

  it('is rate limited per integration (429 once over the limit), other integrations unaffected', async () => {
    const busy = await insertChatIntegration(t, 'slack', { webhookUrl: 'https://hooks.slack.com/services/T0/B0/busy', signingSecret: SECRET });
    const form = { payload: JSON.stringify({ type: 'view_closed' }) };
    const statuses: number[] = [];
    // The limit is 120 a minute in fixed windows; 121 calls take a few seconds here.
    await clearOfWindowEdge(60_000, 20_000);
    for (let i = 0; i < 121; i++) statuses.push((await slack('interactivity', form, { integration: busy })).status);
    expect(statuses.slice(0, 120).every((s) => s === 200)).toBe(true);
    expect(statuses[120]).toBe(429);
    expect((await slack('interactivity', form)).status).toBe(200);
  }, 60_000);

  it('response_url may only be Slack’s own host (the local receiver is a test-only allowance)', () => {
    const prod = { ...env, SLACK_RESPONSE_URL_ALLOW: undefined };
    expect(allowedResponseUrl(prod, 'https://hooks.slack.com/actions/T0/1/abc')).toBe('https://hooks.slack.com/actions/T0/1/abc');
    expect(allowedResponseUrl(prod, 'http://127.0.0.1:8787/hook')).toBeNull();
    expect(allowedResponseUrl(prod, 'https://hooks.slack.com.evil.example/x')).toBeNull();
    expect(allowedResponseUrl(prod, 'https://user@hooks.slack.com/x')).toBeNull();
    expect(allowedResponseUrl(prod, 'http://hooks.slack.com/x')).toBeNull();
    expect(allowedResponseUrl(prod, 'not a url')).toBeNull();
  });
});

describe('Slack slash command /tether', () => {
  const cmd = (userId: string, text: string) => ({ command: '/tether', text, user_id: userId, response_url: 'https://hooks.slack.com/commands/T0/1/x' });

  it('status and alerts answer ephemerally, limited to the linked user’s clients', async () => {
    const status = await slack('commands', cmd('U_TECH', 'status'));
    expect(status.status).toBe(200);
    expect(status.body.response_type).toBe('ephemeral');
    expect(status.body.text).toMatch(/Devices: 1 online, 0 offline/);
    const alerts = await slack('commands', cmd('U_TECH', 'alerts'));
    expect(alerts.body.response_type).toBe('ephemeral');
    expect(alerts.body.text).toContain(alertIds.mem);
    expect(alerts.body.text).not.toContain(alertIds.foreign);
    expect((await slack('commands', cmd('U_TECH', 'help'))).body.text).toContain('Usage');
  });

  it('ack <id> acknowledges as the linked user; unlinked users and bad signatures change nothing', async () => {
    const before = await snapshotTenant(t.tenantId);
    expect((await slack('commands', cmd('U_NOBODY', `ack ${alertIds.mem}`))).body.text).toContain('not linked');
    expect((await slack('commands', cmd('U_TECH', `ack ${alertIds.mem}`), { sig: null })).status).toBe(401);
    expect((await slack('commands', cmd('U_TECH', `ack ${alertIds.foreign}`))).body.text).toContain('does not exist');
    expect(await snapshotTenant(t.tenantId)).toEqual(before);
    const res = await slack('commands', cmd('U_TECH', `ack ${alertIds.mem}`));
    expect(res.body.text).toMatch(/^Acknowledged/);
    expect(await alertRow(alertIds.mem)).toMatchObject({ status: 'acknowledged', acknowledged_by: tech.userId });
    const replay = await slack('commands', cmd('U_TECH', `ack ${alertIds.mem}`), { ts: res.ts, sig: res.sig });
    expect(replay.body.text).toContain('already handled');
  });
});

describe('chat user links', () => {
  it('admin or higher; the user must be the tenant’s and within the caller’s access; audited', async () => {
    const admin = await addUser(t, 'admin');
    expect((await api(tech, 'GET', `/integrations/${itg}/user-links`)).status).toBe(403);
    const list = await api(admin, 'GET', `/integrations/${itg}/user-links`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((l: { externalUserId: string }) => l.externalUserId)).toContain('U_TECH');
    expect((await api(admin, 'POST', `/integrations/${itg}/user-links`, { externalUserId: 'U_OWNER', userId: t.userId })).status).toBe(400);
    expect((await api(admin, 'POST', `/integrations/${itg}/user-links`, { externalUserId: 'U_X', userId: 'usr_nope' })).status).toBe(400);
    expect((await api(admin, 'POST', `/integrations/${itg}/user-links`, { externalUserId: 'bad id!', userId: tech.userId })).status).toBe(400);
    expect((await api(admin, 'POST', `/integrations/${itg}/user-links`, { externalUserId: 'U_TECH', userId: tech.userId })).status).toBe(409);
    expect((await api(admin, 'POST', `/integrations/itg_missing/user-links`, { externalUserId: 'U_Y', userId: tech.userId })).status).toBe(404);
    expect((await api(admin, 'DELETE', `/integrations/${itg}/user-links/U_RO`)).status).toBe(204);
    expect((await api(admin, 'DELETE', `/integrations/${itg}/user-links/U_RO`)).status).toBe(404);
    const actions = await env.DB.prepare(`SELECT action FROM audit_log WHERE tenant_id = ? AND action LIKE 'integration.user_link.%' ORDER BY created_at`)
      .bind(t.tenantId)
      .all<{ action: string }>();
    expect(actions.results.map((r) => r.action)).toEqual(['integration.user_link.create', 'integration.user_link.create', 'integration.user_link.delete']);
  });
});
