import { MAX_OUTPUT_CHUNK_BYTES } from '../../../protocol/limits';
import { describeError } from '../log';
import { utf8Prefix, type StreamName } from '../output-capture';
import type { RunningScript, ScriptResult } from '../script-runner';

/** What a data command found: one JSON document for stdout, or why there is none. */
export type DataOutcome =
  | { ok: true; json: unknown }
  | { ok: false; error: string; exitCode?: number | null; /** The tool's own complaint, sent as stderr. */ stderr?: string };

/** `text` as out chunks of at most `chunkBytes` of UTF-8 each. */
export function writeChunked(out: (stream: StreamName, data: string) => void, stream: StreamName, text: string, chunkBytes = MAX_OUTPUT_CHUNK_BYTES): void {
  let rest = text;
  while (rest.length > 0) {
    const piece = utf8Prefix(rest, chunkBytes);
    out(stream, piece);
    rest = rest.slice(piece.length);
  }
}

/**
 * Commands whose result is data (process list, a file, registry values, a scheduled reboot):
 * stdout is exactly one JSON document, so the server can parse it; a failure says why on
 * stderr and in the done frame. They take seconds at most: there is nothing to interrupt.
 */
export function dataCommand(work: () => Promise<DataOutcome>, out: (stream: StreamName, data: string) => void): RunningScript {
  const started = Date.now();
  const result = work()
    .catch((err): DataOutcome => ({ ok: false, error: describeError(err) }))
    .then((o): ScriptResult => {
      const durationMs = Date.now() - started;
      if (o.ok) {
        writeChunked(out, 'stdout', JSON.stringify(o.json));
        return { status: 'succeeded', exitCode: 0, durationMs, truncated: false };
      }
      writeChunked(out, 'stderr', o.stderr?.trim() ? `${o.stderr.trimEnd()}\n` : `${o.error}\n`);
      return { status: 'failed', exitCode: o.exitCode ?? null, durationMs, truncated: false, error: o.error };
    });
  return { result, interrupt() {} };
}
