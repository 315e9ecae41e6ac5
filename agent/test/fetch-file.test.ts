import { afterEach, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FetchFileResult } from '../../protocol/command';
import { MAX_FETCH_FILE_BYTES, MAX_OUTPUT_CHUNK_BYTES } from '../../protocol/limits';
import { dataCommand } from '../src/system/data-command';
import { fetchFile } from '../src/system/fetch-file';
import { tempDir } from './helpers/agent-process';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
function dir(): string {
  const d = tempDir();
  dirs.push(d);
  return d.path;
}

async function fetch(path: string, maxBytes = MAX_FETCH_FILE_BYTES) {
  const out: { stream: string; data: string }[] = [];
  const r = await dataCommand(() => fetchFile({ path, maxBytes }), (stream, data) => out.push({ stream, data })).result;
  const stdout = out.filter((o) => o.stream === 'stdout').map((o) => o.data);
  return { r, out, stdout, json: r.status === 'succeeded' ? v.parse(FetchFileResult, JSON.parse(stdout.join(''))) : null };
}

describe('fetch_file', () => {
  it('sends a binary file back byte for byte, in chunks no bigger than the limit', async () => {
    const bytes = Buffer.concat([Buffer.from([0, 255, 10, 13, 0x80, 0xc3]), randomBytes(MAX_FETCH_FILE_BYTES - 6)]);
    const path = join(dir(), 'dump.bin');
    writeFileSync(path, bytes);
    const { r, stdout, json } = await fetch(path);
    expect(r).toMatchObject({ status: 'succeeded', exitCode: 0, truncated: false });
    expect(json!.path).toBe(path);
    expect(json!.size).toBe(bytes.length);
    expect(Buffer.from(json!.data, 'base64').equals(bytes)).toBe(true);
    expect(json!.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(json!.sha256).toBe(execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0]);
    expect(stdout.length).toBeGreaterThan(1);
    for (const chunk of stdout) expect(Buffer.byteLength(chunk)).toBeLessThanOrEqual(MAX_OUTPUT_CHUNK_BYTES);
  });

  it('sends an empty file', async () => {
    const path = join(dir(), 'empty');
    writeFileSync(path, '');
    const { json } = await fetch(path);
    expect(json).toEqual({ path, size: 0, sha256: createHash('sha256').digest('hex'), data: '' });
  });

  it('checks the size before reading', async () => {
    const path = join(dir(), 'big.log');
    writeFileSync(path, Buffer.alloc(2049, 'x'));
    const { r, out } = await fetch(path, 2048);
    expect(r).toMatchObject({ status: 'failed', exitCode: null, error: 'file is 2049 bytes, above the limit of 2048' });
    expect(out).toEqual([{ stream: 'stderr', data: 'file is 2049 bytes, above the limit of 2048\n' }]);
  });

  it('refuses directories, devices, pipes, missing and relative paths', async () => {
    const d = dir();
    mkdirSync(join(d, 'sub'));
    execFileSync('mkfifo', [join(d, 'pipe')]);
    const error = async (path: string) => (await fetch(path)).r.error;
    expect(await error(join(d, 'sub'))).toBe(`${join(d, 'sub')} is a directory, not a regular file`);
    expect(await error('/dev/null')).toBe('/dev/null is a character device, not a regular file');
    // Opening a pipe with no writer would block forever without O_NONBLOCK.
    expect(await error(join(d, 'pipe'))).toBe(`${join(d, 'pipe')} is a named pipe, not a regular file`);
    expect(await error(join(d, 'missing'))).toBe(`no such file: ${join(d, 'missing')}`);
    expect(await error('C:\\Windows\\win.ini')).toBe('C:\\Windows\\win.ini is not an absolute path on this system');
  });
});
