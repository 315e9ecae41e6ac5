import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectAgent, enroll, makeEnrollmentKey, type TestAgent } from '../../test/agent-fixture';
import { addUser, api, bootstrapTenant, createTenantDirect, insertDevice, tokenFor, type Auth, type BootstrappedTenant } from '../../test/support';

let owner: BootstrappedTenant;
let other: { clientId: string; siteId: string };
let webDevice: string;
let dbDevice: string;
let otherDevice: string;
let scriptId: string;

const SECRET = 'pa55-word-only-the-agent-sees';

interface Item {
  id: string;
  deviceId: string;
  hostname: string;
  type: string;
  label: string;
  status: string;
  createdBy: string;
  createdByName: string | null;
  scriptId: string | null;
  output?: string;
}

async function queue(deviceId: string, body: Record<string, unknown>, auth: Auth = owner) {
  const res = await api(auth, 'POST', `/devices/${deviceId}/commands`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.command.id as string;
}

const history = async (query = '', auth: Auth = owner) => {
  const res = await api(auth, 'GET', `/commands${query ? `?${query}` : ''}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { items: Item[]; nextCursor: string | null };
};
const ids = async (query = '', auth: Auth = owner) => (await history(query, auth)).items.map((i) => i.id);

beforeAll(async () => {
  owner = await bootstrapTenant();
  const clientId = (await api(owner, 'POST', '/clients', { name: 'Branch office' })).body.id;
  const siteId = (await api(owner, 'POST', '/sites', { clientId, name: 'Branch' })).body.id;
  other = { clientId, siteId };
  webDevice = await insertDevice(owner, { hostname: 'web-100%' });
  dbDevice = await insertDevice(owner, { hostname: 'db-01' });
  otherDevice = await insertDevice({ tenantId: owner.tenantId, ...other }, { hostname: 'branch-pc' });
  scriptId = (
    await api(owner, 'POST', '/scripts', {
      name: 'Rotate log files',
      category: 'maintenance',
      platforms: ['linux'],
      interpreter: 'bash',
      body: 'logrotate -f /etc/logrotate.conf',
      params: [{ name: 'PASSWORD', label: 'Password', type: 'secret' }],
    })
  ).body.id;
});

describe('command history', () => {
  it('lists the tenant’s commands newest first with hostname and creator, without output, filtered and paged', async () => {
    const tech = await addUser(owner, 'technician');
    const techToken = { headers: { Authorization: `Bearer ${await tokenFor(tech)}` } };
    const a = await queue(webDevice, { type: 'process_list' });
    const b = await queue(dbDevice, { type: 'script', scriptId, values: { PASSWORD: 'x' } });
    const c = await queue(otherDevice, { type: 'power', params: { action: 'reboot' } }, tech);
    const d = await queue(dbDevice, { type: 'fetch_file', params: { path: '/etc/hosts' } }, techToken);
    const t0 = Date.now();

    expect((await ids()).slice(0, 4)).toEqual([d, c, b, a]);
    const all = await history();
    const byId = new Map(all.items.map((i) => [i.id, i]));
    expect(byId.get(b)).toMatchObject({ hostname: 'db-01', label: 'Rotate log files v1', scriptId, createdBy: owner.userId, createdByName: 'Olive Owner' });
    expect(byId.get(c)).toMatchObject({ hostname: 'branch-pc', createdByName: expect.stringContaining('technician') });
    // An API token's commands are named for the user the token acts for.
    expect(byId.get(d)!.createdByName).toBe(byId.get(c)!.createdByName);
    expect(all.items.every((i) => i.output === undefined)).toBe(true);

    expect(await ids(`deviceId=${dbDevice}`)).toEqual([d, b]);
    expect(await ids(`scriptId=${scriptId}`)).toEqual([b]);
    expect(await ids('type=power')).toEqual([c]);
    expect(await ids('status=queued&type=process_list')).toEqual([a]);
    expect(await ids('status=succeeded')).toEqual([]);
    expect(await ids(`createdBy=${tech.userId}`)).toEqual([c]);
    expect(await ids('q=branch')).toEqual([c]);
    expect(await ids('q=ROTATE')).toEqual([b]);
    expect(await ids('q=fetch')).toEqual([d]);
    // % and _ match themselves: only the host literally named web-100%.
    expect(await ids('q=100%25')).toEqual([a]);
    expect(await ids('q=%25')).toEqual([a]);
    expect(await ids(`q=${c}`)).toEqual([c]);
    expect(await ids(`to=${t0 - 60_000}`)).toEqual([]);
    expect((await ids(`from=${t0 - 60_000}&to=${t0}`)).slice(0, 4)).toEqual([d, c, b, a]);
    expect(await ids(`from=${t0 + 60_000}`)).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Item[]; nextCursor: string | null } = await history(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(await ids('limit=200'));

    const bad = await api(owner, 'GET', '/commands?status=exploded&limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['status', 'limit']));
  });

  it('shows a client-limited user only the commands of their clients’ devices, and another tenant none', async () => {
    const mine = await queue(webDevice, { type: 'process_list' });
    const theirs = await queue(otherDevice, { type: 'process_list' });
    const limited = await addUser(owner, 'readonly', [other.clientId]);
    const visible = await ids('limit=200', limited);
    expect(visible).toContain(theirs);
    expect(visible).not.toContain(mine);
    expect((await history('', limited)).items.every((i) => i.deviceId === otherDevice)).toBe(true);
    expect((await api(limited, 'GET', `/commands/${mine}`)).status).toBe(404);
    expect((await api(limited, 'GET', `/commands/${theirs}`)).status).toBe(200);

    const stranger = await createTenantDirect();
    expect(await ids('', stranger)).toEqual([]);
    expect((await api(stranger, 'GET', `/commands/${mine}`)).status).toBe(404);
    expect(await ids(`deviceId=${webDevice}`, stranger)).toEqual([]);
  });

  it('never shows a secret value: not in D1, the audit log, the history or the command', async () => {
    const { key } = await makeEnrollmentKey(owner.headers, { name: 'secret', clientId: owner.clientId, siteId: owner.siteId });
    const device: { deviceId: string; deviceToken: string } = await (await enroll(key)).json();
    const agent: TestAgent = await connectAgent(device.deviceToken);
    await agent.next('welcome');
    const id = await queue(device.deviceId, { type: 'script', scriptId, values: { PASSWORD: SECRET } });

    // The agent does get it, inside the signed payload: so the checks below can fail.
    const frame = await agent.next('cmd');
    expect(JSON.parse(frame.cmd.payload).params.env.PARAM_PASSWORD).toBe(SECRET);
    agent.send({ t: 'cmd_ack', fid: 1, id });
    agent.send({ t: 'out', fid: 2, id, seq: 0, stream: 'stdout', data: 'rotated with ******\n' });
    agent.send({ t: 'done', fid: 3, id, status: 'succeeded', exitCode: 0, durationMs: 5, truncated: false });
    await expect.poll(async () => (await env.DB.prepare('SELECT status FROM commands WHERE id = ?').bind(id).first<{ status: string }>())!.status).toBe('succeeded');

    const row = await env.DB.prepare('SELECT * FROM commands WHERE id = ?').bind(id).first();
    expect(JSON.stringify(row)).not.toContain(SECRET);
    expect(JSON.stringify(row)).toContain('PARAM_PASSWORD');
    const { results: audit } = await env.DB.prepare('SELECT * FROM audit_log WHERE tenant_id = ?').bind(owner.tenantId).all();
    expect(JSON.stringify(audit)).toContain(id);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    const list = await api(owner, 'GET', `/commands?deviceId=${device.deviceId}`);
    expect(list.body.items[0].id).toBe(id);
    expect(JSON.stringify(list.body)).not.toContain(SECRET);
    const one = await api(owner, 'GET', `/commands/${id}`);
    expect(one.body.command).toMatchObject({ status: 'succeeded', label: 'Rotate log files v1', params: { env: { PARAM_PASSWORD: '******' } } });
    expect(JSON.stringify(one.body)).not.toContain(SECRET);
    const perDevice = await api(owner, 'GET', `/devices/${device.deviceId}/commands`);
    expect(JSON.stringify(perDevice.body)).not.toContain(SECRET);
    agent.ws.close();
  });
});
