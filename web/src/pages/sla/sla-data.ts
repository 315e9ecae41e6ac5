import { api, call, fetchAll } from '../../api/client';
import type { BusinessCalendar, SlaPolicy, SlaTargets, TicketPriority } from '../../../../protocol/api/tickets';

export type { BusinessCalendar, SlaPolicy, SlaTargets, TicketPriority };

export function loadCalendars(): Promise<BusinessCalendar[]> {
  return fetchAll((cursor) => call(api['business-calendars'].$get({ query: { limit: '1000', ...(cursor ? { cursor } : {}) } })));
}

export function loadSlaPolicies(): Promise<SlaPolicy[]> {
  return fetchAll((cursor) => call(api['sla-policies'].$get({ query: { limit: '1000', ...(cursor ? { cursor } : {}) } })));
}
