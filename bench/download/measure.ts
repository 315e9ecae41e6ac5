import { open, rm } from 'node:fs/promises';
import { sha256File } from '../../agent/src/deploy/download';
import type { Pass } from './result';

/*
 * The two ways a device could get a package's bytes verified: through the Worker as the
 * agent does it (GET /agent/packages/:versionId with its device token, the body written to
 * disk as it arrives, then the file hashed with the agent's own function), and, as the
 * yardstick, the same bytes already on disk, read and hashed with that function.
 */

const mbPerSecond = (bytes: number, ms: number) => Math.round((bytes / 1e6 / (ms / 1000)) * 10) / 10;

export async function downloadOnce(server: string, versionId: string, deviceToken: string, dest: string, size: number, sha256: string): Promise<Pass> {
  await rm(dest, { force: true });
  const t0 = performance.now();
  const res = await fetch(`${server}/agent/packages/${encodeURIComponent(versionId)}`, {
    headers: { authorization: `Bearer ${deviceToken}`, 'accept-encoding': 'identity' },
  });
  if (res.status !== 200 || !res.body) throw new Error(`GET /agent/packages/${versionId}: ${res.status} ${(await res.text()).slice(0, 200)}`);
  const file = await open(dest, 'w', 0o600);
  let bytes = 0;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      await file.write(chunk);
      bytes += chunk.length;
    }
  } finally {
    await file.close();
  }
  const transferMs = performance.now() - t0;
  if (bytes !== size) throw new Error(`received ${bytes} of ${size} bytes`);
  const got = await sha256File(dest);
  const ms = performance.now() - t0;
  await rm(dest, { force: true });
  return { ms: Math.round(ms), mbPerSecond: mbPerSecond(size, ms), transferMs: Math.round(transferMs), sha256Ok: got === sha256 };
}

export async function diskOnce(path: string, size: number, sha256: string): Promise<Pass> {
  const t0 = performance.now();
  const got = await sha256File(path);
  const ms = performance.now() - t0;
  return { ms: Math.round(ms), mbPerSecond: mbPerSecond(size, ms), sha256Ok: got === sha256 };
}
