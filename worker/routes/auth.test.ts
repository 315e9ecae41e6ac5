import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { sha256Hex } from '../lib/crypto';
import { addUser, api, clearOfWindowEdge, bearerAuth, cookieAuth, createTenantDirect, ORIGIN, TEST_PASSWORD, tokenFor, type DirectTenant } from '../../test/support';

const from = (ip: string) => ({ headers: { Origin: ORIGIN, 'cf-connecting-ip': ip } });
const login = (ip: string, email: string, password = TEST_PASSWORD) => api(from(ip), 'POST', '/auth/login', { email, password });
const cookieOf = (setCookie: string | null) => /tether_session=[^;]+/.exec(setCookie ?? '')![0];
const auditOf = async (action: string, targetId: string) =>
  (await env.DB.prepare('SELECT * FROM audit_log WHERE action = ? AND target_id = ?').bind(action, targetId).all<Record<string, unknown>>()).results;

let t: DirectTenant;
beforeAll(async () => {
  t = await createTenantDirect('Login Co');
});

describe('POST /auth/login', () => {
  it('signs in, sets an HttpOnly cookie, records the login and answers the caller', async () => {
    const res = await login('198.51.100.1', t.email.toUpperCase());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      user: { id: t.userId, email: t.email, name: 'Login Co Owner', role: 'owner', clientIds: null, tenantId: t.tenantId },
      tenant: { id: t.tenantId, name: 'Login Co' },
    });
    const setCookie = res.headers.get('set-cookie');
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const me = await api(cookieAuth(cookieOf(setCookie)), 'GET', '/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(t.userId);

    const user = await env.DB.prepare('SELECT last_login_at FROM users WHERE id = ?').bind(t.userId).first<{ last_login_at: number }>();
    expect(user!.last_login_at).toBeGreaterThan(Date.now() - 60_000);
    const rows = await auditOf('auth.login', t.userId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_id: t.userId, ip: '198.51.100.1' });
  });

  it('refuses a wrong password, an unknown email and a disabled user with one generic answer', async () => {
    const wrong = await login('198.51.100.2', t.email, 'not the password at all');
    const unknown = await login('198.51.100.2', 'nobody@example.test');
    const disabled = await addUser(t, 'technician');
    await env.DB.prepare('UPDATE users SET disabled_at = ? WHERE id = ?').bind(Date.now(), disabled.userId).run();
    const refused = await login('198.51.100.2', disabled.email);
    for (const res of [wrong, unknown, refused]) {
      expect(res.status).toBe(401);
      expect(res.body.error).toEqual({ code: 'unauthorized', message: 'invalid email or password' });
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    // Failures are recorded after the answer (so timing does not tell known emails apart).
    await vi.waitFor(async () => {
      expect((await auditOf('auth.login_failed', t.userId))[0]).toMatchObject({ detail: JSON.stringify({ reason: 'bad_password' }) });
      expect((await auditOf('auth.login_failed', disabled.userId))[0]).toMatchObject({ detail: JSON.stringify({ reason: 'disabled' }) });
    });
  });

  it('limits attempts per email, with Retry-After, even for the right password', async () => {
    await clearOfWindowEdge(15 * 60_000, 10_000);
    const victim = await addUser(t, 'technician');
    for (let i = 0; i < 10; i++) {
      expect((await login(`203.0.113.${i}`, victim.email, 'wrong password!')).status).toBe(401);
    }
    const limited = await login('203.0.113.99', victim.email);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    const retry = Number(limited.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(15 * 60);
  }, 60_000);

  it('limits attempts per IP address across emails', async () => {
    await clearOfWindowEdge(15 * 60_000, 10_000);
    for (let i = 0; i < 50; i++) {
      expect((await login('192.0.2.50', `guess${i}@example.test`, 'x')).status).toBe(401);
    }
    const limited = await login('192.0.2.50', t.email);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await login('192.0.2.51', t.email)).status).toBe(200);
  }, 60_000);

  it('clears the email counter after a successful login', async () => {
    const user = await addUser(t, 'readonly');
    const key = `login:email:${await sha256Hex(user.email)}`;
    await login('198.51.100.3', user.email, 'wrong password!');
    expect(await env.DB.prepare('SELECT count FROM rate_limits WHERE key = ?').bind(key).first()).toEqual({ count: 1 });
    expect((await login('198.51.100.3', user.email)).status).toBe(200);
    expect(await env.DB.prepare('SELECT count FROM rate_limits WHERE key = ?').bind(key).first()).toBeNull();
  });

  it('validates the body', async () => {
    const missing = await api(from('198.51.100.4'), 'POST', '/auth/login', { email: t.email });
    expect(missing.status).toBe(400);
    expect(missing.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['password']);
    const wrongType = await api(from('198.51.100.4'), 'POST', '/auth/login', { email: 42, password: TEST_PASSWORD });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.issues[0].path).toBe('email');
    const malformed = await api(from('198.51.100.4'), 'POST', '/auth/login', '{"email":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('validation_failed');
    const huge = await api(from('198.51.100.4'), 'POST', '/auth/login', { email: t.email, password: 'x'.repeat(600 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
  });

  it('refuses a login posted without our Origin', async () => {
    const res = await api({ headers: { Origin: 'https://evil.example' } }, 'POST', '/auth/login', { email: t.email, password: TEST_PASSWORD });
    expect(res.status).toBe(403);
  });
});

describe('POST /auth/logout', () => {
  it('ends the session, clears the cookie and records it', async () => {
    const user = await addUser(t, 'technician');
    const res = await api(user, 'POST', '/auth/logout');
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/tether_session=;.*Max-Age=0/i);
    expect((await api(user, 'GET', '/auth/me')).status).toBe(401);
    const left = await env.DB.prepare('SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?').bind(user.userId).first<{ n: number }>();
    expect(left!.n).toBe(0);
    expect(await auditOf('auth.logout', user.userId)).toHaveLength(1);
  });

  it('is refused cross-site, so another site cannot sign the user out', async () => {
    const user = await addUser(t, 'technician');
    const res = await api({ headers: { Cookie: user.cookie } }, 'POST', '/auth/logout');
    expect(res.status).toBe(403);
    expect((await api(user, 'GET', '/auth/me')).status).toBe(200);
  });

  it('still clears a stale cookie', async () => {
    const res = await api(cookieAuth('tether_session=tss_stale'), 'POST', '/auth/logout');
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/Max-Age=0/i);
  });
});

describe('GET /auth/me', () => {
  it('needs a caller', async () => {
    const res = await api(null, 'GET', '/auth/me');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('answers a token\'s own scope', async () => {
    const token = await tokenFor(t, 'readonly', [t.clientId]);
    const res = await api(bearerAuth(token), 'GET', '/auth/me');
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: t.userId, role: 'readonly', clientIds: [t.clientId] });
  });

  it('narrows an old token when its user is demoted', async () => {
    const admin = await addUser(t, 'admin');
    const token = await tokenFor(admin);
    await env.DB.prepare("UPDATE users SET role = 'technician', client_ids = ? WHERE id = ?").bind(JSON.stringify([t.clientId]), admin.userId).run();
    const res = await api(bearerAuth(token), 'GET', '/auth/me');
    expect(res.body.user).toMatchObject({ role: 'technician', clientIds: [t.clientId] });
  });
});
