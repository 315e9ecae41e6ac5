import * as v from 'valibot';
import type { EventEntry, StateSection, StateData } from '../../protocol/device-state';
import { StateSections } from '../../protocol/device-state';

const MAX_EVENTS = 1000;

export interface StoredEvent extends EventEntry {
  id: number;
  receivedAt: number;
}

/** What the slow collectors last reported, and the recent event-log entries. */
export class DeviceRecords {
  constructor(private readonly sql: SqlStorage) {}

  putSection(section: StateSection, at: number, data: unknown): void {
    this.sql.exec(
      'INSERT INTO state_sections (section, at, data) VALUES (?, ?, ?) ON CONFLICT(section) DO UPDATE SET at = excluded.at, data = excluded.data',
      section,
      at,
      JSON.stringify(data),
    );
  }

  section<S extends StateSection>(section: S): { at: number; data: StateData<S> } | null {
    const row = this.sql.exec<{ at: number; data: string }>('SELECT at, data FROM state_sections WHERE section = ?', section).toArray()[0];
    if (!row) return null;
    const parsed = v.safeParse(StateSections[section], JSON.parse(row.data));
    return parsed.success ? { at: row.at, data: parsed.output as StateData<S> } : null;
  }

  addEvents(entries: EventEntry[], receivedAt: number): void {
    for (const e of entries) {
      this.sql.exec(
        'INSERT INTO device_events (ts, received_at, level, source, event_id, message) VALUES (?, ?, ?, ?, ?, ?)',
        e.ts,
        receivedAt,
        e.level,
        e.source,
        e.eventId ?? null,
        e.message,
      );
    }
    this.sql.exec('DELETE FROM device_events WHERE id <= (SELECT max(id) FROM device_events) - ?', MAX_EVENTS);
  }

  /** Newest first; `before` pages back by id. */
  events(limit: number, before?: number): StoredEvent[] {
    return this.sql
      .exec<{ id: number; ts: number; received_at: number; level: 'critical' | 'error'; source: string; event_id: number | null; message: string }>(
        'SELECT id, ts, received_at, level, source, event_id, message FROM device_events WHERE id < ? ORDER BY id DESC LIMIT ?',
        before ?? Number.MAX_SAFE_INTEGER,
        limit,
      )
      .toArray()
      .map((r) => ({ id: r.id, ts: r.ts, receivedAt: r.received_at, level: r.level, source: r.source, eventId: r.event_id, message: r.message }));
  }
}
