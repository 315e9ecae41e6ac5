import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, cookieAuth, ORIGIN, TEST_PASSWORD } from '../../test/support';
import { SELF } from 'cloudflare:test';

const anon = { headers: { Origin: ORIGIN } };
const setup = (email: string) => ({ tenantName: 'Acme IT', name: 'Olive Owner', email, password: TEST_PASSWORD });
const count = async (table: string) => (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>())!.n;

// Order matters in this file: the database starts empty and the first successful setup closes it.
describe('bootstrap', () => {
  it('is needed on an empty database', async () => {
    const res = await api(null, 'GET', '/bootstrap');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ needed: true });
  });

  it('validates the body and creates nothing on bad input', async () => {
    const short = await api(anon, 'POST', '/bootstrap', { ...setup('a@example.test'), password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error.code).toBe('validation_failed');
    expect(short.body.error.issues.map((i: { path: string }) => i.path)).toContain('password');

    const missing = await api(anon, 'POST', '/bootstrap', { tenantName: 'X' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['name', 'email', 'password']));

    const malformed = await api(anon, 'POST', '/bootstrap', '{"tenantName": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('validation_failed');

    const badEmail = await api(anon, 'POST', '/bootstrap', { ...setup('not-an-email'), tenantName: 'x'.repeat(121) });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.error.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['email', 'tenantName']));
    expect(await count('tenants')).toBe(0);
  });

  it('refuses a cross-site request (no Origin, or a foreign one)', async () => {
    expect((await api(null, 'POST', '/bootstrap', setup('x@example.test'))).status).toBe(403);
    expect((await api({ headers: { Origin: 'https://evil.example' } }, 'POST', '/bootstrap', setup('x@example.test'))).status).toBe(403);
    expect(await count('tenants')).toBe(0);
  });

  it('lets exactly one of several racing first runs win', async () => {
    const answers = await Promise.all([1, 2, 3].map((i) => api(anon, 'POST', '/bootstrap', setup(`racer${i}@example.test`))));
    const won = answers.filter((a) => a.status === 201);
    expect(won).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 201)) expect(a.body.error.code).toBe('bootstrap_closed');
    expect(await count('tenants')).toBe(1);
    expect(await count('users')).toBe(1);

    const winner = won[0];
    expect(winner.body.user).toMatchObject({ role: 'owner', clientIds: null, name: 'Olive Owner' });
    expect(winner.body.tenant).toMatchObject({ name: 'Acme IT' });
    const cookie = /tether_session=[^;]+/.exec(winner.headers.get('set-cookie') ?? '')![0];
    expect(winner.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    const me = await api(cookieAuth(cookie), 'GET', '/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual(winner.body);
  });

  it('created the tenant\'s signing keys, a default client and site, and an audit row', async () => {
    const tenant = (await env.DB.prepare('SELECT * FROM tenants').first<Record<string, string>>())!;
    expect(atob(tenant.signing_public_key)).toHaveLength(32);
    expect(tenant.signing_private_key_enc).toMatch(/^v1\./);
    const site = await env.DB.prepare(
      'SELECT c.name AS client, s.name AS site FROM clients c JOIN sites s ON s.client_id = c.id WHERE c.tenant_id = ?',
    )
      .bind(tenant.id)
      .first();
    expect(site).toEqual({ client: 'Internal', site: 'Main' });
    const audit = await env.DB.prepare("SELECT * FROM audit_log WHERE action = 'tenant.bootstrap'").all();
    expect(audit.results).toHaveLength(1);
    expect(audit.results[0]).toMatchObject({ tenant_id: tenant.id, target_id: tenant.id });
  });

  it('is no longer needed and stays closed on every path variant', async () => {
    expect((await api(null, 'GET', '/bootstrap')).body).toEqual({ needed: false });
    const variants = [
      '/api/v1/bootstrap',
      '/api/v1/bootstrap/',
      '/api/v1//bootstrap',
      '/api/v1/BOOTSTRAP',
      '/api/v1/bootstrap?x=1',
      '/api/v1/%62ootstrap',
      '/api/v1/bootstrap;x',
      '/api/v1/./bootstrap',
      '/api/v1/bootstrap%2f',
    ];
    for (const path of variants) {
      const res = await SELF.fetch(`${ORIGIN}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify(setup(`late-${variants.indexOf(path)}@example.test`)),
      });
      expect([404, 409], `${path} answered ${res.status}`).toContain(res.status);
      expect(res.headers.get('set-cookie'), path).toBeNull();
    }
    expect(await count('tenants')).toBe(1);
    expect(await count('users')).toBe(1);
  });

  it('answers 409 even to an invalid body once closed (it does no work at all)', async () => {
    const res = await api(anon, 'POST', '/bootstrap', { nonsense: true });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('bootstrap_closed');
  });
});
