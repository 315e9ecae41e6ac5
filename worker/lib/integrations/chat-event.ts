import type { Alert } from '../../../protocol/api/alerts';

/*
 * What a chat message is about, as the message builders (Slack, Teams) take it. Delivery code
 * and the inbound routes build these from D1 rows; the builders are pure functions of them.
 */

export type ChatAlert = Pick<Alert, 'id' | 'severity' | 'status' | 'checkName' | 'message' | 'hostname' | 'openedAt'>;

export interface ChatTicket {
  id: string;
  number: number;
  title: string;
  status: string;
  priority: string;
  clientName?: string | null;
  assigneeName?: string | null;
}

/** Which SLA target a ticket missed. */
export type SlaClock = 'first_response' | 'resolution';
export const CLOCK_WORD: Record<SlaClock, string> = { first_response: 'first response', resolution: 'resolution' };

/** The tier an alert.escalated event reached (tier 1-based; round 0 = first time, then repeats). */
export interface ChatEscalation {
  policy: string;
  tier: number;
  round: number;
  notified: { id: string; name: string | null }[];
}

export type ChatEvent =
  | { type: 'alert.opened' | 'alert.acknowledged' | 'alert.resolved'; alert: ChatAlert; /** Who acted, when someone did. */ actorName?: string | null }
  | { type: 'alert.escalated'; alert: ChatAlert; escalation: ChatEscalation; actorName?: undefined }
  | { type: 'ticket.created' | 'ticket.updated' | 'ticket.sla_breached'; ticket: ChatTicket; /** For a breach. */ clock?: SlaClock }
  | { type: 'test'; integrationName: string };

/** The alert event that describes an alert's current state (for updating a posted message). */
export function alertEvent(alert: ChatAlert, actorName?: string | null): ChatEvent {
  const type = alert.status === 'open' ? 'alert.opened' : alert.status === 'acknowledged' ? 'alert.acknowledged' : 'alert.resolved';
  return { type, alert, actorName };
}

/** "Escalated to tier 2 (Night on-call): 3 people paged", the headline of an alert.escalated message. */
export function escalationHeadline(e: ChatEscalation): string {
  const n = e.notified.length;
  const paged = n === 0 ? 'no one paged in Tether' : `${n} ${n === 1 ? 'person' : 'people'} paged`;
  return `Escalated to tier ${e.tier} (${e.policy})${e.round > 0 ? `, repeat ${e.round}` : ''}: ${paged}`;
}

export const alertUrl = (origin: string, alertId: string) => `${origin}/alerts/${encodeURIComponent(alertId)}`;
export const ticketUrl = (origin: string, ticketId: string) => `${origin}/tickets/${encodeURIComponent(ticketId)}`;

export const STATUS_WORD: Record<ChatAlert['status'], string> = { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved' };
export const SEVERITY_WORD: Record<ChatAlert['severity'], string> = { info: 'Info', warning: 'Warning', critical: 'Critical' };

/** The first line of a ticket message: what happened to it. */
export function ticketHeadline(ev: Extract<ChatEvent, { ticket: unknown }>): string {
  if (ev.type === 'ticket.created') return 'New ticket';
  if (ev.type === 'ticket.updated') return 'Ticket updated';
  return `SLA breached: ${CLOCK_WORD[ev.clock ?? 'resolution']} overdue`;
}
