import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { clearOfWindowEdge, createTenantDirect, type DirectTenant } from '../../test/support';
import { createPackage, deviceWithToken, download, manifestOf, ok, patterned, readyVersion, sha256Of } from './package-fixture';
import { DOWNLOADS_PER_DEVICE } from './agent-packages';

/*
 * GET /agent/packages/:versionId: a device downloads a ready version of its own tenant with
 * its token, whole or from an offset (resume). The bytes go out as R2 holds them; checking
 * them against the signed manifest is the agent's job.
 */

let t: DirectTenant;
let other: DirectTenant;
let device: { id: string; token: string };
let pkgId: string;
let version: { id: string; bytes: Uint8Array<ArrayBuffer> };

const bytesOf = async (res: Response) => new Uint8Array(await res.arrayBuffer());

beforeAll(async () => {
  t = await createTenantDirect('Download MSP');
  other = await createTenantDirect('Other MSP');
  device = await deviceWithToken(t);
  pkgId = (await createPackage(t, { name: 'Agent Tool' })).id;
  version = await readyVersion(t, pkgId, '1.0', patterned(300_000, 3));
});

describe('GET /agent/packages/:versionId', () => {
  it('serves the whole file with its size, its SHA-256 as ETag and no caching', async () => {
    const res = await download(device.token, version.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-length')).toBe('300000');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('etag')).toBe(`"${await sha256Of(version.bytes)}"`);
    expect(await bytesOf(res)).toEqual(version.bytes);
  });

  it('resumes from an offset (bytes=N-), serves a closed range (bytes=N-M) and refuses one past the end (416)', async () => {
    const tail = await download(device.token, version.id, { range: 'bytes=123456-' });
    expect(tail.status).toBe(206);
    expect(tail.headers.get('content-range')).toBe('bytes 123456-299999/300000');
    expect(tail.headers.get('content-length')).toBe(String(300_000 - 123_456));
    expect(await bytesOf(tail)).toEqual(version.bytes.slice(123_456));

    const middle = await download(device.token, version.id, { range: 'bytes=10-19' });
    expect(middle.status).toBe(206);
    expect(middle.headers.get('content-range')).toBe('bytes 10-19/300000');
    expect(await bytesOf(middle)).toEqual(version.bytes.slice(10, 20));

    const past = await download(device.token, version.id, { range: 'bytes=300000-' });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe('bytes */300000');
  });

  it('refuses a bad or revoked token (401)', async () => {
    expect((await download('tdt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', version.id)).status).toBe(401);
    const revoked = await deviceWithToken(t);
    await env.DB.prepare('UPDATE devices SET revoked_at = ? WHERE id = ?').bind(Date.now(), revoked.id).run();
    expect((await download(revoked.token, version.id)).status).toBe(401);
  });

  it('answers 404 for another tenant’s version and for a version that is not ready', async () => {
    const foreign = await deviceWithToken(other);
    const res = await download(foreign.token, version.id);
    expect(res.status).toBe(404);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('not_found');

    const uploading = await ok(t, 'POST', `/packages/${pkgId}/versions`, { version: '2.0', fileName: 'tool.deb', size: 100 });
    expect((await download(device.token, uploading.id)).status).toBe(404);
  });

  it('serves tampered bytes unchanged (the agent, not the server, refuses them) while the ETag keeps the manifest’s SHA-256', async () => {
    const tampered = await readyVersion(t, pkgId, '3.0', patterned(5000, 9));
    const sha256 = JSON.parse((await manifestOf(tampered.id)).text).sha256;
    const flipped = tampered.bytes.slice();
    flipped[1234] ^= 0xff;
    await env.PACKAGES.put(`tenants/${t.tenantId}/packages/${pkgId}/${tampered.id}`, flipped);
    const res = await download(device.token, tampered.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${sha256}"`);
    const served = await bytesOf(res);
    expect(served).toEqual(flipped);
    expect(await sha256Of(served)).not.toBe(sha256);
  });

  it('turns a device away once it has downloaded too often (429)', async () => {
    const looping = await deviceWithToken(t);
    await clearOfWindowEdge(DOWNLOADS_PER_DEVICE.windowMs, 30_000);
    const statuses: number[] = [];
    for (let i = 0; i <= DOWNLOADS_PER_DEVICE.max; i++) {
      const res = await download(looping.token, version.id, { range: 'bytes=0-0' });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses.slice(0, -1).every((s) => s === 206)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // Another device is not affected.
    expect((await download(device.token, version.id, { range: 'bytes=0-0' })).status).toBe(206);
  });
});
