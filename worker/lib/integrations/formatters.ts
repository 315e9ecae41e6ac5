import type { IntegrationEvent, IntegrationKind } from '../../../protocol/api/integrations';
import type { ChatAlert, ChatEscalation, ChatEvent, ChatTicket, SlaClock } from './chat-event';
import { slackMessage } from './slack-message';
import { slackFallback, teamsFallback } from './fallback-messages';
import { teamsBody } from './teams-format';

/*
 * One body builder per integration kind, turning an IntegrationEvent into the exact text
 * POSTed. The outbox stores that text with the delivery, so a retry sends the same bytes.
 */

export interface FormatContext {
  /** Dashboard origin for links in chat messages. */
  origin: string;
  integrationName: string;
  /** Teams cards carry a signed "Acknowledge in Tether" link, keyed from the master key. */
  masterKey: string;
}

type Formatter = (e: IntegrationEvent, ctx: FormatContext) => Promise<unknown> | unknown;

/** The chat builders' view of an event; null for events they have no message for. */
export function toChatEvent(e: IntegrationEvent, ctx: FormatContext): ChatEvent | null {
  switch (e.type) {
    case 'alert.opened':
    case 'alert.acknowledged':
    case 'alert.resolved': {
      const actor = e.data.actor as { name?: string } | undefined;
      return { type: e.type, alert: e.data.alert as ChatAlert, actorName: actor?.name ?? null };
    }
    case 'alert.escalated':
      return { type: e.type, alert: e.data.alert as ChatAlert, escalation: e.data.escalation as ChatEscalation };
    case 'ticket.created':
    case 'ticket.updated':
    case 'ticket.sla_breached':
      return { type: e.type, ticket: e.data.ticket as ChatTicket, clock: e.data.clock as SlaClock | undefined };
    case 'test':
      return { type: 'test', integrationName: ctx.integrationName };
    default:
      return null;
  }
}

const FORMATTERS: Record<IntegrationKind, Formatter> = {
  // Generic webhooks get the event itself: the documented, versioned contract.
  webhook: (e) => e,
  slack: (e, ctx) => {
    const chat = toChatEvent(e, ctx);
    return chat ? slackMessage(chat, ctx.origin) : slackFallback(e);
  },
  teams: (e, ctx) => {
    const chat = toChatEvent(e, ctx);
    return chat ? teamsBody(ctx.masterKey, e.tenantId, chat, ctx.origin, e.at) : teamsFallback(e);
  },
};

export async function formatPayload(kind: IntegrationKind, e: IntegrationEvent, ctx: FormatContext): Promise<string> {
  return JSON.stringify(await FORMATTERS[kind](e, ctx));
}
