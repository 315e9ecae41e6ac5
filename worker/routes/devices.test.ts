import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectAgent, enroll, makeEnrollmentKey, MACHINE } from '../../test/agent-fixture';
import { ORIGIN, bootstrapTenant } from '../../test/support';

let owner: Awaited<ReturnType<typeof bootstrapTenant>>;
let clientId: string;
let siteId: string;
const ids: string[] = [];

type Page = { items: { id: string; hostname: string; status: string; tags: string[]; clientName: string; siteName: string; lastSeenAt: number | null }[]; nextCursor: string | null };

async function list(query: string): Promise<Page> {
  const res = await SELF.fetch(`${ORIGIN}/api/v1/devices${query}`, { headers: owner.headers });
  expect(res.status).toBe(200);
  return res.json();
}

beforeAll(async () => {
  owner = await bootstrapTenant();
  ({ clientId, siteId } = owner);
  // 25 devices straight into D1: listing is what is under test here, not enrollment.
  const stmt = env.DB.prepare(
    `INSERT INTO devices (id, tenant_id, client_id, site_id, hostname, os_platform, os_name, os_version, arch, agent_version,
       token_hash, status, last_seen_at, ip_addresses, enrolled_at)
     VALUES (?, ?, ?, ?, ?, 'linux', 'Debian', '12', 'x64', '0.1.0', ?, ?, ?, ?, ?)`,
  );
  const batch = [];
  for (let i = 0; i < 25; i++) {
    const id = `dev_list${String(i).padStart(4, '0')}xxxxxxxxxxxxxx`;
    ids.push(id);
    const host = i % 5 === 0 ? `SQL-${i}` : `web-${String(i).padStart(2, '0')}`;
    batch.push(
      stmt.bind(id, owner.tenantId, clientId, siteId, host, `hash${i}`, i % 2 ? 'online' : 'offline', 1_000_000 + i, JSON.stringify([`10.0.0.${i}`]), Date.now()),
    );
  }
  await env.DB.batch(batch);
});

describe('GET /devices', () => {
  it('pages through every device exactly once, in hostname order', async () => {
    const seen: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const page = await list(`?limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((d) => d.hostname));
      cursor = page.nextCursor;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect(seen).toEqual([...seen].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  });

  it('sorts descending by last seen across pages', async () => {
    const a = await list('?sort=-lastSeenAt&limit=7');
    const b = await list(`?sort=-lastSeenAt&limit=7&cursor=${a.nextCursor}`);
    const times = [...a.items, ...b.items].map((d) => d.lastSeenAt!);
    expect(times).toEqual([...times].sort((x, y) => y - x));
    expect(times[0]).toBe(1_000_024);
  });

  it('filters by status, search (hostname, IP) and carries client and site names', async () => {
    const online = await list('?status=online&limit=1000');
    expect(online.items).toHaveLength(12);
    expect(online.items.every((d) => d.status === 'online')).toBe(true);
    const sql = await list('?q=sql');
    expect(sql.items.map((d) => d.hostname).sort()).toEqual(['SQL-0', 'SQL-10', 'SQL-15', 'SQL-20', 'SQL-5']);
    const byIp = await list('?q=10.0.0.17');
    expect(byIp.items.map((d) => d.hostname)).toEqual(['web-17']);
    const literal = await list('?q=%25');
    expect(literal.items).toHaveLength(0);
    expect(sql.items[0]).toMatchObject({ clientName: 'Internal', siteName: 'Main' });
  });

  it('sets tags, filters by tag, and counts them', async () => {
    const res = await SELF.fetch(`${ORIGIN}/api/v1/devices/${ids[3]}`, {
      method: 'PATCH',
      headers: { ...owner.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ tags: ['prod', 'db', 'prod'], displayName: 'Billing DB' }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { device: { tags: string[]; displayName: string } }).device).toMatchObject({ tags: ['db', 'prod'], displayName: 'Billing DB' });
    const tagged = await list('?tag=prod');
    expect(tagged.items.map((d) => d.id)).toEqual([ids[3]]);
    const tags = await (await SELF.fetch(`${ORIGIN}/api/v1/tags`, { headers: owner.headers })).json<{ items: { tag: string; count: number }[] }>();
    expect(tags.items).toEqual([
      { tag: 'db', count: 1 },
      { tag: 'prod', count: 1 },
    ]);
    const bad = await SELF.fetch(`${ORIGIN}/api/v1/devices/${ids[3]}`, {
      method: 'PATCH',
      headers: { ...owner.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ tags: ['<script>'] }),
    });
    expect(bad.status).toBe(400);
  });

  it('refuses bad queries with the issues', async () => {
    const res = await SELF.fetch(`${ORIGIN}/api/v1/devices?limit=5000&status=sleeping&cursor=zzz`, { headers: owner.headers });
    expect(res.status).toBe(400);
    const body = await res.json<{ error: { issues: { path: string }[] } }>();
    expect(body.error.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['limit', 'status']));
    const cursor = await SELF.fetch(`${ORIGIN}/api/v1/devices?cursor=notacursor`, { headers: owner.headers });
    expect(cursor.status).toBe(400);
  });
});

describe('device detail, metrics and live sockets', () => {
  it('shows live status and metric points after heartbeats', async () => {
    const { clientId: c, siteId: s } = { clientId, siteId };
    const { key } = await makeEnrollmentKey(owner.headers, { name: 'live', clientId: c, siteId: s });
    const device = await (await enroll(key)).json<{ deviceId: string; deviceToken: string }>();
    const agent = await connectAgent(device.deviceToken);
    await agent.next('welcome');
    agent.send({ t: 'hello', agentVersion: '0.1.0', hostname: MACHINE.hostname, os: MACHINE.os });
    const sample = {
      ts: Date.now(),
      cpuPercent: 42.5,
      memTotalBytes: 8e9,
      memUsedBytes: 2e9,
      volumes: [{ mount: '/', fs: 'ext4', sizeBytes: 100e9, usedBytes: 50e9 }],
      uptimeSeconds: 1000,
      users: ['alice'],
      ipAddresses: ['192.0.2.10'],
    };
    agent.send({ t: 'hb', seq: 1, m: sample });
    await agent.next('hb_ack');
    const detail = await (await SELF.fetch(`${ORIGIN}/api/v1/devices/${device.deviceId}`, { headers: owner.headers })).json<{
      device: { hostname: string };
      live: { online: boolean; latest: { cpuPercent: number } };
    }>();
    expect(detail.live.online).toBe(true);
    expect(detail.live.latest.cpuPercent).toBe(42.5);
    const metrics = await (await SELF.fetch(`${ORIGIN}/api/v1/devices/${device.deviceId}/metrics?resolution=minute`, { headers: owner.headers })).json<{
      points: { cpuAvg: number; diskMaxPercent: number }[];
    }>();
    expect(metrics.points).toHaveLength(1);
    expect(metrics.points[0]).toMatchObject({ cpuAvg: 42.5, diskMaxPercent: 50 });
    agent.ws.close();
  });

  it('checks the Origin of cookie-authenticated dashboard sockets', async () => {
    const foreign = await SELF.fetch(`${ORIGIN}/api/v1/live`, { headers: { cookie: owner.cookie, upgrade: 'websocket', origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    const none = await SELF.fetch(`${ORIGIN}/api/v1/devices/${ids[0]}/live`, { headers: { cookie: owner.cookie, upgrade: 'websocket' } });
    expect(none.status).toBe(403);
    const ours = await SELF.fetch(`${ORIGIN}/api/v1/live`, { headers: { ...owner.headers, upgrade: 'websocket' } });
    expect(ours.status).toBe(101);
    ours.webSocket!.accept();
    ours.webSocket!.close();
    const anonymous = await SELF.fetch(`${ORIGIN}/api/v1/live`, { headers: { upgrade: 'websocket', origin: ORIGIN } });
    expect(anonymous.status).toBe(401);
  });
});
