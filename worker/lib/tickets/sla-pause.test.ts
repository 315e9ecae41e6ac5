import { describe, expect, it } from 'vitest';
import type { BusinessCalendarHours } from '../../../protocol/business-hours';
import { businessMinutesBetween, pauseChange, shiftDue, type PauseState } from './sla-pause';

/* The SLA pause while a ticket is pending: business time counted by hand. */

const at = (iso: string) => Date.parse(iso);
const weekdays = (spans: [number, number][]): [number, number][][] => [[], spans, spans, spans, spans, spans, []];
const cal = (timezone: string, holidays: string[] = []): BusinessCalendarHours => ({ timezone, hours: weekdays([[540, 1020]]), holidays });
const state = (over: Partial<PauseState> = {}): PauseState => ({ status: 'open', slaPausedAt: null, resolutionDueAt: at('2026-01-05T12:00:00Z'), resolutionBreachedAt: null, ...over });

describe('businessMinutesBetween', () => {
  it('counts only working hours: a night and a weekend add nothing', () => {
    // Friday 16:00 → Monday 10:00: an hour on Friday, an hour on Monday.
    expect(businessMinutesBetween(cal('UTC'), at('2026-01-02T16:00:00Z'), at('2026-01-05T10:00:00Z'))).toBe(120);
    // Monday 18:00 → Tuesday 08:00: all night.
    expect(businessMinutesBetween(cal('UTC'), at('2026-01-05T18:00:00Z'), at('2026-01-06T08:00:00Z'))).toBe(0);
    // Inside one span.
    expect(businessMinutesBetween(cal('UTC'), at('2026-01-05T10:00:00Z'), at('2026-01-05T10:45:00Z'))).toBe(45);
  });

  it('skips holidays and counts in the calendar\'s zone', () => {
    expect(businessMinutesBetween(cal('UTC', ['2026-01-05']), at('2026-01-02T16:00:00Z'), at('2026-01-06T10:00:00Z'))).toBe(120);
    // 09:00–17:00 in New York is 14:00–22:00 UTC in winter.
    expect(businessMinutesBetween(cal('America/New_York'), at('2026-01-05T13:00:00Z'), at('2026-01-05T15:30:00Z'))).toBe(90);
  });

  it('is wall-clock time without a calendar, and nothing for an empty or backward span', () => {
    expect(businessMinutesBetween(null, at('2026-01-02T16:00:00Z'), at('2026-01-05T10:00:00Z'))).toBe(66 * 60);
    expect(businessMinutesBetween(cal('UTC'), at('2026-01-05T10:00:00Z'), at('2026-01-05T09:00:00Z'))).toBe(0);
  });
});

describe('pauseChange', () => {
  it('entering pending pauses; pausing again changes nothing', () => {
    const now = at('2026-01-02T16:00:00Z');
    expect(pauseChange(state(), 'pending', now, cal('UTC'))).toEqual({
      set: { slaPausedAt: now },
      pausedMinutes: 0,
      event: { kind: 'sla_paused', detail: { resolutionDueAt: at('2026-01-05T12:00:00Z') } },
    });
    expect(pauseChange(state({ status: 'pending', slaPausedAt: now }), 'pending', now + 1, cal('UTC'))).toBeNull();
    expect(pauseChange(state(), 'open', now, cal('UTC'))).toBeNull();
  });

  it('leaving pending moves the resolution due time later by the business time spent pending', () => {
    const paused = state({ status: 'pending', slaPausedAt: at('2026-01-02T16:00:00Z') });
    const change = pauseChange(paused, 'open', at('2026-01-05T10:00:00Z'), cal('UTC'));
    expect(change).toEqual({
      set: { slaPausedAt: null, resolutionDueAt: at('2026-01-05T14:00:00Z') },
      pausedMinutes: 120,
      event: {
        kind: 'sla_resumed',
        detail: { pausedMinutes: 120, pausedSince: at('2026-01-02T16:00:00Z'), resolutionDueAt: { from: at('2026-01-05T12:00:00Z'), to: at('2026-01-05T14:00:00Z') } },
      },
    });
    // Resolved straight from pending: the pause ends the same way.
    expect(pauseChange(paused, 'resolved', at('2026-01-05T10:00:00Z'), cal('UTC'))?.set.slaPausedAt).toBeNull();
  });

  it('a breached resolution stays where it was; a ticket without one just resumes', () => {
    const since = at('2026-01-05T09:00:00Z');
    const breached = pauseChange(state({ status: 'pending', slaPausedAt: since, resolutionBreachedAt: since }), 'open', at('2026-01-05T10:00:00Z'), cal('UTC'));
    expect(breached?.set).toEqual({ slaPausedAt: null });
    const none = pauseChange(state({ status: 'pending', slaPausedAt: since, resolutionDueAt: null }), 'open', at('2026-01-05T10:00:00Z'), cal('UTC'));
    expect(none).toMatchObject({ set: { slaPausedAt: null }, pausedMinutes: 60 });
  });
});

describe('shiftDue', () => {
  it('adds business minutes past the night, wall-clock minutes without a calendar', () => {
    expect(shiftDue(cal('UTC'), at('2026-01-05T16:30:00Z'), 60)).toBe(at('2026-01-06T09:30:00Z'));
    expect(shiftDue(null, at('2026-01-05T16:30:00Z'), 60)).toBe(at('2026-01-05T17:30:00Z'));
    expect(shiftDue(cal('UTC'), at('2026-01-05T16:30:00Z'), 0)).toBe(at('2026-01-05T16:30:00Z'));
  });
});
