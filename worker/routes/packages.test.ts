import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, createTenantDirect, tokenFor, bearerAuth, ORIGIN, type Auth, type DirectTenant } from '../../test/support';
import { PACKAGE_PART_BYTES } from '../../protocol/api/packages';
import { bucketKeys, createPackage, manifestOf, manifestVerifies, MIB, ok, patterned, putPart, readyVersion, sha256Of, uploadVersion } from './package-fixture';

/*
 * The software catalog: packages, uploads in parts into R2, the server's own SHA-256 and
 * the signed manifest, repository versions, names that try to leave their prefix, roles.
 */

let t: DirectTenant;
let technician: Auth;
let limitedAdmin: Auth;

async function auditActions(targetId: string): Promise<string[]> {
  const { results } = await env.DB.prepare('SELECT action FROM audit_log WHERE target_id = ? ORDER BY rowid').bind(targetId).all<{ action: string }>();
  return results.map((r) => r.action);
}

const versionRow = (id: string) => env.DB.prepare('SELECT * FROM package_versions WHERE id = ?').bind(id).first<Record<string, any>>();

beforeAll(async () => {
  t = await createTenantDirect('Catalog MSP');
  technician = await addUser(t, 'technician');
  const other = (await ok(t, 'POST', '/clients', { name: 'Limited Co' })).id;
  const admin = await addUser(t, 'admin', [other]);
  limitedAdmin = bearerAuth(await tokenFor(admin));
});

describe('packages', () => {
  it('creates, reads, changes and lists packages; the platform must be the installer’s', async () => {
    const made = await createPackage(t, { name: 'Zed Editor', vendor: 'Zed', installer: 'deb', platform: 'linux' });
    expect(made).toMatchObject({ name: 'Zed Editor', installer: 'deb', platform: 'linux', latest: null, versionCount: 0, versions: [] });
    const wrong = await api(t, 'POST', '/packages', { name: 'X', installer: 'msi', platform: 'linux' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.issues[0].path).toBe('platform');

    const win = await createPackage(t, { name: 'Zed Tools', installer: 'winget', platform: 'windows' });
    await ok(t, 'POST', `/packages/${win.id}/versions`, { version: '2.0', repoName: 'Zed.Tools' });
    const changed = await ok(t, 'PATCH', `/packages/${made.id}`, { description: 'A fast editor' });
    expect(changed.description).toBe('A fast editor');
    expect(await auditActions(made.id)).toEqual(['package.create', 'package.update']);

    const byQ = await ok(t, 'GET', '/packages?q=zed');
    expect(byQ.items.map((p: { name: string }) => p.name)).toEqual(['Zed Editor', 'Zed Tools']);
    const windows = await ok(t, 'GET', '/packages?q=zed&platform=windows');
    expect(windows.items).toHaveLength(1);
    expect(windows.items[0]).toMatchObject({ name: 'Zed Tools', versionCount: 1, latest: { version: '2.0' } });
    expect((await ok(t, 'GET', '/packages?q=zed&installer=deb')).items.map((p: { id: string }) => p.id)).toEqual([made.id]);
    const first = await ok(t, 'GET', '/packages?q=zed&limit=1');
    expect(first.items.map((p: { id: string }) => p.id)).toEqual([made.id]);
    const second = await ok(t, 'GET', `/packages?q=zed&limit=1&cursor=${first.nextCursor}`);
    expect(second.items.map((p: { id: string }) => p.id)).toEqual([win.id]);
    expect(second.nextCursor).toBeNull();
  });

  it('lets every staff role read the catalog, and only admins who see every client write it', async () => {
    const pkg = await createPackage(t, { name: 'Readable' });
    for (const who of [technician, limitedAdmin]) {
      expect((await api(who, 'GET', `/packages/${pkg.id}`)).status).toBe(200);
      expect((await api(who, 'GET', '/packages?q=Readable')).body.items).toHaveLength(1);
      expect((await api(who, 'POST', '/packages', { name: 'Nope', installer: 'deb', platform: 'linux' })).status).toBe(403);
      expect((await api(who, 'PATCH', `/packages/${pkg.id}`, { name: 'Nope' })).status).toBe(403);
      expect((await api(who, 'DELETE', `/packages/${pkg.id}`)).status).toBe(403);
    }
  });
});

describe('uploads', () => {
  it('takes a file in parts, hashes what R2 holds and signs the manifest over prefix + text', async () => {
    const pkg = await createPackage(t, { name: 'Firefox' });
    const parts = [patterned(5 * MIB, 1), patterned(123_457, 2)];
    const all = new Uint8Array(5 * MIB + 123_457);
    all.set(parts[0], 0);
    all.set(parts[1], 5 * MIB);
    const up = await uploadVersion(t, pkg.id, parts, { version: '128.0', fileName: 'firefox_128.0_amd64.deb', extra: { silentArgs: ['--quiet'] } });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    const sha256 = await sha256Of(all);
    expect(up.body).toMatchObject({ status: 'ready', size: all.byteLength, sha256, uploadedBytes: all.byteLength, fileName: 'firefox_128.0_amd64.deb' });

    const manifest = await manifestOf(up.versionId);
    expect(await manifestVerifies(t.tenantId, manifest)).toBe(true);
    expect(await manifestVerifies(t.tenantId, { ...manifest, text: manifest.text.replace('128.0', '128.1') })).toBe(false);
    expect(JSON.parse(manifest.text)).toMatchObject({
      v: 1,
      tenantId: t.tenantId,
      packageId: pkg.id,
      versionId: up.versionId,
      name: 'Firefox',
      version: '128.0',
      platform: 'linux',
      installer: 'deb',
      repoName: null,
      fileName: 'firefox_128.0_amd64.deb',
      size: all.byteLength,
      sha256,
      silentArgs: ['--quiet'],
      detection: { type: 'software', name: 'Firefox', match: 'exact' },
    });
    const stored = await env.PACKAGES.get(`tenants/${t.tenantId}/packages/${pkg.id}/${up.versionId}`);
    expect(await sha256Of(new Uint8Array(await stored!.arrayBuffer()))).toBe(sha256);
    expect(await auditActions(up.versionId)).toEqual(['package.version.create', 'package.version.ready']);
    expect((await ok(t, 'GET', `/packages/${pkg.id}`)).latest).toMatchObject({ id: up.versionId, version: '128.0' });
  });

  it('fails a version whose bytes are not the declared size, and deletes them', async () => {
    const pkg = await createPackage(t, { name: 'Short' });
    const up = await uploadVersion(t, pkg.id, [patterned(1000)], { declared: 1001 });
    expect(up.status).toBe(422);
    expect(up.body.error.code).toBe('size_mismatch');
    const row = await versionRow(up.versionId);
    expect(row).toMatchObject({ status: 'failed', manifest: null });
    expect(row!.error).toMatch(/1000 bytes, but 1001/);
    expect(await env.PACKAGES.head(row!.r2_key)).toBeNull();
    expect(await auditActions(up.versionId)).toEqual(['package.version.create', 'package.version.fail']);
  });

  it('signs a repository version at once, with nothing to upload', async () => {
    const pkg = await createPackage(t, { name: 'curl', installer: 'apt', platform: 'linux' });
    const made = await ok(t, 'POST', `/packages/${pkg.id}/versions`, { version: '8.5.0', repoName: 'curl' });
    expect(made).toMatchObject({ status: 'ready', repoName: 'curl', fileName: null, sha256: null, detection: { type: 'software', name: 'curl', match: 'exact' } });
    const manifest = await manifestOf(made.id);
    expect(await manifestVerifies(t.tenantId, manifest)).toBe(true);
    expect(JSON.parse(manifest.text)).toMatchObject({ installer: 'apt', repoName: 'curl', fileName: null, size: null, sha256: null });
    expect((await versionRow(made.id))!.r2_key).toBeNull();

    const withFile = await api(t, 'POST', `/packages/${pkg.id}/versions`, { version: '8.6.0', repoName: 'curl', fileName: 'curl.deb', size: 10 });
    expect(withFile.status).toBe(400);
    const deb = await createPackage(t, { name: 'NoFile' });
    const noFile = await api(t, 'POST', `/packages/${deb.id}/versions`, { version: '1', repoName: 'nofile' });
    expect(noFile.status).toBe(400);
    expect(noFile.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['fileName', 'size', 'repoName']);
    const again = await api(t, 'POST', `/packages/${pkg.id}/versions`, { version: '8.5.0', repoName: 'curl' });
    expect(again.status).toBe(409);
  });

  it('keeps an uploaded name’s base name only and stores the bytes under ids, nowhere else', async () => {
    const pkg = await createPackage(t, { name: 'Escaper' });
    const before = await bucketKeys();
    const up = await uploadVersion(t, pkg.id, [patterned(2048)], { fileName: '../../x' });
    expect(up.status).toBe(200);
    expect(up.body.fileName).toBe('x');
    const key = `tenants/${t.tenantId}/packages/${pkg.id}/${up.versionId}`;
    expect(await bucketKeys()).toEqual([...before, key].sort());
    expect(JSON.parse((await manifestOf(up.versionId)).text).fileName).toBe('x');

    for (const [name, kept] of [
      ['../../etc/passwd', 'passwd'],
      ['..\\..\\Windows\\System32\\evil.exe', 'evil.exe'],
      ['a\u0000b\nc.deb', 'abc.deb'],
      ['..', 'package'],
    ]) {
      const made = await ok(t, 'POST', `/packages/${pkg.id}/versions`, { version: `n${kept.length}${name.length}`, fileName: name, size: 10 });
      expect(made.fileName).toBe(kept);
      expect((await versionRow(made.id))!.r2_key).toBe(`tenants/${t.tenantId}/packages/${pkg.id}/${made.id}`);
    }
    const long = await ok(t, 'POST', `/packages/${pkg.id}/versions`, { version: 'long', fileName: `dir/${'a'.repeat(400)}.msi`, size: 10 });
    expect(long.fileName).toHaveLength(255);
  });

  it('refuses a part of unknown length (411), over twice the part size (413) or of a ready version (409), and publishing by a technician (403)', async () => {
    const pkg = await createPackage(t, { name: 'Big' });
    const version = await ok(t, 'POST', `/packages/${pkg.id}/versions`, { version: '1', fileName: 'big.deb', size: 40 * MIB });
    const big = await putPart(t, `/packages/${pkg.id}/versions/${version.id}/parts/1`, new Uint8Array(PACKAGE_PART_BYTES * 2 + 1));
    expect(big.status).toBe(413);
    expect((await versionRow(version.id))!.uploaded_bytes).toBe(0);
    // A streamed body of unknown length could not be checked against the limit before it is stored.
    const chunked = await SELF.fetch(`${ORIGIN}/api/v1/packages/${pkg.id}/versions/${version.id}/parts/1`, {
      method: 'PUT',
      headers: t.headers,
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(patterned(1000));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(411);
    expect((await api(t, 'GET', `/packages/${pkg.id}/versions/${version.id}`)).body).toMatchObject({ status: 'uploading', uploadedBytes: 0, size: 40 * MIB });

    const ready = await readyVersion(t, pkg.id, '2');
    expect((await putPart(t, `/packages/${pkg.id}/versions/${ready.id}/parts/1`, patterned(10))).status).toBe(409);

    expect((await api(technician, 'POST', `/packages/${pkg.id}/versions`, { version: '3', fileName: 'x.deb', size: 10 })).status).toBe(403);
    expect((await putPart(technician, `/packages/${pkg.id}/versions/${version.id}/parts/1`, patterned(10))).status).toBe(403);
    expect((await api(technician, 'POST', `/packages/${pkg.id}/versions/${version.id}/complete`, { parts: [{ partNumber: 1, etag: 'x' }] })).status).toBe(403);
    expect((await api(technician, 'DELETE', `/packages/${pkg.id}/versions/${version.id}`)).status).toBe(403);
  });

  it('answers 409 for a part whose upload was cancelled while it streamed, and stores nothing', async () => {
    const pkg = await createPackage(t, { name: 'Cancelled' });
    const version = await ok(t, 'POST', `/packages/${pkg.id}/versions`, { version: '1', fileName: 'c.deb', size: 20 * MIB });
    const row = (await versionRow(version.id))!;
    // The cancel's abort lands between the route reading the row and R2 taking the part.
    await env.PACKAGES.resumeMultipartUpload(row.r2_key as string, row.upload_id as string).abort();
    const res = await putPart(t, `/packages/${pkg.id}/versions/${version.id}/parts/1`, patterned(1000));
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('was not stored');
    expect((await versionRow(version.id))!.uploaded_bytes).toBe(0);
  });
});

describe('deleting', () => {
  const liveJob = async (status: string, versionId: string, viaColumn: boolean) => {
    const id = `job_test${Math.random().toString(36).slice(2, 12)}`;
    const action = JSON.stringify(viaColumn ? { type: 'process_list' } : { type: 'deploy', versionId, action: 'install' });
    await env.DB.prepare(
      `INSERT INTO jobs (id, tenant_id, name, action, action_label, target, concurrency, status, total, requested_by, created_at, expires_at, kind, package_version_id)
       VALUES (?, ?, 'deploy', ?, 'install', '{}', 10, ?, 1, ?, ?, ?, 'deployment', ?)`,
    )
      .bind(id, t.tenantId, action, status, t.userId, Date.now(), Date.now() + 3600_000, viaColumn ? versionId : null)
      .run();
    return id;
  };

  it('deletes a version’s stored file or aborts its upload; refuses while a live job names it', async () => {
    const pkg = await createPackage(t, { name: 'Removable' });
    const ready = await readyVersion(t, pkg.id, '1.0');
    const key = `tenants/${t.tenantId}/packages/${pkg.id}/${ready.id}`;
    const job = await liveJob('scheduled', ready.id, false);
    const refused = await api(t, 'DELETE', `/packages/${pkg.id}/versions/${ready.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(job);
    await env.DB.prepare("UPDATE jobs SET status = 'completed' WHERE id = ?").bind(job).run();
    expect((await api(t, 'DELETE', `/packages/${pkg.id}/versions/${ready.id}`)).status).toBe(204);
    expect(await env.PACKAGES.head(key)).toBeNull();
    expect(await versionRow(ready.id)).toBeNull();
    expect(await auditActions(ready.id)).toContain('package.version.delete');

    const uploading = await ok(t, 'POST', `/packages/${pkg.id}/versions`, { version: '2.0', fileName: 'r.deb', size: 6 * MIB });
    const part = await putPart(t, `/packages/${pkg.id}/versions/${uploading.id}/parts/1`, patterned(5 * MIB));
    const { etag } = await part.json<{ etag: string }>();
    const row = await versionRow(uploading.id);
    expect(row!.uploaded_bytes).toBe(5 * MIB);
    expect((await api(t, 'DELETE', `/packages/${pkg.id}/versions/${uploading.id}`)).status).toBe(204);
    // The upload was aborted: it can no longer be completed.
    await expect(env.PACKAGES.resumeMultipartUpload(row!.r2_key, row!.upload_id).complete([{ partNumber: 1, etag }])).rejects.toThrow();
    expect(await env.PACKAGES.head(row!.r2_key)).toBeNull();
  });

  it('deletes a package with its versions and files, unless a live job deploys one of them', async () => {
    const pkg = await createPackage(t, { name: 'Doomed' });
    const one = await readyVersion(t, pkg.id, '1');
    const two = await readyVersion(t, pkg.id, '2');
    const prefix = `tenants/${t.tenantId}/packages/${pkg.id}/`;
    expect((await bucketKeys()).filter((k) => k.startsWith(prefix))).toHaveLength(2);
    for (const status of ['running', 'halted', 'awaiting_approval']) {
      const job = await liveJob(status, two.id, true);
      expect((await api(t, 'DELETE', `/packages/${pkg.id}`)).status).toBe(409);
      await env.DB.prepare("UPDATE jobs SET status = 'cancelled' WHERE id = ?").bind(job).run();
    }
    expect((await api(t, 'DELETE', `/packages/${pkg.id}`)).status).toBe(204);
    expect((await bucketKeys()).filter((k) => k.startsWith(prefix))).toEqual([]);
    expect(await versionRow(one.id)).toBeNull();
    expect((await api(t, 'GET', `/packages/${pkg.id}`)).status).toBe(404);
    expect(await auditActions(pkg.id)).toEqual(['package.create', 'package.delete']);
  });
});
