import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { FetchFileParams, FetchFileResult } from '../../../protocol/command';
import { describeError } from '../log';
import type { DataOutcome } from './data-command';

function kind(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isFIFO()) return 'a named pipe';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

function openError(path: string, err: unknown): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return `no such file: ${path}`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied: ${path}`;
    case 'EISDIR':
      return `${path} is a directory, not a regular file`;
    default:
      return `cannot open ${path}: ${describeError(err)}`;
  }
}

/**
 * One file's bytes. The checks look at the file that was opened, not at the path again, so
 * a file swapped in between cannot slip past them; opening does not block on a named pipe.
 */
export async function fetchFile(p: FetchFileParams, platform = process.platform): Promise<DataOutcome> {
  const absolute = platform === 'win32' ? /^[A-Za-z]:[\\/]/.test(p.path) : isAbsolute(p.path);
  if (!absolute) return { ok: false, error: `${p.path} is not an absolute path on this system` };
  let handle;
  try {
    handle = await open(p.path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    return { ok: false, error: openError(p.path, err) };
  }
  try {
    const s = await handle.stat();
    if (!s.isFile()) return { ok: false, error: `${p.path} is ${kind(s)}, not a regular file` };
    if (s.size > p.maxBytes) return { ok: false, error: `file is ${s.size} bytes, above the limit of ${p.maxBytes}` };
    // The file may grow while it is read: read one byte past the limit to notice.
    const buf = Buffer.alloc(p.maxBytes + 1);
    let got = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (got === buf.length) break;
    }
    if (got > p.maxBytes) return { ok: false, error: `file grew above the limit of ${p.maxBytes} bytes while it was read` };
    const data = buf.subarray(0, got);
    const result: FetchFileResult = { path: p.path, size: got, sha256: createHash('sha256').update(data).digest('hex'), data: data.toString('base64') };
    return { ok: true, json: result };
  } catch (err) {
    return { ok: false, error: `cannot read ${p.path}: ${describeError(err)}` };
  } finally {
    await handle.close();
  }
}
