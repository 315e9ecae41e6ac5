import { describe, expect, it } from 'vitest';
import { OutputCapture, utf8Prefix, type StreamName } from '../src/output-capture';
import { TRUNCATION_MARKER } from '../../protocol/limits';

function collector() {
  const chunks: { stream: StreamName; data: string }[] = [];
  return { chunks, emit: (stream: StreamName, data: string) => chunks.push({ stream, data }) };
}

describe('output capture', () => {
  it('keeps arrival order across stdout and stderr and batches small writes', async () => {
    const c = collector();
    const cap = new OutputCapture(c.emit, { flushMs: 20 });
    cap.write('stdout', Buffer.from('a'));
    cap.write('stdout', Buffer.from('b'));
    cap.write('stderr', Buffer.from('E'));
    cap.write('stdout', Buffer.from('c'));
    expect(c.chunks).toEqual([]);
    await new Promise((r) => setTimeout(r, 60));
    expect(c.chunks).toEqual([
      { stream: 'stdout', data: 'ab' },
      { stream: 'stderr', data: 'E' },
      { stream: 'stdout', data: 'c' },
    ]);
    cap.end();
  });

  it('never splits a multi-byte character, across writes or across chunks', () => {
    const c = collector();
    const cap = new OutputCapture(c.emit, { chunkBytes: 7, flushMs: 1000 });
    const text = 'héllo wörld — ✓ ok';
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += 3) cap.write('stdout', bytes.subarray(i, i + 3));
    cap.end();
    expect(c.chunks.map((x) => x.data).join('')).toBe(text);
    for (const { data } of c.chunks) expect(Buffer.byteLength(data)).toBeLessThanOrEqual(7);
    expect(utf8Prefix('✓✓', 4)).toBe('✓');
  });

  it('stops at the cap, appends the marker once and drops the rest', () => {
    const c = collector();
    const cap = new OutputCapture(c.emit, { chunkBytes: 64, maxBytes: 100, flushMs: 1000 });
    cap.write('stdout', Buffer.from('x'.repeat(90)));
    cap.write('stderr', Buffer.from('y'.repeat(30)));
    cap.write('stdout', Buffer.from('z'.repeat(500)));
    cap.end();
    const all = c.chunks.map((x) => x.data).join('');
    expect(all).toBe('x'.repeat(90) + 'y'.repeat(10) + TRUNCATION_MARKER);
    expect(cap.truncated).toBe(true);
  });
});
