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
}

export type ChatEvent =
  | { type: 'alert.opened' | 'alert.acknowledged' | 'alert.resolved'; alert: ChatAlert; /** Who acted, when someone did. */ actorName?: string | null }
  | { type: 'ticket.created' | 'ticket.updated'; ticket: ChatTicket }
  | { type: 'test'; integrationName: string };

/** The alert event that describes an alert's current state (for updating a posted message). */
export function alertEvent(alert: ChatAlert, actorName?: string | null): ChatEvent {
  const type = alert.status === 'open' ? 'alert.opened' : alert.status === 'acknowledged' ? 'alert.acknowledged' : 'alert.resolved';
  return { type, alert, actorName };
}

export const alertUrl = (origin: string, alertId: string) => `${origin}/alerts/${encodeURIComponent(alertId)}`;
export const ticketUrl = (origin: string, ticketId: string) => `${origin}/tickets/${encodeURIComponent(ticketId)}`;

export const STATUS_WORD: Record<ChatAlert['status'], string> = { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved' };
export const SEVERITY_WORD: Record<ChatAlert['severity'], string> = { info: 'Info', warning: 'Warning', critical: 'Critical' };
