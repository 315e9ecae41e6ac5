import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../lib/crypto';
import { addUser, api, bearerAuth, bootstrapTenant, type BootstrappedTenant } from '../../test/support';

const q = (sql: string, ...args: unknown[]) => env.DB.prepare(sql).bind(...args);
// Ids order by creation time to the millisecond; a pause makes "newest first" unambiguous.
const tick = () => new Promise((resolve) => setTimeout(resolve, 3));
const paths = (res: { body: { error: { issues: { path: string }[] } } }) => res.body.error.issues.map((i) => i.path);

let t: BootstrappedTenant;
let otherClient: string;
beforeAll(async () => {
  t = await bootstrapTenant();
  otherClient = (await api(t, 'POST', '/clients', { name: 'Token Client' })).body.id;
});

describe('POST /tokens', () => {
  it('shows the token once, keeps only its hash, and the token works', async () => {
    const res = await api(t, 'POST', '/tokens', { name: 'CI' });
    expect(res.status).toBe(201);
    const { token, item } = res.body;
    expect(token).toMatch(/^tat_[A-Za-z0-9_-]{40,}$/);
    expect(item).toMatchObject({ name: 'CI', userId: t.userId, role: 'owner', clientIds: null, expiresAt: null, revokedAt: null });
    expect(token.startsWith(item.prefix)).toBe(true);
    expect(item).not.toHaveProperty('tokenHash');

    const row = await q('SELECT * FROM api_tokens WHERE id = ?', item.id).first<Record<string, unknown>>();
    expect(row!.token_hash).toBe(await sha256Hex(token));
    expect(Object.values(row!)).not.toContain(token);

    const me = await api(bearerAuth(token), 'GET', '/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(t.userId);
    expect(await q("SELECT actor_id FROM audit_log WHERE action = 'token.create' AND target_id = ?", item.id).first()).toEqual({ actor_id: t.userId });
  });

  it('never mints more than the caller has: role, clients, or the calling token\'s own scope', async () => {
    const tech = await addUser(t, 'technician');
    expect((await api(tech, 'POST', '/tokens', { name: 'x', role: 'admin' })).status).toBe(403);
    expect((await api(tech, 'POST', '/tokens', { name: 'x', role: 'readonly' })).status).toBe(201);

    const narrow = (await api(t, 'POST', '/tokens', { name: 'narrow', role: 'readonly', clientIds: [t.clientId] })).body.token;
    const asToken = bearerAuth(narrow);
    expect((await api(asToken, 'POST', '/tokens', { name: 'wider' })).body.item).toMatchObject({ role: 'readonly', clientIds: [t.clientId] });
    expect((await api(asToken, 'POST', '/tokens', { name: 'wider', role: 'technician' })).status).toBe(403);
    expect((await api(asToken, 'POST', '/tokens', { name: 'wider', clientIds: null })).status).toBe(403);
    expect((await api(asToken, 'POST', '/tokens', { name: 'wider', clientIds: [otherClient] })).status).toBe(403);
    expect((await api(asToken, 'POST', '/tokens', { name: 'same', clientIds: [] })).status).toBe(201);

    const limited = await addUser(t, 'admin', [t.clientId]);
    expect((await api(limited, 'POST', '/tokens', { name: 'all', clientIds: null })).status).toBe(403);
    expect((await api(limited, 'POST', '/tokens', { name: 'mine' })).body.item.clientIds).toEqual([t.clientId]);
  });

  it('takes an expiry, after which the token stops working', async () => {
    const res = await api(t, 'POST', '/tokens', { name: 'short', expiresInDays: 1 });
    expect(res.body.item.expiresAt - res.body.item.createdAt).toBe(86_400_000);
    expect((await api(bearerAuth(res.body.token), 'GET', '/auth/me')).status).toBe(200);
    await q('UPDATE api_tokens SET expires_at = ? WHERE id = ?', Date.now() - 1, res.body.item.id).run();
    expect((await api(bearerAuth(res.body.token), 'GET', '/auth/me')).status).toBe(401);
  });

  it('validates the body', async () => {
    const res = await api(t, 'POST', '/tokens', { role: 'root', expiresInDays: 1.5, clientIds: ['cli_unknown'] });
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual(expect.arrayContaining(['name', 'role', 'expiresInDays']));
    const unknownClient = await api(t, 'POST', '/tokens', { name: 'x', clientIds: ['cli_unknown'] });
    expect(unknownClient.status).toBe(400);
    expect(paths(unknownClient)).toEqual(['clientIds.0']);
    expect((await api(t, 'POST', '/tokens', { name: 'x', expiresInDays: 0 })).status).toBe(400);
    expect((await api(t, 'POST', '/tokens', { name: 'x', expiresInDays: '7' })).status).toBe(400);
  });
});

describe('GET /tokens and DELETE /tokens/:id', () => {
  it('lists a user\'s own tokens, newest first; admins see the tenant\'s', async () => {
    const tech = await addUser(t, 'technician');
    const first = (await api(tech, 'POST', '/tokens', { name: 'one' })).body.item.id;
    await tick();
    const second = (await api(tech, 'POST', '/tokens', { name: 'two' })).body.item.id;
    const own = await api(tech, 'GET', '/tokens');
    expect(own.status).toBe(200);
    expect(own.body.items.map((i: { id: string }) => i.id)).toEqual([second, first]);
    expect(JSON.stringify(own.body)).not.toMatch(/token_?hash/i);

    const paged = await api(tech, 'GET', '/tokens?limit=1');
    expect(paged.body.items.map((i: { id: string }) => i.id)).toEqual([second]);
    const next = await api(tech, 'GET', `/tokens?limit=1&cursor=${paged.body.nextCursor}`);
    expect(next.body.items.map((i: { id: string }) => i.id)).toEqual([first]);

    const admin = await api(t, 'GET', `/tokens?userId=${tech.userId}`);
    expect(admin.body.items.map((i: { id: string }) => i.id)).toEqual([second, first]);
    const techAskingForOthers = await api(tech, 'GET', `/tokens?userId=${t.userId}`);
    expect(techAskingForOthers.body.items).toEqual([]);
  });

  it('revokes: owners of the token and admins only; once; the token stops working', async () => {
    const tech = await addUser(t, 'technician');
    const other = await addUser(t, 'technician');
    const created = (await api(tech, 'POST', '/tokens', { name: 'to revoke' })).body;
    expect((await api(other, 'DELETE', `/tokens/${created.item.id}`)).status).toBe(404);
    expect((await api(bearerAuth(created.token), 'GET', '/auth/me')).status).toBe(200);

    expect((await api(tech, 'DELETE', `/tokens/${created.item.id}`)).status).toBe(204);
    expect((await api(bearerAuth(created.token), 'GET', '/auth/me')).status).toBe(401);
    expect((await api(tech, 'DELETE', `/tokens/${created.item.id}`)).status).toBe(204);
    const audits = await q("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'token.revoke' AND target_id = ?", created.item.id).first<{ n: number }>();
    expect(audits!.n).toBe(1);
    const listed = (await api(tech, 'GET', '/tokens')).body.items.find((i: { id: string }) => i.id === created.item.id);
    expect(listed.revokedAt).toBeGreaterThan(0);

    const another = (await api(tech, 'POST', '/tokens', { name: 'admin revokes' })).body.item.id;
    expect((await api(t, 'DELETE', `/tokens/${another}`)).status).toBe(204);
    expect((await api(t, 'DELETE', '/tokens/tok_missing')).status).toBe(404);
  });
});
