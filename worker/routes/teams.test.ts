import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, bootstrapTenant, createTenantDirect, insertDevice, snapshotTenant, type BootstrappedTenant, type UserFixture } from '../../test/support';
import { insertChatIntegration } from '../../test/chat-fixtures';
import type { CheckTransition } from '../../durable/contracts';
import { teamsSignature } from '../lib/integrations/teams-verify';
import { signActionLink } from '../lib/integrations/action-links';
import { commandText } from './teams';

const SECRET = btoa('teams-outgoing-webhook-secret-32b');
const hub = (tenantId: string) => env.TENANT_HUB.get(env.TENANT_HUB.idFromName(tenantId));
const breach = (deviceId: string, checkKey: string, at = Date.now()): CheckTransition => ({
  deviceId,
  checkKey,
  checkName: `Check ${checkKey}`,
  checkType: 'metric',
  severity: 'warning',
  state: 'breach',
  at,
  value: 91,
  message: `${checkKey} is bad`,
  escalationPolicyId: null,
});

let t: BootstrappedTenant;
let itg: string;
let tech: UserFixture;
let alertIds: Record<string, string>;

const alertStatus = async (id: string) => (await env.DB.prepare('SELECT status FROM alerts WHERE id = ?').bind(id).first<{ status: string }>())?.status;

/** An outgoing-webhook activity as Teams sends it, signed unless told otherwise. */
async function outgoing(activity: Record<string, unknown>, opts: { auth?: string | null; integration?: string } = {}) {
  const raw = JSON.stringify(activity);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const auth = opts.auth === undefined ? `HMAC ${await teamsSignature(SECRET, raw)}` : opts.auth;
  if (auth !== null) headers.authorization = auth;
  return api(null, 'POST', `/api/v1/integrations/teams/${opts.integration ?? itg}/outgoing`, raw, headers);
}
const activity = (text: string, over: Record<string, unknown> = {}) => ({
  type: 'message',
  id: crypto.randomUUID(),
  timestamp: new Date().toISOString(),
  text,
  from: { id: '29:teams-user', aadObjectId: 'aad-tech-1', name: 'Tina' },
  ...over,
});

beforeAll(async () => {
  t = await bootstrapTenant();
  const dev = await insertDevice(t, { hostname: 'web-01' });
  const at = Date.now();
  await hub(t.tenantId).checkTransitions([breach(dev, 'cpu', at), breach(dev, 'disk', at + 1), breach(dev, 'mem', at + 2)]);
  const rows = await env.DB.prepare('SELECT id, check_key FROM alerts WHERE tenant_id = ?').bind(t.tenantId).all<{ id: string; check_key: string }>();
  alertIds = Object.fromEntries(rows.results.map((r) => [r.check_key, r.id]));
  itg = await insertChatIntegration(t, 'teams', { webhookUrl: 'https://prod-00.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=xyz', outgoingSecret: SECRET });
  tech = await addUser(t, 'technician');
  expect((await api(t, 'POST', `/integrations/${itg}/user-links`, { externalUserId: 'aad-tech-1', userId: tech.userId })).status).toBe(201);
});

describe('Teams outgoing webhook', () => {
  it('answers @tether status for a linked user with a message activity', async () => {
    const res = await outgoing(activity('<at>Tether</at>&nbsp;status'));
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('message');
    expect(res.body.text).toMatch(/Devices: 0 online, 1 offline\. Open alerts: 0 critical, 3 warning/);
    expect((await outgoing(activity('<at>Tether</at> status', { from: { id: '29:x', aadObjectId: 'aad-stranger' } }))).body.text).toContain('not linked');
    expect((await outgoing(activity('<at>Tether</at> dance'))).body.text).toContain('status');
  });

  it('refuses a bad or missing HMAC, a stale timestamp and a replayed activity id', async () => {
    const before = await snapshotTenant(t.tenantId);
    expect((await outgoing(activity('status'), { auth: null })).status).toBe(401);
    expect((await outgoing(activity('status'), { auth: `HMAC ${btoa('x'.repeat(32))}` })).status).toBe(401);
    expect((await outgoing(activity('status'), { integration: 'itg_missing' })).status).toBe(401);
    const stale = activity('status', { timestamp: new Date(Date.now() - 6 * 60_000).toISOString() });
    expect((await outgoing(stale)).status).toBe(401);
    const once = activity('status');
    expect((await outgoing(once)).status).toBe(200);
    expect((await outgoing(once)).status).toBe(409);
    expect((await outgoing({ type: 'message' })).status).toBe(400);
    expect(await snapshotTenant(t.tenantId)).toEqual(before);
  });

  it('reads the command after the mention', () => {
    expect(commandText('<at>Tether</at>&nbsp;Status ')).toBe('status');
    expect(commandText('<p><at>Tether Bot</at> status</p>')).toBe('status');
  });
});

describe('signed acknowledge links', () => {
  it('GET never acts: it redirects to the alert page with the token to confirm', async () => {
    const token = await signActionLink(env.TETHER_MASTER_KEY, { tenantId: t.tenantId, alertId: alertIds.cpu });
    const res = await api(null, 'GET', `/action-links/${token}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`http://tether.test/alerts/${alertIds.cpu}?confirm=${token}`);
    expect(await alertStatus(alertIds.cpu)).toBe('open');
  });

  it('expired or tampered links answer 401 and change nothing', async () => {
    const expired = await signActionLink(env.TETHER_MASTER_KEY, { tenantId: t.tenantId, alertId: alertIds.cpu }, Date.now() - 25 * 3600_000);
    const good = await signActionLink(env.TETHER_MASTER_KEY, { tenantId: t.tenantId, alertId: alertIds.cpu });
    const tampered = good.slice(0, -2) + (good.endsWith('AA') ? 'BB' : 'AA');
    const before = await snapshotTenant(t.tenantId);
    for (const token of [expired, tampered, 'nonsense']) {
      expect((await api(null, 'GET', `/action-links/${token}`)).status).toBe(401);
      expect((await api(tech, 'POST', `/action-links/${token}`)).status).toBe(401);
    }
    expect(await snapshotTenant(t.tenantId)).toEqual(before);
  });

  it('POST by a signed-in technician acknowledges once, audited; read-only users and strangers cannot', async () => {
    const token = await signActionLink(env.TETHER_MASTER_KEY, { tenantId: t.tenantId, alertId: alertIds.disk });
    expect((await api(null, 'POST', `/action-links/${token}`, undefined, { Origin: 'http://tether.test' })).status).toBe(401);
    const readonly = await addUser(t, 'readonly');
    expect((await api(readonly, 'POST', `/action-links/${token}`)).status).toBe(403);
    const stranger = await createTenantDirect();
    expect((await api(stranger, 'POST', `/action-links/${token}`)).status).toBe(404);
    expect(await alertStatus(alertIds.disk)).toBe('open');
    const res = await api(tech, 'POST', `/action-links/${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ changed: true, alert: { id: alertIds.disk, status: 'acknowledged', acknowledgedBy: tech.userId } });
    expect((await api(tech, 'POST', `/action-links/${token}`)).status).toBe(409);
    const audit = await env.DB.prepare(`SELECT actor_id, detail FROM audit_log WHERE tenant_id = ? AND action = 'alert.acknowledge' AND target_id = ?`)
      .bind(t.tenantId, alertIds.disk)
      .all<{ actor_id: string; detail: string }>();
    expect(audit.results).toHaveLength(1);
    expect(audit.results[0].actor_id).toBe(tech.userId);
    expect(JSON.parse(audit.results[0].detail)).toMatchObject({ via: 'teams_link' });
  });

  it('a user limited to other clients gets 404 and does not burn the link', async () => {
    const scoped = await addUser(t, 'technician', ['cli_elsewhere']);
    const token = await signActionLink(env.TETHER_MASTER_KEY, { tenantId: t.tenantId, alertId: alertIds.mem });
    expect((await api(scoped, 'POST', `/action-links/${token}`)).status).toBe(404);
    expect((await api(tech, 'POST', `/action-links/${token}`)).status).toBe(200);
    expect(await alertStatus(alertIds.mem)).toBe('acknowledged');
  });
});
