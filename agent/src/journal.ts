import * as v from 'valibot';
import { closeSync, existsSync, fdatasyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { writeFileAtomic } from './fs-atomic';

/** Entries outlive their command's expiry by this much, so a clock step back cannot revive one. */
const KEEP_AFTER_EXPIRY_MS = 60 * 60 * 1000;

const EntryRecord = v.object({
  id: v.string(),
  nonce: v.string(),
  exp: v.number(),
  s: v.picklist(['started', 'finished']),
});
export type JournalEntry = v.InferOutput<typeof EntryRecord>;

/**
 * Which commands this agent has received, so a redelivered id never runs twice and a nonce
 * is never accepted twice. Append-only JSON lines, flushed before the command runs; the
 * last record for an id wins. Entries are dropped once their command could no longer be
 * accepted anyway (past its signed expiry).
 */
export class Journal {
  private readonly byId = new Map<string, JournalEntry>();
  private readonly nonces = new Set<string>();
  private fd: number;
  private lines = 0;

  private constructor(
    private readonly path: string,
    now: number,
  ) {
    this.load();
    this.fd = this.rewrite(now);
  }

  static open(path: string, now = Date.now()): Journal {
    return new Journal(path, now);
  }

  get(id: string): JournalEntry | undefined {
    return this.byId.get(id);
  }

  nonceSeen(nonce: string): boolean {
    return this.nonces.has(nonce);
  }

  /** Commands that were started but never recorded as finished (the agent died). */
  unfinished(): JournalEntry[] {
    return [...this.byId.values()].filter((e) => e.s === 'started');
  }

  record(entry: JournalEntry): void {
    writeSync(this.fd, JSON.stringify(entry) + '\n');
    fdatasyncSync(this.fd);
    this.lines++;
    this.byId.set(entry.id, entry);
    this.nonces.add(entry.nonce);
  }

  /** Forgets expired entries; rewrites the file when it has grown well past what is live. */
  prune(now = Date.now()): void {
    const expired = [...this.byId.values()].some((e) => e.s === 'finished' && e.exp + KEEP_AFTER_EXPIRY_MS < now);
    if (!expired && this.lines < 2 * this.byId.size + 256) return;
    closeSync(this.fd);
    this.fd = this.rewrite(now);
  }

  close(): void {
    closeSync(this.fd);
  }

  private load(): void {
    if (!existsSync(this.path)) return;
    for (const text of readFileSync(this.path, 'utf8').split('\n')) {
      if (!text) continue;
      try {
        const parsed = v.safeParse(EntryRecord, JSON.parse(text));
        if (parsed.success) this.byId.set(parsed.output.id, parsed.output);
      } catch {
        // a line torn by a power cut
      }
    }
  }

  private rewrite(now: number): number {
    this.nonces.clear();
    for (const [id, e] of this.byId) {
      if (e.exp + KEEP_AFTER_EXPIRY_MS < now && e.s === 'finished') this.byId.delete(id);
      else this.nonces.add(e.nonce);
    }
    const text = [...this.byId.values()].map((e) => JSON.stringify(e) + '\n').join('');
    writeFileAtomic(this.path, text, 0o600);
    this.lines = this.byId.size;
    return openSync(this.path, 'a', 0o600);
  }
}
