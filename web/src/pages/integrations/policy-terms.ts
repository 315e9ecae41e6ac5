import { INTEGRATION_EVENT_TYPES, type IntegrationEventType, type NotificationPolicy } from '../../../../protocol/api/integrations';
import type { Severity } from '../../../../protocol/checks';

/*
 * How a notification policy's lists read in the form and the table. The API keeps
 * severities as a list; people think of a minimum, so the form offers one.
 */

// "Send test message" goes straight to its integration and never through a policy.
export const POLICY_EVENTS: readonly IntegrationEventType[] = INTEGRATION_EVENT_TYPES.filter((e) => e !== 'test');

/** Lowest first: a minimum takes itself and everything after it. */
const ASCENDING: readonly Severity[] = ['info', 'warning', 'critical'];

export type MinSeverity = 'any' | 'warning' | 'critical';
export const MIN_SEVERITY_LABEL: Record<MinSeverity, string> = { any: 'Any (or none)', warning: 'Warning and above', critical: 'Critical only' };

export function severitiesFrom(min: MinSeverity): Severity[] {
  return min === 'any' ? [] : ASCENDING.slice(ASCENDING.indexOf(min));
}

/** The minimum a stored list means, or null when it is no minimum (e.g. info and critical only). */
export function minSeverityOf(list: readonly Severity[]): MinSeverity | null {
  if (list.length === 0 || list.length === ASCENDING.length) return 'any';
  for (const min of ['warning', 'critical'] as const) {
    const want = severitiesFrom(min);
    if (want.length === list.length && want.every((s) => list.includes(s))) return min;
  }
  return null;
}

export const WEEKDAYS = [
  { day: 1, label: 'Mon' },
  { day: 2, label: 'Tue' },
  { day: 3, label: 'Wed' },
  { day: 4, label: 'Thu' },
  { day: 5, label: 'Fri' },
  { day: 6, label: 'Sat' },
  { day: 0, label: 'Sun' },
] as const;

export function describeWhen(p: NotificationPolicy): string {
  const t = p.timeOfDay;
  if (!t) return 'always';
  const days = WEEKDAYS.filter((d) => t.days.includes(d.day)).map((d) => d.label);
  return `${days.length === 7 ? 'every day' : days.join(' ')} ${t.start}–${t.end} ${t.timezone}`;
}

export function describeEvents(p: NotificationPolicy): string {
  return p.events.length ? p.events.join(', ') : 'every event';
}

export function describeSeverity(p: NotificationPolicy): string {
  const min = minSeverityOf(p.severities);
  return min ? MIN_SEVERITY_LABEL[min] : p.severities.join(', ');
}
