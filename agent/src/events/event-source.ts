import type * as v from 'valibot';
import type { EventEntry } from '../../../protocol/device-state';

/** An entry and the cursor that resumes reading just after it. */
export interface EventItem<C> {
  entry: EventEntry;
  cursor: C;
}

/**
 * One OS event log read incrementally. Cursors are plain JSON, saved by the agent only after
 * the hub acknowledged the entries before them.
 */
export interface EventSource<C> {
  readonly name: string;
  /** Validates a cursor read back from disk. */
  readonly cursorSchema: v.GenericSchema<unknown, C>;
  /** A cursor meaning "from now on": the first run does not replay the whole log. Null when unavailable. */
  start(nowMs: number): Promise<C | null>;
  /**
   * Up to `max` entries after `cursor`, oldest first. Null when the log cannot be read now;
   * `reset` when the cursor is no longer valid (the log was rotated or cleared past it).
   */
  read(cursor: C, max: number): Promise<EventItem<C>[] | null | { reset: C }>;
}
