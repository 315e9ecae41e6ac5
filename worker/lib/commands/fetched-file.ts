import * as v from 'valibot';
import { FetchFileResult } from '../../../protocol/command';
import { notFound } from '../errors';
import { digestHex, sanitizeFilename } from '../tickets/files';

function decodeBase64(data: string): Uint8Array<ArrayBuffer> | null {
  try {
    return Uint8Array.from(atob(data), (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

/**
 * The bytes a succeeded fetch_file command brought back. Its output is one FetchFileResult
 * document; one that does not parse, was truncated, or whose bytes do not match the size and
 * digest the agent reported is no file at all (404), never a corrupt download.
 */
export async function fetchedFile(cmd: { type: string; status: string; output?: string; truncated: boolean }): Promise<{ name: string; bytes: Uint8Array<ArrayBuffer> }> {
  if (cmd.type !== 'fetch_file' || cmd.status !== 'succeeded' || cmd.truncated || !cmd.output) throw notFound('file');
  let parsed: unknown;
  try {
    parsed = JSON.parse(cmd.output);
  } catch {
    throw notFound('file');
  }
  const result = v.safeParse(FetchFileResult, parsed);
  if (!result.success) throw notFound('file');
  const bytes = decodeBase64(result.output.data);
  if (!bytes || bytes.length !== result.output.size) throw notFound('file');
  if ((await digestHex(bytes.buffer)) !== result.output.sha256) throw notFound('file');
  return { name: sanitizeFilename(result.output.path), bytes };
}
