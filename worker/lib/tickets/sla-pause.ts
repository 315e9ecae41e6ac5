import { addBusinessMinutes, addCalendarMinutes, localDate, localToInstant, type BusinessCalendarHours } from '../../../protocol/business-hours';
import type { TicketStatus } from '../../../protocol/api/tickets';

/*
 * A pending ticket waits on the customer, so its resolution clock stops. The pause starts
 * when the ticket enters `pending` and ends when it leaves it (for any status); the business
 * time in between, on the ticket's SLA calendar, moves the resolution due time later. The
 * first-response clock never stops: a first answer is owed whatever the ticket waits on.
 * Pure, so the API (status changes by hand) and the hub (changes made elsewhere) agree.
 */

const MINUTE = 60_000;
/** Bounds the walk over calendar days, as addBusinessMinutes does. */
const MAX_DAYS = 5 * 366;

const iso = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** Whole business minutes between two instants (wall-clock minutes without a calendar). */
export function businessMinutesBetween(calendar: BusinessCalendarHours | null, from: number, to: number): number {
  if (to <= from) return 0;
  if (!calendar) return Math.round((to - from) / MINUTE);
  const holidays = new Set(calendar.holidays);
  const start = localDate(calendar.timezone, from);
  let ms = 0;
  for (let i = 0; i < MAX_DAYS; i++) {
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day + i));
    const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    // A day that starts after `to` has nothing to count (a local day is at most 25 h long).
    if (localToInstant(calendar.timezone, y, m, d, 0) >= to) break;
    if (holidays.has(iso(y, m, d))) continue;
    for (const [s, e] of calendar.hours[date.getUTCDay()] ?? []) {
      const begin = Math.max(localToInstant(calendar.timezone, y, m, d, s), from);
      const end = Math.min(localToInstant(calendar.timezone, y, m, d, e), to);
      if (end > begin) ms += end - begin;
    }
  }
  return Math.round(ms / MINUTE);
}

/** `due` moved later by `minutes` of business time (the same due when it cannot move). */
export function shiftDue(calendar: BusinessCalendarHours | null, due: number, minutes: number): number {
  if (minutes <= 0) return due;
  if (!calendar) return addCalendarMinutes(due, minutes);
  return addBusinessMinutes(calendar, due, minutes) ?? due;
}

export interface PauseState {
  status: TicketStatus;
  slaPausedAt: number | null;
  resolutionDueAt: number | null;
  resolutionBreachedAt: number | null;
}

export interface PauseChange {
  set: { slaPausedAt: number | null; resolutionDueAt?: number | null };
  /** Business minutes the pause that just ended lasted (to add to the ticket's total). */
  pausedMinutes: number;
  event: { kind: 'sla_paused' | 'sla_resumed'; detail: Record<string, unknown> };
}

/**
 * What the ticket's status being `status` at `now` does to the pause, given how it stood
 * (`before.status` is the status the pause was judged by). Null: nothing changes.
 */
export function pauseChange(before: PauseState, status: TicketStatus, now: number, calendar: BusinessCalendarHours | null): PauseChange | null {
  if (status === 'pending') {
    if (before.slaPausedAt !== null) return null;
    return { set: { slaPausedAt: now }, pausedMinutes: 0, event: { kind: 'sla_paused', detail: { resolutionDueAt: before.resolutionDueAt } } };
  }
  if (before.slaPausedAt === null) return null;
  const minutes = businessMinutesBetween(calendar, before.slaPausedAt, now);
  // A clock already breached stays breached; its due time is history.
  const moves = before.resolutionDueAt !== null && before.resolutionBreachedAt === null;
  const due = moves ? shiftDue(calendar, before.resolutionDueAt!, minutes) : before.resolutionDueAt;
  return {
    set: { slaPausedAt: null, ...(moves ? { resolutionDueAt: due } : {}) },
    pausedMinutes: minutes,
    event: { kind: 'sla_resumed', detail: { pausedMinutes: minutes, pausedSince: before.slaPausedAt, resolutionDueAt: { from: before.resolutionDueAt, to: due } } },
  };
}
