import * as v from 'valibot';
import { SignedCommand, FINAL_STATUSES, type CommandStatus } from '../../protocol/command';
import { MAX_OUTPUT_BYTES, TRUNCATION_MARKER } from '../../protocol/limits';
import type { DoneFrame, OutputFrame } from '../../protocol/agent-frames';
import type { CommandState, QueuedCommand } from '../contracts';

const encoder = new TextEncoder();
const byteLength = (s: string) => encoder.encode(s).length;
const MARKER_BYTES = byteLength(TRUNCATION_MARKER);
/* Room kept for the marker, so stored output plus marker never exceeds MAX_OUTPUT_BYTES. */
const CONTENT_BUDGET = MAX_OUTPUT_BYTES - MARKER_BYTES;

/** Statuses after which the agent may still report; everything else is settled. */
const OPEN_STATUSES: readonly CommandStatus[] = ['queued', 'delivered', 'running'];
export const isFinal = (s: string) => (FINAL_STATUSES as readonly string[]).includes(s);

type Row = {
  id: string; type: string; signed: string; status: CommandStatus; created_at: number; expires_at: number;
  delivered_at: number | null; finished_at: number | null; exit_code: number | null; duration_ms: number | null;
  truncated: number; cut: number; error: string | null; output_bytes: number;
};

/** Longest prefix of `s` whose UTF-8 encoding fits in `budget` bytes (never splits a character). */
function utf8Prefix(s: string, budget: number): string {
  if (budget <= 0) return '';
  const bytes = encoder.encode(s);
  if (bytes.length <= budget) return s;
  let end = budget;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}

/*
 * A settled command's signed payload is replaced by '{}': it is never sent again, and it may
 * hold secret script parameters that must not outlive the run.
 */
export class CommandStore {
  constructor(private readonly sql: SqlStorage) {}

  /** Returns false when a command with that id is already known (enqueue is idempotent). */
  insert(cmd: QueuedCommand): boolean {
    const cursor = this.sql.exec(
      `INSERT OR IGNORE INTO commands (id, type, signed, status, created_at, expires_at) VALUES (?, ?, ?, 'queued', ?, ?)`,
      cmd.id,
      cmd.type,
      JSON.stringify(cmd.signed),
      cmd.createdAt,
      cmd.expiresAt,
    );
    return cursor.rowsWritten > 0;
  }

  status(id: string): CommandStatus | null {
    return this.sql.exec<{ status: CommandStatus }>('SELECT status FROM commands WHERE id = ?', id).toArray()[0]?.status ?? null;
  }

  /** Unfinished, unexpired commands to (re)send to a freshly connected agent, oldest first. */
  deliverable(now: number): { id: string; signed: SignedCommand }[] {
    return this.sql
      .exec<{ id: string; signed: string }>(
        `SELECT id, signed FROM commands WHERE status IN ('queued', 'delivered', 'running') AND expires_at > ? ORDER BY created_at, id`,
        now,
      )
      .toArray()
      .flatMap((r) => {
        const parsed = v.safeParse(SignedCommand, JSON.parse(r.signed));
        return parsed.success ? [{ id: r.id, signed: parsed.output }] : [];
      });
  }

  /**
   * Commands never received by the agent whose expiry has passed become 'expired'.
   * Delivered ones are left alone: the agent checks expiry itself and reports the outcome.
   */
  expire(now: number): string[] {
    return this.sql
      .exec<{ id: string }>(
        `UPDATE commands SET status = 'expired', finished_at = ?, signed = '{}' WHERE status = 'queued' AND expires_at <= ? RETURNING id`,
        now,
        now,
      )
      .toArray()
      .map((r) => r.id);
  }

  nextExpiry(): number | null {
    return this.sql.exec<{ at: number | null }>(`SELECT min(expires_at) AS at FROM commands WHERE status = 'queued'`).one().at;
  }

  /** The signed command went out on a socket (the agent may have it from now on). */
  markSent(ids: string[], now: number): void {
    for (const id of ids) this.sql.exec('UPDATE commands SET sent_at = coalesce(sent_at, ?) WHERE id = ?', now, id);
  }

  /**
   * Cancels a command that never left the hub. One that was sent may already be running on the
   * device (its acknowledgement can be in flight), so it is not cancelled here: the agent reports it.
   */
  cancelUnsent(id: string, now: number): 'cancelled' | 'sent' | 'finished' | 'unknown' {
    const row = this.sql.exec<{ status: CommandStatus; sent_at: number | null }>('SELECT status, sent_at FROM commands WHERE id = ?', id).toArray()[0];
    if (!row) return 'unknown';
    if (!OPEN_STATUSES.includes(row.status)) return 'finished';
    if (row.status !== 'queued' || row.sent_at !== null) return 'sent';
    this.sql.exec(`UPDATE commands SET status = 'cancelled', finished_at = ?, signed = '{}' WHERE id = ?`, now, id);
    return 'cancelled';
  }

  /** Returns true if this moved the command forward (a second ack changes nothing). */
  markDelivered(id: string, now: number): boolean {
    return (
      this.sql.exec(`UPDATE commands SET status = 'delivered', delivered_at = ? WHERE id = ? AND status = 'queued'`, now, id)
        .rowsWritten > 0
    );
  }

  /**
   * Stores one chunk within the per-command cap. Returns the text actually stored (plus the
   * marker, the one time the cap is hit), or null when nothing was stored.
   */
  appendOutput(frame: OutputFrame): string | null {
    const row = this.sql.exec<{ status: CommandStatus; output_bytes: number; cut: number }>(
      'SELECT status, output_bytes, cut FROM commands WHERE id = ?',
      frame.id,
    ).toArray()[0];
    if (!row || !OPEN_STATUSES.includes(row.status) || row.cut) return null;
    const exists = this.sql.exec('SELECT 1 FROM output WHERE command_id = ? AND seq = ?', frame.id, frame.seq).toArray().length > 0;
    if (exists) return null;
    const size = byteLength(frame.data);
    const fits = row.output_bytes + size <= CONTENT_BUDGET;
    const data = fits ? frame.data : utf8Prefix(frame.data, CONTENT_BUDGET - row.output_bytes);
    this.sql.exec('INSERT INTO output (command_id, seq, stream, data) VALUES (?, ?, ?, ?)', frame.id, frame.seq, frame.stream, data);
    this.sql.exec(
      'UPDATE commands SET output_bytes = output_bytes + ?, cut = ?, truncated = max(truncated, ?) WHERE id = ?',
      fits ? size : byteLength(data),
      fits ? 0 : 1,
      fits ? 0 : 1,
      frame.id,
    );
    return fits ? data : data + TRUNCATION_MARKER;
  }

  /** Records the outcome once. Returns false for an unknown or already settled command. */
  finish(frame: DoneFrame, now: number): boolean {
    const final = isFinal(frame.status);
    return (
      this.sql.exec(
        `UPDATE commands SET status = ?, exit_code = ?, duration_ms = ?, error = ?, finished_at = ?,
           truncated = max(truncated, ?), signed = CASE WHEN ? THEN '{}' ELSE signed END
         WHERE id = ? AND status IN ('queued', 'delivered', 'running')`,
        frame.status,
        frame.exitCode,
        frame.durationMs,
        frame.error ?? null,
        final ? now : null,
        frame.truncated ? 1 : 0,
        final ? 1 : 0,
        frame.id,
      ).rowsWritten > 0
    );
  }

  /** Commands still waiting for the agent are dropped from the queue (device revoked). */
  cancelOpen(now: number): string[] {
    return this.sql
      .exec<{ id: string }>(
        `UPDATE commands SET status = 'cancelled', finished_at = ?, signed = '{}' WHERE status IN ('queued', 'delivered', 'running') RETURNING id`,
        now,
      )
      .toArray()
      .map((r) => r.id);
  }

  get(id: string): CommandState | null {
    const row = this.sql.exec<Row>('SELECT * FROM commands WHERE id = ?', id).toArray()[0];
    if (!row) return null;
    const chunks = this.sql
      .exec<{ data: string }>('SELECT data FROM output WHERE command_id = ? ORDER BY seq', id)
      .toArray()
      .map((c) => c.data);
    const output = chunks.join('') + (row.cut ? TRUNCATION_MARKER : '');
    return {
      id: row.id,
      type: row.type,
      status: row.status,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      deliveredAt: row.delivered_at,
      finishedAt: row.finished_at,
      exitCode: row.exit_code,
      durationMs: row.duration_ms,
      truncated: row.truncated === 1,
      error: row.error,
      output,
    };
  }
}
