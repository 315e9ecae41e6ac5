import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, localToInstant, type BusinessCalendarHours } from '../../../protocol/business-hours';

/* SLA clock arithmetic: pure functions, checked against instants worked out by hand. */

const at = (iso: string) => Date.parse(iso);
const weekdays = (spans: [number, number][]): [number, number][][] => [[], spans, spans, spans, spans, spans, []];
const nineToFive = weekdays([[540, 1020]]);
const cal = (timezone: string, hours: [number, number][][], holidays: string[] = []): BusinessCalendarHours => ({ timezone, hours, holidays });
const allDay: [number, number][][] = Array.from({ length: 7 }, () => [[0, 1440]]);

describe('addBusinessMinutes', () => {
  it('skips the weekend: Friday 16:00 plus two hours is Monday 10:00', () => {
    expect(addBusinessMinutes(cal('UTC', nineToFive), at('2026-01-02T16:00:00Z'), 120)).toBe(at('2026-01-05T10:00:00Z'));
  });

  it('ends exactly at the close of a span rather than at the next opening', () => {
    expect(addBusinessMinutes(cal('UTC', nineToFive), at('2026-01-05T16:00:00Z'), 60)).toBe(at('2026-01-05T17:00:00Z'));
  });

  it('waits for opening when started before hours, and for the next day when started after', () => {
    expect(addBusinessMinutes(cal('UTC', nineToFive), at('2026-01-05T07:00:00Z'), 30)).toBe(at('2026-01-05T09:30:00Z'));
    expect(addBusinessMinutes(cal('UTC', nineToFive), at('2026-01-05T18:00:00Z'), 60)).toBe(at('2026-01-06T10:00:00Z'));
  });

  it('skips holidays, also across a year end', () => {
    expect(addBusinessMinutes(cal('UTC', nineToFive, ['2026-01-05']), at('2026-01-02T16:00:00Z'), 120)).toBe(at('2026-01-06T10:00:00Z'));
    // Thursday 31 December 16:00, New Year's Day off, then the weekend: Monday 4 January 10:00.
    expect(addBusinessMinutes(cal('UTC', nineToFive, ['2027-01-01']), at('2026-12-31T16:00:00Z'), 120)).toBe(at('2027-01-04T10:00:00Z'));
  });

  it('counts several spans a day (a lunch break does not count)', () => {
    const split = cal('UTC', weekdays([[540, 720], [780, 1020]]));
    expect(addBusinessMinutes(split, at('2026-01-05T11:30:00Z'), 60)).toBe(at('2026-01-05T13:30:00Z'));
    // 7 working hours a day: 14 hours from Monday 09:00 ends Tuesday at closing.
    expect(addBusinessMinutes(split, at('2026-01-05T09:00:00Z'), 14 * 60)).toBe(at('2026-01-06T17:00:00Z'));
  });

  it('reads hours in the calendar time zone', () => {
    // Berlin is UTC+1 in January: 09:00 local is 08:00Z.
    expect(addBusinessMinutes(cal('Europe/Berlin', nineToFive), at('2026-01-05T07:00:00Z'), 60)).toBe(at('2026-01-05T09:00:00Z'));
    // Friday 16:00 in New York (21:00Z) plus two hours: Monday 10:00 EST.
    expect(addBusinessMinutes(cal('America/New_York', nineToFive), at('2026-01-02T21:00:00Z'), 120)).toBe(at('2026-01-05T15:00:00Z'));
  });

  it('follows the clock change over a DST weekend', () => {
    // Friday 6 March 16:00 EST (21:00Z); clocks go forward on Sunday 8 March; Monday 10:00 is EDT (14:00Z).
    expect(addBusinessMinutes(cal('America/New_York', nineToFive), at('2026-03-06T21:00:00Z'), 120)).toBe(at('2026-03-09T14:00:00Z'));
  });

  it('counts real time on the short and the long day of a round-the-clock calendar', () => {
    const spring = at('2026-03-08T05:00:00Z'); // midnight in New York on the 23-hour day
    expect(addBusinessMinutes(cal('America/New_York', allDay), spring, 1440)).toBe(spring + 24 * 3_600_000);
    const autumn = at('2026-10-24T22:00:00Z'); // midnight in Berlin on the 25-hour day
    expect(addBusinessMinutes(cal('Europe/Berlin', allDay), autumn, 1440)).toBe(autumn + 24 * 3_600_000);
    expect(addBusinessMinutes(cal('Europe/Berlin', allDay), autumn, 3000)).toBe(autumn + 3000 * 60_000);
  });

  it('answers the start for zero minutes and null for a calendar with no hours', () => {
    expect(addBusinessMinutes(cal('UTC', nineToFive), at('2026-01-03T12:00:00Z'), 0)).toBe(at('2026-01-03T12:00:00Z'));
    expect(addBusinessMinutes(cal('UTC', Array.from({ length: 7 }, () => [])), at('2026-01-03T12:00:00Z'), 60)).toBeNull();
    // Hours only on days that are all holidays: never.
    const onlyMonday = cal('UTC', [[], [[540, 600]], [], [], [], [], []], ['2026-01-05']);
    expect(addBusinessMinutes(onlyMonday, at('2026-01-04T00:00:00Z'), 60)).toBe(at('2026-01-12T10:00:00Z'));
  });
});

describe('localToInstant', () => {
  it('maps ordinary, skipped and repeated wall times', () => {
    expect(localToInstant('Europe/Berlin', 2026, 7, 1, 9 * 60)).toBe(at('2026-07-01T07:00:00Z'));
    // 02:30 does not exist in New York on 8 March 2026: read with the offset before the jump.
    expect(localToInstant('America/New_York', 2026, 3, 8, 150)).toBe(at('2026-03-08T07:30:00Z'));
    // 01:30 happens twice on 1 November 2026: the first (EDT) occurrence.
    expect(localToInstant('America/New_York', 2026, 11, 1, 90)).toBe(at('2026-11-01T05:30:00Z'));
    // The end of a day is the next midnight.
    expect(localToInstant('UTC', 2026, 1, 5, 1440)).toBe(at('2026-01-06T00:00:00Z'));
  });
});
