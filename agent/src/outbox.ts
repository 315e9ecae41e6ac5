import * as v from 'valibot';
import { closeSync, existsSync, fdatasyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { CheckResultsFrame, CommandAckFrame, DoneFrame, EventsFrame, InventoryFrame, OutputFrame, PatchesFrame, type DurableAgentFrame } from '../../protocol/agent-frames';
import { writeFileAtomic } from './fs-atomic';
import { log } from './log';

export const OUTBOX_MAX_BYTES = 64 * 1024 * 1024;

type Unnumbered<F> = F extends unknown ? Omit<F, 'fid'> : never;
export type NewDurableFrame = Unnumbered<DurableAgentFrame>;

// One JSON record per line: a frame, the fids the server acknowledged, or (first line after
// a compaction) the highest fid ever assigned, so fids keep increasing across restarts.
const Record = v.union([
  v.object({ f: v.variant('t', [CommandAckFrame, OutputFrame, DoneFrame, EventsFrame, CheckResultsFrame, InventoryFrame, PatchesFrame]) }),
  v.object({ a: v.array(v.number()) }),
  v.object({ hi: v.number() }),
]);

interface Entry {
  frame: DurableAgentFrame;
  line: string;
}

/**
 * Results the server has not acknowledged yet, kept on disk: a frame is appended (and
 * flushed) before it is sent, and forgotten only when the server's `ack` names its fid.
 */
export class Outbox {
  private readonly entries = new Map<number, Entry>();
  private fd: number;
  private hi = 0;
  private liveBytes = 0;
  private fileBytes = 0;

  private constructor(
    private readonly path: string,
    private readonly maxBytes: number,
  ) {
    this.load();
    this.fd = this.compact();
  }

  static open(path: string, maxBytes = OUTBOX_MAX_BYTES): Outbox {
    return new Outbox(path, maxBytes);
  }

  /** The highest fid ever assigned (reported in `hello`). */
  get lastFid(): number {
    return this.hi;
  }

  /** Unacknowledged frames, oldest first: what a new connection resends. */
  pending(): DurableAgentFrame[] {
    return [...this.entries.values()].map((e) => e.frame);
  }

  /** Whether this fid is still waiting for the server's ack. */
  has(fid: number): boolean {
    return this.entries.has(fid);
  }

  hasDoneFor(commandId: string): boolean {
    for (const { frame } of this.entries.values()) if (frame.t === 'done' && frame.id === commandId) return true;
    return false;
  }

  /** Numbers the frame and makes it durable; the caller sends it afterwards. */
  add(frame: NewDurableFrame): DurableAgentFrame {
    const numbered = { ...frame, fid: ++this.hi } as DurableAgentFrame;
    const line = JSON.stringify({ f: numbered }) + '\n';
    this.makeRoom(Buffer.byteLength(line));
    this.append(line);
    this.entries.set(numbered.fid, { frame: numbered, line });
    this.liveBytes += Buffer.byteLength(line);
    return numbered;
  }

  ack(fids: readonly number[]): void {
    const known = fids.filter((fid) => this.entries.has(fid));
    if (known.length === 0) return;
    for (const fid of known) {
      this.liveBytes -= Buffer.byteLength(this.entries.get(fid)!.line);
      this.entries.delete(fid);
    }
    this.append(JSON.stringify({ a: known }) + '\n');
    const wasted = this.fileBytes - this.liveBytes;
    if (wasted > 1024 * 1024 || (this.entries.size === 0 && this.fileBytes > 64 * 1024)) {
      closeSync(this.fd);
      this.fd = this.compact();
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  private append(line: string): void {
    writeSync(this.fd, line);
    fdatasyncSync(this.fd);
    this.fileBytes += Buffer.byteLength(line);
  }

  /** Over the bound, the oldest output chunks go first: results and receipts are tiny. */
  private makeRoom(incoming: number): void {
    if (this.liveBytes + incoming <= this.maxBytes) return;
    const order = [...this.entries.values()];
    const victims = [...order.filter((e) => e.frame.t === 'out'), ...order.filter((e) => e.frame.t !== 'out')];
    let dropped = 0;
    for (const e of victims) {
      if (this.liveBytes + incoming <= this.maxBytes) break;
      this.entries.delete(e.frame.fid);
      this.liveBytes -= Buffer.byteLength(e.line);
      dropped++;
    }
    log.warn(`outbox over ${this.maxBytes} bytes: dropped ${dropped} unacknowledged frame(s)`);
  }

  private load(): void {
    if (!existsSync(this.path)) return;
    for (const text of readFileSync(this.path, 'utf8').split('\n')) {
      if (!text) continue;
      let parsed;
      try {
        parsed = v.safeParse(Record, JSON.parse(text));
      } catch {
        continue; // a line torn by a power cut: everything before it is intact
      }
      if (!parsed.success) continue;
      const rec = parsed.output;
      if ('f' in rec) {
        const line = JSON.stringify({ f: rec.f }) + '\n';
        this.entries.set(rec.f.fid, { frame: rec.f, line });
        this.hi = Math.max(this.hi, rec.f.fid);
      } else if ('a' in rec) {
        for (const fid of rec.a) this.entries.delete(fid);
      } else {
        this.hi = Math.max(this.hi, rec.hi);
      }
    }
    const sorted = [...this.entries.entries()].sort((a, b) => a[0] - b[0]);
    this.entries.clear();
    for (const [fid, e] of sorted) this.entries.set(fid, e);
  }

  /** Rewrites the log to just what is live, then reopens it for appending. */
  private compact(): number {
    const lines = [JSON.stringify({ hi: this.hi }) + '\n', ...[...this.entries.values()].map((e) => e.line)];
    const text = lines.join('');
    writeFileAtomic(this.path, text, 0o600);
    this.liveBytes = Buffer.byteLength(text) - Buffer.byteLength(lines[0]);
    this.fileBytes = Buffer.byteLength(text);
    return openSync(this.path, 'a', 0o600);
  }
}
