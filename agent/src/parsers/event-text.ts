import type { EventEntry } from '../../../protocol/device-state';

export const MAX_EVENT_MESSAGE = 2048;
export const MAX_EVENT_SOURCE = 256;

/** Messages become one bounded line of text: control characters would only garble a table. */
export function eventMessage(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
    .trim()
    .slice(0, MAX_EVENT_MESSAGE);
}

export function eventEntry(e: { ts: number; level: EventEntry['level']; source: string; eventId?: number | null; message: string }): EventEntry {
  return {
    ts: e.ts,
    level: e.level,
    source: (e.source || 'unknown').slice(0, MAX_EVENT_SOURCE),
    ...(e.eventId !== undefined ? { eventId: e.eventId } : {}),
    message: eventMessage(e.message) || '(no message)',
  };
}
