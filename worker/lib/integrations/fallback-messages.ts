import type { IntegrationEvent } from '../../../protocol/api/integrations';
import { slackEscape } from './slack-message';
import { ADAPTIVE_CARD_SCHEMA, teamsEscape } from './teams-card';

/*
 * Plain chat messages for events the Slack and Teams builders have no message for (device
 * online/offline): one line, as a Slack section or a one-block Adaptive Card 1.4. Device
 * names are agent-reported, so they are escaped for each format's markup.
 */

export function eventLine(e: IntegrationEvent): string {
  const device = e.data.device as { hostname?: string | null; id?: string } | undefined;
  const name = device?.hostname ?? device?.id ?? 'a device';
  switch (e.type) {
    case 'device.online':
      return `Device ${name} is back online`;
    case 'device.offline':
      return `Device ${name} went offline`;
    default:
      return `Tether event ${e.type}`;
  }
}

export function slackFallback(e: IntegrationEvent) {
  const text = eventLine(e);
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: slackEscape(text) } }] };
}

/** The envelope a Teams Workflows webhook expects around an Adaptive Card. */
export function teamsEnvelope(card: Record<string, unknown>) {
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] };
}

export function teamsFallback(e: IntegrationEvent) {
  return teamsEnvelope({
    $schema: ADAPTIVE_CARD_SCHEMA,
    type: 'AdaptiveCard',
    version: '1.4',
    body: [{ type: 'TextBlock', text: teamsEscape(eventLine(e)), wrap: true }],
  });
}
