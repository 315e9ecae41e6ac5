import { StringDecoder } from 'node:string_decoder';
import { MAX_OUTPUT_BYTES, MAX_OUTPUT_CHUNK_BYTES, TRUNCATION_MARKER } from '../../protocol/limits';
import { Redactor } from './redact';

export type StreamName = 'stdout' | 'stderr';

export interface CaptureOptions {
  chunkBytes?: number;
  maxBytes?: number;
  flushMs?: number;
  /** Values masked in the output before it is sent (a script's secret parameters). */
  secrets?: readonly string[];
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8 without splitting a character. */
export function utf8Prefix(text: string, maxBytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= maxBytes) return text;
  let end = maxBytes;
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

/**
 * Turns a process's stdout and stderr into `out` chunks in arrival order: at most one chunk
 * size each, batched for ~100 ms so a chatty script does not become thousands of frames,
 * and cut off at the output cap (the rest is still read, so the script never blocks on a
 * full pipe, but dropped).
 */
export class OutputCapture {
  private readonly chunkBytes: number;
  private readonly maxBytes: number;
  private readonly flushMs: number;
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private pending: { stream: StreamName; text: string }[] = [];
  private pendingBytes = 0;
  private accepted = 0;
  private timer: NodeJS.Timeout | null = null;
  private ended = false;
  private readonly redactor: Redactor;
  truncated = false;

  constructor(
    private readonly emit: (stream: StreamName, data: string) => void,
    opts: CaptureOptions = {},
  ) {
    this.chunkBytes = opts.chunkBytes ?? MAX_OUTPUT_CHUNK_BYTES;
    this.maxBytes = opts.maxBytes ?? MAX_OUTPUT_BYTES;
    this.flushMs = opts.flushMs ?? 100;
    this.redactor = new Redactor(opts.secrets ?? []);
  }

  write(stream: StreamName, data: Buffer): void {
    // Nothing may follow the result: a late write after end() is dropped.
    if (this.truncated || this.ended) return;
    const room = this.maxBytes - this.accepted;
    const take = data.length > room ? data.subarray(0, room) : data;
    this.accepted += take.length;
    this.queue(stream, this.redactor.write(stream, this.decoders[stream].write(take)));
    if (take.length < data.length) {
      this.truncated = true;
      this.queue(stream, this.redactor.write(stream, this.decoders[stream].end()));
      // What is held back may be the start of a secret whose end was cut off.
      this.redactor.drop(stream);
      this.queue(stream, TRUNCATION_MARKER);
    }
    if (this.pendingBytes >= this.chunkBytes) this.flush();
    else if (!this.timer && this.pending.length > 0) this.timer = setTimeout(() => this.flush(), this.flushMs);
  }

  /** Sends everything still buffered, including a trailing partial character. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.truncated) {
      for (const stream of ['stdout', 'stderr'] as const) {
        this.queue(stream, this.redactor.write(stream, this.decoders[stream].end()) + this.redactor.end(stream));
      }
    }
    this.flush();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const segments = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    for (const { stream, text } of segments) {
      let rest = text;
      while (rest.length > 0) {
        const piece = utf8Prefix(rest, this.chunkBytes);
        this.emit(stream, piece);
        rest = rest.slice(piece.length);
      }
    }
  }

  private queue(stream: StreamName, text: string): void {
    if (!text) return;
    const last = this.pending[this.pending.length - 1];
    if (last && last.stream === stream) last.text += text;
    else this.pending.push({ stream, text });
    this.pendingBytes += Buffer.byteLength(text);
  }
}
