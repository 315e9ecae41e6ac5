import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CACHE_KEEP_MS, pruneCache } from '../src/deploy/cache';
import { cachePaths, downloadPackage, verifyPackage, type PackageSource } from '../src/deploy/download';
import { DeployError } from '../src/deploy/failure';
import { PackageServer, type Served } from './fixtures/deploy/harness';

/** The download half of a deployment against a real HTTP server: token, ranges, retries. */

const TOKEN = `tdt_${randomBytes(18).toString('base64url')}`;
const server = new PackageServer(TOKEN);
let dir: string;
let n = 0;

beforeAll(async () => {
  await server.start();
});
afterAll(() => server.stop());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tether-dl-'));
  return () => rmSync(dir, { recursive: true, force: true });
});

const source = (over: Partial<PackageSource> = {}): PackageSource => ({ server: server.url, deviceToken: TOKEN, dir, ...over });

/** A file on the server and the manifest fields that describe it. */
function serve(size: number, opts: Omit<Served, 'bytes'> = {}) {
  const bytes = randomBytes(size);
  const versionId = `ver_dl_${n++}`;
  server.files.set(versionId, { bytes, ...opts });
  return { bytes, m: { versionId, size, sha256: createHash('sha256').update(bytes).digest('hex') } };
}
const requestsFor = (versionId: string) => server.requests.filter((r) => r.url === `/agent/packages/${versionId}`);

describe('package download', () => {
  it('resumes a partial file left by an earlier run', async () => {
    const { bytes, m } = serve(300_000);
    writeFileSync(cachePaths(dir, m.sha256).part, bytes.subarray(0, 123_456));
    const path = await downloadPackage(m, source());
    expect(path).toBe(cachePaths(dir, m.sha256).part);
    expect(requestsFor(m.versionId).map((r) => r.headers.range)).toEqual(['bytes=123456-']);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(await verifyPackage(path, m)).toBe(cachePaths(dir, m.sha256).done);
    expect(readdirSync(dir)).toEqual([`${m.sha256}.pkg`]);
  });

  it('starts over when the server answers a range request with the whole file', async () => {
    const { bytes, m } = serve(50_000, { ignoreRange: true });
    writeFileSync(cachePaths(dir, m.sha256).part, bytes.subarray(0, 1000));
    const path = await downloadPackage(m, source());
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('starts over when the partial file is longer than the package', async () => {
    const { bytes, m } = serve(10_000);
    writeFileSync(cachePaths(dir, m.sha256).part, randomBytes(10_001));
    const path = await downloadPackage(m, source());
    expect(requestsFor(m.versionId).map((r) => r.headers.range)).toEqual([undefined]);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('abandons a stalled transfer and resumes it', async () => {
    const { bytes, m } = serve(100_000, { stallAfter: 40_000 });
    const path = await downloadPackage(m, source(), { idleMs: 300, retryDelayMs: 10 });
    expect(requestsFor(m.versionId).map((r) => r.headers.range)).toEqual([undefined, 'bytes=40000-']);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('retries server errors, but not a refusal', async () => {
    const { m } = serve(1000, { failWith: [503, 502] });
    await downloadPackage(m, source(), { retryDelayMs: 10 });
    expect(requestsFor(m.versionId)).toHaveLength(3);

    const other = serve(1000);
    const err = await downloadPackage(other.m, source({ deviceToken: 'tdt_not_this_device_token' }), { retryDelayMs: 10 }).catch((e) => e);
    expect(err).toBeInstanceOf(DeployError);
    expect(err).toMatchObject({ failure: 'download_failed', message: 'HTTP 401 from the server' });
    expect(requestsFor(other.m.versionId)).toHaveLength(1);
  });

  it('gives up after the last attempt, saying why', async () => {
    const { m } = serve(1000, { failWith: [500, 500] });
    await expect(downloadPackage(m, source(), { attempts: 2, retryDelayMs: 10 })).rejects.toMatchObject({ failure: 'download_failed', message: 'HTTP 500 from the server' });
    await expect(downloadPackage(m, source({ server: 'http://127.0.0.1:1' }), { attempts: 1 })).rejects.toMatchObject({ failure: 'download_failed', message: expect.stringMatching(/^cannot reach the server/) });
  });

  it('stops with the reason it was aborted for', async () => {
    const { m } = serve(100_000, { stallAfter: 10 });
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(new DeployError('timed_out', 'not finished after 60 s')), 200);
    await expect(downloadPackage(m, source(), { signal: ctrl.signal })).rejects.toMatchObject({ failure: 'timed_out', message: 'not finished after 60 s' });
  });

  it('refuses more bytes than the signed size', async () => {
    const { m } = serve(5000);
    await expect(downloadPackage({ ...m, size: 4000 }, source())).rejects.toMatchObject({ failure: 'integrity_failed' });
    expect(existsSync(cachePaths(dir, m.sha256).part)).toBe(false);
  });

  it('reports progress at most once a second', async () => {
    const { m } = serve(2_000_000);
    const frozen: number[] = [];
    await downloadPackage(m, source(), { onProgress: (p) => frozen.push(p), now: () => 5_000 });
    expect(frozen).toEqual([0]);

    rmSync(dir, { recursive: true, force: true });
    let t = 0;
    const moving: number[] = [];
    await downloadPackage(m, source(), { onProgress: (p) => moving.push(p), now: () => (t += 1000) });
    expect(moving.length).toBeGreaterThan(1);
    expect(moving).toEqual([...moving].sort((a, b) => a - b));
    expect(moving.at(-1)).toBe(100);
  });

  it('uses a cached file without asking the server, and keeps it while it is used', async () => {
    const { bytes, m } = serve(2000);
    const { done } = cachePaths(dir, m.sha256);
    writeFileSync(done, bytes);
    const old = (Date.now() - CACHE_KEEP_MS - 60_000) / 1000;
    utimesSync(done, old, old);
    expect(await downloadPackage(m, source())).toBe(done);
    expect(requestsFor(m.versionId)).toHaveLength(0);
    expect(Date.now() - statSync(done).mtimeMs).toBeLessThan(60_000);
    expect(pruneCache(dir)).toEqual([]);
  });

  it('prunes packages and partial downloads unused for longer than the cache keeps them', () => {
    const stale = `${'a'.repeat(64)}.pkg`;
    const abandoned = `${'b'.repeat(64)}.part`;
    const fresh = `${'c'.repeat(64)}.pkg`;
    for (const name of [stale, abandoned, fresh, 'notes.txt']) writeFileSync(join(dir, name), 'x');
    const old = (Date.now() - CACHE_KEEP_MS - 60_000) / 1000;
    for (const name of [stale, abandoned, 'notes.txt']) utimesSync(join(dir, name), old, old);
    expect(pruneCache(dir).sort()).toEqual([stale, abandoned].sort());
    expect(readdirSync(dir).sort()).toEqual([fresh, 'notes.txt'].sort());
  });

  it('deletes a file whose size or digest is wrong', async () => {
    const { bytes, m } = serve(2000);
    const part = cachePaths(dir, m.sha256).part;
    writeFileSync(part, bytes.subarray(0, 1999));
    await expect(verifyPackage(part, m)).rejects.toMatchObject({ failure: 'integrity_failed', message: 'size mismatch: expected 2000 bytes, got 1999' });
    expect(existsSync(part)).toBe(false);
    const flipped = Buffer.from(bytes);
    flipped[7] ^= 1;
    writeFileSync(part, flipped);
    const got = createHash('sha256').update(flipped).digest('hex');
    await expect(verifyPackage(part, m)).rejects.toMatchObject({ message: `sha256 mismatch: expected ${m.sha256}, got ${got}` });
    expect(existsSync(part)).toBe(false);
  });
});
