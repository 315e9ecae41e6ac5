import type { IntegrationEvent, TimeOfDay } from '../../../protocol/api/integrations';

/*
 * Which integrations an event goes to: the union of the integrations of every enabled
 * notification policy it matches. Pure, so the hub and tests share it.
 */

export interface RoutingPolicy {
  enabled: boolean;
  events: string[];
  severities: string[];
  clientIds: string[] | null;
  timeOfDay: TimeOfDay | null;
  integrationIds: string[];
}

const DAY = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 } as Record<string, number>;
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Weekday (0 = Sunday) and minute of the day at `at` in `timezone`. */
export function localTime(at: number, timezone: string): { day: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '0';
  return { day: DAY[get('weekday')] ?? 0, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

/** A period that ends at or before its start runs past midnight into the next day. */
export function inTimeOfDay(t: TimeOfDay, at: number): boolean {
  const { day, minute } = localTime(at, t.timezone);
  const start = minutes(t.start);
  const end = minutes(t.end);
  if (start < end) return t.days.includes(day) && minute >= start && minute < end;
  return (t.days.includes(day) && minute >= start) || (t.days.includes((day + 6) % 7) && minute < end);
}

export function policyMatches(p: RoutingPolicy, e: IntegrationEvent): boolean {
  if (!p.enabled) return false;
  if (p.events.length > 0 && !p.events.includes(e.type)) return false;
  if (p.severities.length > 0 && e.severity !== undefined && !p.severities.includes(e.severity)) return false;
  if (p.clientIds !== null && (e.clientId === null || !p.clientIds.includes(e.clientId))) return false;
  if (p.timeOfDay !== null && !inTimeOfDay(p.timeOfDay, e.at)) return false;
  return true;
}

export function routeEvent(policies: RoutingPolicy[], e: IntegrationEvent): string[] {
  const ids = new Set<string>();
  for (const p of policies) if (policyMatches(p, e)) for (const id of p.integrationIds) ids.add(id);
  return [...ids];
}
