import { actionLinkUrl, signActionLink } from './action-links';
import type { ChatEvent } from './chat-event';
import { teamsMessage, type TeamsMessage } from './teams-card';

/**
 * The Teams body for an event, with a freshly signed 24-hour "Acknowledge in Tether" link when
 * the event is about an open alert. Delivery code calls this (signing needs the master key,
 * so the card builder itself stays pure).
 */
export async function teamsBody(masterKey: string, tenantId: string, ev: ChatEvent, origin: string, now = Date.now()): Promise<TeamsMessage> {
  const ackUrl =
    'alert' in ev && ev.alert.status === 'open'
      ? actionLinkUrl(origin, await signActionLink(masterKey, { tenantId, alertId: ev.alert.id }, now))
      : undefined;
  return teamsMessage(ev, origin, ackUrl);
}
