import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, createTenantDirect, insertDevice, type DirectTenant } from '../../../test/support';
import { createPackage, manifestOf, manifestVerifies, ok, readyVersion } from '../../routes/package-fixture';
import { getDb } from '../db';
import { ApiError } from '../errors';
import { packageVersionIdOf, prepareDeploy } from './deploy-command';

/*
 * A `deploy` spec becomes install_package / uninstall_package with the version's signed
 * manifest; install and rollback carry the catalog's previous ready version.
 */

let t: DirectTenant;
let other: DirectTenant;
let pkgId: string;
const v: Record<'v1' | 'v2' | 'v3' | 'failed' | 'uploading' | 'sibling', string> = { v1: '', v2: '', v3: '', failed: '', uploading: '', sibling: '' };

const db = () => getDb(env);
const prepare = (versionId: string, action: 'install' | 'uninstall' | 'rollback', tenantId = t.tenantId) =>
  prepareDeploy(db(), { tenantId, clientIds: null }, { type: 'deploy', versionId, action });

async function refusal(p: Promise<unknown>): Promise<{ status: number; code: string }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return { status: (err as ApiError).status, code: (err as ApiError).code };
}

beforeAll(async () => {
  t = await createTenantDirect('Deploy MSP');
  other = await createTenantDirect('Other Deploy MSP');
  pkgId = (await createPackage(t, { name: 'Firefox' })).id;
  v.v1 = (await readyVersion(t, pkgId, '127.0')).id;
  v.v2 = (await readyVersion(t, pkgId, '128.0')).id;
  // A failed upload between them is never anyone's previous version.
  const failed = await api(t, 'POST', `/packages/${pkgId}/versions`, { version: '128.5', fileName: 'f.deb', size: 10 });
  v.failed = failed.body.id;
  await env.DB.prepare("UPDATE package_versions SET status = 'failed', ready_at = ? WHERE id = ?").bind(Date.now(), v.failed).run();
  v.v3 = (await readyVersion(t, pkgId, '129.0')).id;
  v.uploading = (await ok(t, 'POST', `/packages/${pkgId}/versions`, { version: '130.0', fileName: 'g.deb', size: 10 })).id;
  const sibling = (await createPackage(t, { name: 'Thunderbird' })).id;
  v.sibling = (await readyVersion(t, sibling, '1.0')).id;
});

describe('prepareDeploy', () => {
  it('install: the signed manifest, the newest older ready version as previous, rollback on failure', async () => {
    const cmd = await prepare(v.v3, 'install');
    expect(cmd.type).toBe('install_package');
    expect(cmd.label).toBe('install Firefox 129.0 (deb)');
    expect(cmd.params).toEqual({ manifest: await manifestOf(v.v3), previous: await manifestOf(v.v2), rollbackOnFailure: true, timeoutSeconds: 1800 });
    expect(cmd.stored).toEqual(cmd.params);
    expect(cmd.secrets).toEqual({});
    expect(await manifestVerifies(t.tenantId, (cmd.params as { manifest: { text: string; sig: string } }).manifest)).toBe(true);

    expect((await prepare(v.v2, 'install')).params).toMatchObject({ previous: await manifestOf(v.v1) });
    // The oldest version has none (another package's versions do not count).
    expect((await prepare(v.v1, 'install')).params).toMatchObject({ previous: null });
    expect((await prepare(v.sibling, 'install')).params).toMatchObject({ previous: null });
  });

  it('uninstall: the manifest alone; rollback: uninstall and restore the previous version', async () => {
    const un = await prepare(v.v2, 'uninstall');
    expect(un).toMatchObject({ type: 'uninstall_package', label: 'uninstall Firefox 128.0 (deb)' });
    expect(un.params).toEqual({ manifest: await manifestOf(v.v2), restore: null, timeoutSeconds: 1800 });

    const back = await prepare(v.v3, 'rollback');
    expect(back).toMatchObject({ type: 'uninstall_package', label: 'roll back Firefox 129.0 (deb) to 128.0' });
    expect(back.params).toEqual({ manifest: await manifestOf(v.v3), restore: await manifestOf(v.v2), timeoutSeconds: 1800 });
    expect((await prepare(v.v1, 'rollback')).params).toMatchObject({ restore: null });
  });

  it('answers 404 for another tenant’s or an unknown version and 409 not_ready for one not ready', async () => {
    expect(await refusal(prepare(v.v3, 'install', other.tenantId))).toEqual({ status: 404, code: 'not_found' });
    expect(await refusal(prepare('pkv_nothing', 'install'))).toEqual({ status: 404, code: 'not_found' });
    expect(await refusal(prepare(v.uploading, 'install'))).toEqual({ status: 409, code: 'not_ready' });
    expect(await refusal(prepare(v.failed, 'uninstall'))).toEqual({ status: 409, code: 'not_ready' });
  });

  it('names the package version of a deploy spec, and none of any other', () => {
    expect(packageVersionIdOf({ type: 'deploy', versionId: 'pkv_x', action: 'install' })).toBe('pkv_x');
    expect(packageVersionIdOf({ type: 'process_list', params: {} })).toBeNull();
  });

  it('is what a device command of type deploy sends (signed install_package)', async () => {
    const deviceId = await insertDevice(t);
    const res = await api(t, 'POST', `/devices/${deviceId}/commands`, { type: 'deploy', versionId: v.v3 });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const row = await env.DB.prepare('SELECT type, params FROM commands WHERE id = ?').bind(res.body.command.id).first<{ type: string; params: string }>();
    expect(row!.type).toBe('install_package');
    expect(JSON.parse(row!.params).manifest).toEqual(await manifestOf(v.v3));
    const foreign = await api(other, 'POST', `/devices/${await insertDevice(other)}/commands`, { type: 'deploy', versionId: v.v3 });
    expect(foreign.status).toBe(404);
  });
});
