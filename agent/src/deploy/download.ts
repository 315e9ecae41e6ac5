import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PackageManifest } from '../../../protocol/packages';
import { ensurePrivateDir } from '../fs-atomic';
import { describeError } from '../log';
import { endpoint } from '../server-url';
import { touch } from './cache';
import { DeployError } from './failure';

/*
 * Package files come from the server's device-authenticated endpoint into the agent's private
 * cache, named by their digest: `<sha256>.part` while arriving (a broken download resumes
 * from where it stopped), `<sha256>.pkg` once its digest and size matched the signed
 * manifest. Nothing reads a `.part` file but this module.
 */

export interface PackageSource {
  /** The server's base URL, as at enrollment. */
  server: string;
  deviceToken: string;
  /** The private cache directory. */
  dir: string;
}

export interface DownloadOptions {
  /** Aborting ends the download; an Error given as the reason is what it fails with. */
  signal?: AbortSignal;
  /** 0–100, at most once a second. */
  onProgress?: (percent: number) => void;
  /** No bytes for this long and the attempt is abandoned (the next one resumes). */
  idleMs?: number;
  /** Attempts for network errors and server errors (5xx); a refusal (4xx) is final. */
  attempts?: number;
  retryDelayMs?: number;
  now?: () => number;
}

type Sized = Pick<PackageManifest, 'versionId' | 'sha256' | 'size'>;

export function cachePaths(dir: string, sha256: string) {
  return { part: join(dir, `${sha256}.part`), done: join(dir, `${sha256}.pkg`) };
}

const sizeOf = (path: string) => stat(path).then((s) => s.size, () => null);

/** Why an attempt ended; `retry` when the next attempt may succeed. */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
  ) {
    super(message);
  }
}

/** Whoever aborted says why (a deadline, the agent stopping) by giving an Error as the reason. */
function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error && signal.reason.name !== 'AbortError' ? signal.reason : new DeployError('download_failed', 'the download was cancelled');
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * The package file on disk, complete but not yet verified: the cached `.pkg` when there is
 * one, else a `.part` fetched (or resumed) until it has the manifest's size.
 */
export async function downloadPackage(m: Sized, src: PackageSource, opts: DownloadOptions = {}): Promise<string> {
  if (m.sha256 === null || m.size === null) throw new DeployError('download_failed', 'the manifest names no file');
  ensurePrivateDir(src.dir);
  const paths = cachePaths(src.dir, m.sha256);
  if ((await sizeOf(paths.done)) !== null) {
    touch(paths.done);
    return paths.done;
  }

  const attempts = opts.attempts ?? 4;
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (opts.signal?.aborted) throw abortReason(opts.signal);
    try {
      await attemptDownload(m as Sized & { sha256: string; size: number }, src, paths.part, opts);
      return paths.part;
    } catch (err) {
      if (err instanceof DeployError) throw err;
      if (opts.signal?.aborted) throw abortReason(opts.signal);
      last = err instanceof AttemptError ? err.message : describeError(err);
      if (err instanceof AttemptError && !err.retry) break;
      if (attempt < attempts) await sleep((opts.retryDelayMs ?? 1000) * attempt, opts.signal);
    }
  }
  throw new DeployError('download_failed', last);
}

async function attemptDownload(m: Sized & { sha256: string; size: number }, src: PackageSource, part: string, opts: DownloadOptions): Promise<void> {
  let have = (await sizeOf(part)) ?? 0;
  if (have > m.size) {
    await rm(part, { force: true });
    have = 0;
  }
  if (have === m.size) return;

  const ctrl = new AbortController();
  const onOuterAbort = () => ctrl.abort();
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const idleMs = opts.idleMs ?? 60_000;
  let idle = setTimeout(() => ctrl.abort(), idleMs);
  const touch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => ctrl.abort(), idleMs);
  };
  const now = opts.now ?? Date.now;
  let lastReport = -Infinity;
  const progress = (bytes: number) => {
    if (!opts.onProgress || now() - lastReport < 1000) return;
    lastReport = now();
    opts.onProgress(m.size === 0 ? 100 : Math.min(100, Math.floor((bytes * 100) / m.size)));
  };

  try {
    let res: Response;
    try {
      res = await fetch(endpoint(src.server, `agent/packages/${encodeURIComponent(m.versionId)}`), {
        headers: {
          authorization: `Bearer ${src.deviceToken}`,
          // Compressed transfer would make byte ranges mean something else.
          'accept-encoding': 'identity',
          ...(have > 0 ? { range: `bytes=${have}-` } : {}),
        },
        signal: ctrl.signal,
        redirect: 'error',
      });
    } catch (err) {
      throw new AttemptError(ctrl.signal.aborted ? `no answer from the server for ${idleMs / 1000} s` : `cannot reach the server: ${describeError(err)}`, true);
    }
    if (res.status === 416) {
      // The partial file is not a prefix the server recognises: start over.
      await res.body?.cancel();
      await rm(part, { force: true });
      throw new AttemptError('the server refused to resume (HTTP 416)', true);
    }
    const resumed = res.status === 206 && have > 0 && new RegExp(`^bytes ${have}-`).test(res.headers.get('content-range') ?? '');
    if (res.status !== 200 && !resumed) {
      await res.body?.cancel().catch(() => {});
      if (res.status === 206) {
        await rm(part, { force: true });
        throw new AttemptError('the server sent a range that was not asked for', true);
      }
      throw new AttemptError(`HTTP ${res.status} from the server`, res.status >= 500 || res.status === 429);
    }
    if (!res.body) throw new AttemptError('the server sent no body', true);

    const file = await open(part, resumed ? 'a' : 'w', 0o600);
    let bytes = resumed ? have : 0;
    progress(bytes);
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        touch();
        if (bytes + chunk.length > m.size) {
          await file.close();
          await rm(part, { force: true });
          throw new DeployError('integrity_failed', `the server sent more than the manifest's ${m.size} bytes`);
        }
        await file.write(chunk);
        bytes += chunk.length;
        progress(bytes);
      }
    } catch (err) {
      if (err instanceof DeployError) throw err;
      throw new AttemptError(ctrl.signal.aborted ? `the download stalled at ${bytes} of ${m.size} bytes` : `the download broke off at ${bytes} of ${m.size} bytes: ${describeError(err)}`, true);
    } finally {
      await file.close().catch(() => {});
    }
    if (bytes < m.size) throw new AttemptError(`the download ended at ${bytes} of ${m.size} bytes`, true);
  } finally {
    clearTimeout(idle);
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/** SHA-256 of a file, read as a stream (packages can be large). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The downloaded bytes against the signed manifest. A match is kept as `<sha256>.pkg` (and
 * reused next time); anything else is deleted and nothing may be installed from it.
 */
export async function verifyPackage(path: string, m: Sized): Promise<string> {
  if (m.sha256 === null || m.size === null) throw new DeployError('integrity_failed', 'the manifest names no file');
  const size = await sizeOf(path);
  const got = size === null ? null : await sha256File(path);
  if (size !== m.size || got !== m.sha256) {
    await rm(path, { force: true });
    const why = size !== m.size ? `size mismatch: expected ${m.size} bytes, got ${size ?? 'none'}` : `sha256 mismatch: expected ${m.sha256}, got ${got}`;
    throw new DeployError('integrity_failed', why);
  }
  const { done } = cachePaths(dirname(path), m.sha256);
  if (path !== done) await rename(path, done);
  return done;
}
