import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectAgent, enroll, makeEnrollmentKey, MACHINE } from '../../test/agent-fixture';
import { ORIGIN, bootstrapTenant } from '../../test/support';

let owner: Awaited<ReturnType<typeof bootstrapTenant>>;
let clientId: string;
let siteId: string;

beforeAll(async () => {
  owner = await bootstrapTenant();
  ({ clientId, siteId } = owner);
});

describe('enrollment keys', () => {
  it('shows the key once, stores only its hash, and audits it', async () => {
    const made = await makeEnrollmentKey(owner.headers, { name: 'Rollout', clientId, siteId, maxUses: 2 });
    expect(made.key).toMatch(/^tek_/);
    expect(made.installCommands.linux).toContain(made.key);
    expect(made.installCommands.linux).toContain(`${ORIGIN}/downloads/tether-agent.mjs`);
    expect(made.installCommands.windows).toContain('enroll --server');
    const row = await env.DB.prepare('SELECT key_hash FROM enrollment_keys WHERE id = ?').bind(made.item.id).first<{ key_hash: string }>();
    expect(row!.key_hash).not.toContain(made.key);
    expect(row!.key_hash).toMatch(/^[0-9a-f]{64}$/);
    const list = await (await SELF.fetch(`${ORIGIN}/api/v1/enrollment-keys`, { headers: owner.headers })).json<{ items: Record<string, unknown>[] }>();
    expect(list.items.find((k) => k.id === made.item.id)).toBeDefined();
    expect(JSON.stringify(list)).not.toContain(made.key);
    const audit = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'enrollment_key.create' AND target_id = ?")
      .bind(made.item.id)
      .first<{ n: number }>();
    expect(audit!.n).toBe(1);
  });

  it('refuses a site of another client with a field error', async () => {
    const other = await SELF.fetch(`${ORIGIN}/api/v1/clients`, {
      method: 'POST',
      headers: { ...owner.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Other Co' }),
    });
    expect(other.status).toBe(201);
    const otherId = ((await other.json()) as { id: string }).id;
    const res = await SELF.fetch(`${ORIGIN}/api/v1/enrollment-keys`, {
      method: 'POST',
      headers: { ...owner.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', clientId: otherId, siteId }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { issues: { path: string }[] } }).error.issues[0].path).toBe('siteId');
  });
});

describe('POST /agent/enroll', () => {
  it('exchanges a key for a device id, a token stored hashed and the signing key', async () => {
    const { key } = await makeEnrollmentKey(owner.headers, { name: 'one', clientId, siteId });
    const res = await enroll(key);
    expect(res.status).toBe(201);
    const body = await res.json<{ deviceId: string; deviceToken: string; tenantId: string; signingPublicKey: string; heartbeatSeconds: number }>();
    expect(body.deviceId).toMatch(/^dev_/);
    expect(body.deviceToken).toMatch(/^tdt_/);
    expect(body.tenantId).toBe(owner.tenantId);
    expect(body.heartbeatSeconds).toBe(30);
    const tenant = await env.DB.prepare('SELECT signing_public_key FROM tenants WHERE id = ?').bind(owner.tenantId).first<{ signing_public_key: string }>();
    expect(body.signingPublicKey).toBe(tenant!.signing_public_key);
    const device = await env.DB.prepare('SELECT * FROM devices WHERE id = ?').bind(body.deviceId).first<Record<string, unknown>>();
    expect(device).toMatchObject({ hostname: MACHINE.hostname, client_id: clientId, site_id: siteId, status: 'offline', os_name: 'Debian GNU/Linux' });
    expect(JSON.stringify(device)).not.toContain(body.deviceToken);
  });

  it('honours max uses, expiry and revocation', async () => {
    const once = await makeEnrollmentKey(owner.headers, { name: 'once', clientId, siteId, maxUses: 1 });
    expect((await enroll(once.key)).status).toBe(201);
    const second = await enroll(once.key);
    expect(second.status).toBe(401);
    expect(((await second.json()) as { error: { message: string } }).error.message).toMatch(/expired, revoked or used up/);

    const expiring = await makeEnrollmentKey(owner.headers, { name: 'expiring', clientId, siteId });
    await env.DB.prepare('UPDATE enrollment_keys SET expires_at = ? WHERE id = ?').bind(Date.now() - 1, expiring.item.id).run();
    expect((await enroll(expiring.key)).status).toBe(401);

    const revoked = await makeEnrollmentKey(owner.headers, { name: 'revoked', clientId, siteId });
    const del = await SELF.fetch(`${ORIGIN}/api/v1/enrollment-keys/${revoked.item.id}`, { method: 'DELETE', headers: owner.headers });
    expect(del.status).toBe(204);
    expect((await enroll(revoked.key)).status).toBe(401);
  });

  it('answers bad input with 400 and the issues, creating nothing', async () => {
    const before = await env.DB.prepare('SELECT count(*) AS n FROM devices').first<{ n: number }>();
    const malformed = await SELF.fetch(`${ORIGIN}/agent/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"key":' });
    expect(malformed.status).toBe(400);
    const wrongTypes = await SELF.fetch(`${ORIGIN}/agent/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: 42, hostname: ['x'], os: 'linux', agentVersion: 1 }),
    });
    expect(wrongTypes.status).toBe(400);
    const body = (await wrongTypes.json()) as { error: { code: string; issues: { path: string }[] } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['key', 'hostname', 'os', 'agentVersion']));
    const after = await env.DB.prepare('SELECT count(*) AS n FROM devices').first<{ n: number }>();
    expect(after!.n).toBe(before!.n);
  });
});

describe('GET /agent/connect', () => {
  it('refuses non-upgrades, missing and unknown tokens', async () => {
    expect((await SELF.fetch(`${ORIGIN}/agent/connect`)).status).toBe(400);
    const noToken = await SELF.fetch(`${ORIGIN}/agent/connect`, { headers: { upgrade: 'websocket' } });
    expect(noToken.status).toBe(401);
    const unknown = await SELF.fetch(`${ORIGIN}/agent/connect`, {
      headers: { upgrade: 'websocket', authorization: 'Bearer tdt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    expect(unknown.status).toBe(401);
  });

  it('hands a valid device to its hub, which welcomes it; a retired device is refused', async () => {
    const { key } = await makeEnrollmentKey(owner.headers, { name: 'conn', clientId, siteId });
    const device = await (await enroll(key)).json<{ deviceId: string; deviceToken: string }>();
    const agent = await connectAgent(device.deviceToken);
    const welcome = await agent.next('welcome');
    expect(welcome.deviceId).toBe(device.deviceId);
    agent.send({ t: 'hello', agentVersion: '0.1.0', hostname: 'web-01', os: MACHINE.os });
    await expect
      .poll(async () => (await env.DB.prepare('SELECT status FROM devices WHERE id = ?').bind(device.deviceId).first<{ status: string }>())!.status)
      .toBe('online');

    const del = await SELF.fetch(`${ORIGIN}/api/v1/devices/${device.deviceId}`, { method: 'DELETE', headers: owner.headers });
    expect(del.status).toBe(204);
    expect((await agent.closed).code).toBe(4003);
    const again = await SELF.fetch(`${ORIGIN}/agent/connect`, { headers: { upgrade: 'websocket', authorization: `Bearer ${device.deviceToken}` } });
    expect(again.status).toBe(401);
  });

  it('rate-limits enrollment attempts per address', async () => {
    let last = 0;
    for (let i = 0; i < 125 && last !== 429; i++) {
      last = (await SELF.fetch(`${ORIGIN}/agent/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': '198.51.100.7' },
        body: JSON.stringify({ key: 'tek_guessguessguessguessguess', ...MACHINE }),
      })).status;
    }
    expect(last).toBe(429);
  });
});
