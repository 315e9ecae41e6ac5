import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, bootstrapTenant, createTenantDirect, insertDevice, type BootstrappedTenant } from '../../test/support';
import { builtinId, CATALOG } from '../lib/scripts/catalog';

let owner: BootstrappedTenant;
let otherClientId: string;

const BUILTIN = CATALOG[0];

/** SQLite's NOCASE order for ASCII names: lower-cased, compared by code unit. */
const nocase = (a: string, b: string) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0);

const script = (over: Record<string, unknown> = {}) => ({
  name: 'Clear temp',
  description: 'Removes old files',
  category: 'maintenance',
  platforms: ['linux'],
  tags: ['cleanup'],
  interpreter: 'bash',
  body: 'find /tmp -mtime +"$PARAM_DAYS" -delete',
  params: [{ name: 'DAYS', label: 'Days', type: 'number', integer: true, min: 1, default: 7 }],
  ...over,
});

async function create(body: Record<string, unknown> = {}) {
  const res = await api(owner, 'POST', '/scripts', script(body));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; version: number; name: string; clientIds: string[] | null };
}

async function auditOf(targetId: string) {
  const { results } = await env.DB.prepare('SELECT action, detail FROM audit_log WHERE target_id = ? ORDER BY rowid').bind(targetId).all<{ action: string; detail: string }>();
  return results.map((r) => ({ action: r.action, detail: JSON.parse(r.detail) }));
}

beforeAll(async () => {
  owner = await bootstrapTenant();
  otherClientId = (await api(owner, 'POST', '/clients', { name: 'Other client' })).body.id;
});

describe('script library', () => {
  it('creates a script at version 1, shows it with its body, and audits it', async () => {
    const s = await create();
    expect(s).toMatchObject({ builtin: false, version: 1, name: 'Clear temp', clientIds: null, defaultTimeoutSeconds: 300, createdBy: owner.userId });
    const got = await api(owner, 'GET', `/scripts/${s.id}`);
    expect(got.body).toMatchObject({ id: s.id, body: script().body, params: [{ name: 'DAYS', type: 'number', default: 7 }] });
    expect(await auditOf(s.id)).toEqual([{ action: 'script.create', detail: expect.objectContaining({ name: 'Clear temp', version: 1 }) }]);
  });

  it('versions definition changes, edits metadata in place, and makes no version for a no-op', async () => {
    const s = await create({ name: 'Versioned' });
    const meta = await api(owner, 'PATCH', `/scripts/${s.id}`, { name: 'Versioned script', tags: ['a', 'b'] });
    expect(meta.status).toBe(200);
    expect(meta.body).toMatchObject({ name: 'Versioned script', tags: ['a', 'b'], version: 1 });

    const v2 = await api(owner, 'PATCH', `/scripts/${s.id}`, { body: 'echo two', note: 'simpler' });
    expect(v2.body).toMatchObject({ version: 2, body: 'echo two' });
    const v3 = await api(owner, 'PATCH', `/scripts/${s.id}`, { params: [], defaultTimeoutSeconds: 60 });
    expect(v3.body).toMatchObject({ version: 3, params: [], defaultTimeoutSeconds: 60, body: 'echo two' });

    const same = await api(owner, 'PATCH', `/scripts/${s.id}`, { body: 'echo two', name: 'Versioned script', note: 'nothing' });
    expect(same.body.version).toBe(3);

    const versions = await api(owner, 'GET', `/scripts/${s.id}/versions`);
    expect(versions.body.items.map((x: { version: number }) => x.version)).toEqual([3, 2, 1]);
    expect(versions.body.items[1]).toMatchObject({ body: 'echo two', note: 'simpler', createdBy: owner.userId, createdByName: 'Olive Owner' });
    expect(versions.body.items[2].body).toBe(script().body);
    expect((await api(owner, 'GET', `/scripts/${s.id}/versions/1`)).body).toMatchObject({ version: 1, body: script().body });
    expect((await api(owner, 'GET', `/scripts/${s.id}/versions/9`)).status).toBe(404);

    const audit = await auditOf(s.id);
    expect(audit.map((a) => a.action)).toEqual(['script.create', 'script.update', 'script.update', 'script.update']);
    expect(audit[1].detail).toMatchObject({ fields: ['name', 'tags'] });
    expect(audit[1].detail.fromVersion).toBeUndefined();
    expect(audit[2].detail).toMatchObject({ fields: ['body'], fromVersion: 1, toVersion: 2 });
    expect(JSON.stringify(audit)).not.toContain('echo two');
  });

  it('makes one version per successful edit when edits race (the loser answers 409)', async () => {
    const s = await create({ name: 'Raced' });
    const answers = await Promise.all([1, 2, 3, 4].map((n) => api(owner, 'PATCH', `/scripts/${s.id}`, { body: `echo ${n}` })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((st) => st === 200 || st === 409)).toBe(true);
    const won = statuses.filter((st) => st === 200).length;
    expect(won).toBeGreaterThan(0);
    const versions = (await api(owner, 'GET', `/scripts/${s.id}/versions`)).body.items.map((x: { version: number }) => x.version);
    expect(versions).toEqual(Array.from({ length: won + 1 }, (_, i) => won + 1 - i));
    expect((await api(owner, 'GET', `/scripts/${s.id}`)).body.version).toBe(won + 1);
    expect((await auditOf(s.id)).filter((a) => a.action === 'script.update')).toHaveLength(won);
  });

  it('lists built-ins and tenant scripts by name with filters and cursor pages', async () => {
    await create({ name: '!aaa first', category: 'network', platforms: ['windows'], interpreter: 'powershell', tags: ['net'] });
    await create({ name: '!AAA second', category: 'network', platforms: ['linux', 'macos'] });
    const all: { id: string; name: string; builtin: boolean; body?: string }[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: typeof all; nextCursor: string | null } } = await api(owner, 'GET', `/scripts?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(all.some((s) => s.id === builtinId(BUILTIN.slug) && s.builtin)).toBe(true);
    expect(all.every((s) => s.body === undefined)).toBe(true);
    expect(new Set(all.map((s) => s.id)).size).toBe(all.length);
    const names = all.map((s) => s.name);
    expect(names).toEqual([...names].sort(nocase));
    expect(all[0].name).toBe('!aaa first');
    expect(all[1].name).toBe('!AAA second');

    const ids = async (query: string) => (await api(owner, 'GET', `/scripts?${query}`)).body.items.map((s: { name: string }) => s.name);
    expect(await ids('category=network')).toEqual(['!aaa first', '!AAA second', ...CATALOG.filter((s) => s.category === 'network').map((s) => s.name)].sort(nocase));
    expect(await ids('category=network&platform=macos')).toEqual(['!AAA second', ...CATALOG.filter((s) => s.category === 'network' && s.platforms.includes('macos')).map((s) => s.name)].sort(nocase));
    expect(await ids('tag=net&source=custom')).toEqual(['!aaa first']);
    expect(await ids('source=builtin')).toHaveLength(Math.min(CATALOG.length, 100));
    expect(await ids(`q=${encodeURIComponent(BUILTIN.name)}`)).toContain(BUILTIN.name);
    expect(await ids('q=%25')).toEqual([]);
    expect((await api(owner, 'GET', '/scripts?cursor=bogus')).status).toBe(400);
  });

  it('shows a built-in read-only, with its one version, and duplicates it into an editable copy', async () => {
    const id = builtinId(BUILTIN.slug);
    const got = await api(owner, 'GET', `/scripts/${id}`);
    expect(got.body).toMatchObject({ id, builtin: true, body: BUILTIN.body, version: BUILTIN.version, createdBy: null });
    expect((await api(owner, 'GET', `/scripts/${id}/versions`)).body.items).toHaveLength(1);
    expect((await api(owner, 'GET', `/scripts/${id}/versions/${BUILTIN.version}`)).body.body).toBe(BUILTIN.body);
    for (const [method, body] of [['PATCH', { name: 'x' }], ['DELETE', undefined]] as const) {
      const res = await api(owner, method, `/scripts/${id}`, body);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('read_only');
    }
    expect((await api(owner, 'GET', '/scripts/builtin_no-such-thing')).status).toBe(404);

    const copy = await api(owner, 'POST', `/scripts/${id}/duplicate`, {});
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({ builtin: false, name: `${BUILTIN.name} (copy)`, version: 1, body: BUILTIN.body, params: BUILTIN.params });
    const renamed = await api(owner, 'POST', `/scripts/${copy.body.id}/duplicate`, { name: 'Mine' });
    expect(renamed.body).toMatchObject({ name: 'Mine', version: 1 });
    expect((await auditOf(copy.body.id))[0]).toMatchObject({ action: 'script.duplicate', detail: { fromScriptId: id } });
    expect((await api(owner, 'PATCH', `/scripts/${copy.body.id}`, { body: 'echo mine' })).body.version).toBe(2);
  });

  it('refuses bad bodies with 400 and the issues', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '' }, 'name'],
      [{ interpreter: 'cmd' }, 'interpreter'],
      [{ platforms: [] }, 'platforms'],
      [{ category: 'fun' }, 'category'],
      [{ params: [{ name: 'lower', label: 'x', type: 'string' }] }, 'params.0.name'],
      [{ params: [{ name: 'A', label: 'x', type: 'choice', options: ['a'], default: 'b' }] }, 'params'],
      [{ clientIds: ['cli_nope'] }, 'clientIds.0'],
    ];
    for (const [over, path] of cases) {
      const res = await api(owner, 'POST', '/scripts', script(over));
      expect(res.status, JSON.stringify(over)).toBe(400);
      expect(res.body.error.issues.map((i: { path: string }) => i.path), JSON.stringify(over)).toContain(path);
    }
    const s = await create();
    const bad = await api(owner, 'PATCH', `/scripts/${s.id}`, { defaultTimeoutSeconds: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe('defaultTimeoutSeconds');
  });

  it('deletes (admin+) with its versions and an audit row', async () => {
    const s = await create({ name: 'Doomed' });
    await api(owner, 'PATCH', `/scripts/${s.id}`, { body: 'echo 2' });
    const tech = await addUser(owner, 'technician');
    expect((await api(tech, 'DELETE', `/scripts/${s.id}`)).status).toBe(403);
    expect((await api(owner, 'DELETE', `/scripts/${s.id}`)).status).toBe(204);
    expect((await api(owner, 'GET', `/scripts/${s.id}`)).status).toBe(404);
    const n = await env.DB.prepare('SELECT count(*) AS n FROM script_versions WHERE script_id = ?').bind(s.id).first<{ n: number }>();
    expect(n!.n).toBe(0);
    expect((await auditOf(s.id)).map((a) => a.action)).toContain('script.delete');
  });

  it('refuses to delete a script a running job still uses, and deletes it once the job is cancelled', async () => {
    const s = await create({ name: 'In use' });
    const device = await insertDevice(owner);
    const job = await api(owner, 'POST', '/jobs', { action: { type: 'script', scriptId: s.id }, target: { deviceIds: [device] } });
    expect(job.status, JSON.stringify(job.body)).toBe(201);
    const refused = await api(owner, 'DELETE', `/scripts/${s.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(job.body.id);
    expect((await api(owner, 'GET', `/scripts/${s.id}`)).status).toBe(200);
    expect((await api(owner, 'POST', `/jobs/${job.body.id}/cancel`)).status).toBe(200);
    expect((await api(owner, 'DELETE', `/scripts/${s.id}`)).status).toBe(204);
  });

  it('lets read-only users read but not write, technicians write but not delete', async () => {
    const s = await create({ name: 'Roles' });
    const ro = await addUser(owner, 'readonly');
    expect((await api(ro, 'GET', '/scripts')).status).toBe(200);
    expect((await api(ro, 'GET', `/scripts/${s.id}/versions`)).status).toBe(200);
    expect((await api(ro, 'POST', '/scripts', script())).status).toBe(403);
    expect((await api(ro, 'PATCH', `/scripts/${s.id}`, { name: 'x' })).status).toBe(403);
    expect((await api(ro, 'POST', `/scripts/${s.id}/duplicate`, {})).status).toBe(403);
    const tech = await addUser(owner, 'technician');
    expect((await api(tech, 'PATCH', `/scripts/${s.id}`, { name: 'Roles 2' })).status).toBe(200);
  });

  it('hides scripts limited to other clients, and keeps client-limited writers within their clients', async () => {
    const mine = await create({ name: 'Scoped mine', clientIds: [owner.clientId] });
    const theirs = await create({ name: 'Scoped theirs', clientIds: [otherClientId] });
    const limited = await addUser(owner, 'technician', [owner.clientId]);
    const listed = (await api(limited, 'GET', '/scripts?q=Scoped&source=custom')).body.items.map((s: { id: string }) => s.id);
    expect(listed).toEqual([mine.id]);
    for (const path of [`/scripts/${theirs.id}`, `/scripts/${theirs.id}/versions`, `/scripts/${theirs.id}/versions/1`]) {
      expect((await api(limited, 'GET', path)).status, path).toBe(404);
    }
    expect((await api(limited, 'PATCH', `/scripts/${theirs.id}`, { name: 'x' })).status).toBe(404);
    expect((await api(limited, 'POST', `/scripts/${theirs.id}/duplicate`, {})).status).toBe(404);

    // Unlimited scripts are visible to them, but changing one would change what other clients run.
    const global = await create({ name: 'Scoped global' });
    expect((await api(limited, 'GET', `/scripts/${global.id}`)).status).toBe(200);
    expect((await api(limited, 'PATCH', `/scripts/${global.id}`, { name: 'x' })).status).toBe(403);
    expect((await api(limited, 'POST', '/scripts', script())).status).toBe(403);
    expect((await api(limited, 'POST', '/scripts', script({ clientIds: [otherClientId] }))).status).toBe(403);
    expect((await api(limited, 'PATCH', `/scripts/${mine.id}`, { clientIds: null })).status).toBe(403);
    expect((await api(limited, 'PATCH', `/scripts/${mine.id}`, { body: 'echo ok' })).body.version).toBe(2);
    const copy = await api(limited, 'POST', `/scripts/${global.id}/duplicate`, {});
    expect(copy.body.clientIds).toEqual([owner.clientId]);
  });

  it('answers 404 for another tenant’s script', async () => {
    const s = await create({ name: 'Private' });
    const other = await createTenantDirect();
    for (const [method, path, body] of [
      ['GET', `/scripts/${s.id}`, undefined],
      ['GET', `/scripts/${s.id}/versions`, undefined],
      ['PATCH', `/scripts/${s.id}`, { name: 'stolen' }],
      ['DELETE', `/scripts/${s.id}`, undefined],
      ['POST', `/scripts/${s.id}/duplicate`, {}],
    ] as const) {
      expect((await api(other, method, path, body)).status, `${method} ${path}`).toBe(404);
    }
    expect((await api(other, 'GET', '/scripts?q=Private&source=custom')).body.items).toEqual([]);
    expect((await api(owner, 'GET', `/scripts/${s.id}`)).body.name).toBe('Private');
  });
});
