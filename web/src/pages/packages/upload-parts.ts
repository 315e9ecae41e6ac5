import { PACKAGE_PART_BYTES } from '../../../../protocol/api/packages';
import { ApiFailure } from '../../api/errors';
import { completeUpload, partPath, type PackageVersion } from '../../state/packages';

export interface UploadProgress {
  sent: number;
  total: number;
  /** Bytes per second since the upload started. */
  rate: number;
  part: number;
  parts: number;
}

/** A network failure is retried this many times per part before the upload gives up. */
const PART_RETRIES = 2;

export const partCount = (size: number): number => Math.max(1, Math.ceil(size / PACKAGE_PART_BYTES));

/**
 * Sends one part as the raw body. XMLHttpRequest rather than fetch: only it reports upload
 * progress. The session cookie goes along (same origin) and the browser adds the Origin
 * header the server's CSRF check wants.
 */
function sendPart(url: string, bytes: Blob, signal: AbortSignal, onSent: (loaded: number) => void): Promise<{ partNumber: number; etag: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const abort = () => xhr.abort();
    signal.addEventListener('abort', abort, { once: true });
    const done = () => signal.removeEventListener('abort', abort);
    xhr.open('PUT', url);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onSent(e.loaded);
    xhr.onabort = () => {
      done();
      reject(new DOMException('upload cancelled', 'AbortError'));
    };
    xhr.onerror = () => {
      done();
      reject(new ApiFailure(0, 'network', 'the upload was interrupted; check your connection'));
    };
    xhr.onload = () => {
      done();
      const res = new Response(xhr.responseText, { status: xhr.status, headers: { 'content-type': 'application/json' } });
      if (xhr.status >= 200 && xhr.status < 300) return void res.json().then(resolve, reject);
      void ApiFailure.fromResponse(res).then(reject);
    };
    xhr.send(bytes);
  });
}

/**
 * Uploads a version's file in PACKAGE_PART_BYTES slices, one after another (R2 wants every
 * part but the last at full size, and a sequential upload never holds more than one slice),
 * then completes it: the server hashes what it stored and answers the ready version.
 */
export async function uploadFile(packageId: string, versionId: string, file: File, signal: AbortSignal, onProgress: (p: UploadProgress) => void): Promise<PackageVersion> {
  const parts = partCount(file.size);
  const started = performance.now();
  const done: { partNumber: number; etag: string }[] = [];
  let confirmed = 0;
  const report = (sent: number, part: number) => {
    const seconds = (performance.now() - started) / 1000;
    onProgress({ sent, total: file.size, rate: seconds > 0 ? sent / seconds : 0, part, parts });
  };
  report(0, 1);
  for (let n = 1; n <= parts; n++) {
    const slice = file.slice((n - 1) * PACKAGE_PART_BYTES, Math.min(file.size, n * PACKAGE_PART_BYTES));
    for (let attempt = 0; ; attempt++) {
      try {
        const part = await sendPart(partPath(packageId, versionId, n), slice, signal, (loaded) => report(confirmed + Math.min(loaded, slice.size), n));
        done.push({ partNumber: part.partNumber, etag: part.etag });
        break;
      } catch (err) {
        const network = err instanceof ApiFailure && err.code === 'network';
        if (!network || attempt >= PART_RETRIES || signal.aborted) throw err;
      }
    }
    confirmed += slice.size;
    report(confirmed, n);
  }
  if (signal.aborted) throw new DOMException('upload cancelled', 'AbortError');
  return completeUpload(packageId, versionId, done);
}

export const isAbort = (err: unknown): boolean => err instanceof DOMException && err.name === 'AbortError';
