import { alertUrl, escalationHeadline, SEVERITY_WORD, STATUS_WORD, ticketHeadline, ticketUrl, type ChatEvent } from './chat-event';

/*
 * Teams Workflows webhook bodies: one message carrying an Adaptive Card 1.4. Workflow-posted
 * cards cannot send clicks back, so "Acknowledge in Tether" opens a signed, short-lived link
 * (worker/lib/integrations/action-links.ts) that a signed-in user confirms in the dashboard.
 */

export const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

type CardElement =
  | { type: 'TextBlock'; text: string; wrap: true; weight?: 'Bolder'; size?: 'Medium'; color?: 'Attention' | 'Warning' | 'Good' | 'Default'; isSubtle?: boolean }
  | { type: 'FactSet'; facts: { title: string; value: string }[] };
interface OpenUrl {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: '1.4';
  $schema: typeof ADAPTIVE_CARD_SCHEMA;
  body: CardElement[];
  actions: OpenUrl[];
  msteams: { width: 'Full' };
}

export interface TeamsMessage {
  type: 'message';
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive'; contentUrl: null; content: AdaptiveCard }];
}

/** TextBlocks render a markdown subset: break link and emphasis syntax so agent strings stay text. */
export function teamsEscape(text: string): string {
  return text.replace(/[\\*_~`[\]<>]/g, (ch) => `\\${ch}`);
}

const COLOR = { info: 'Default', warning: 'Warning', critical: 'Attention' } as const;

function card(body: CardElement[], actions: OpenUrl[]): TeamsMessage {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: { type: 'AdaptiveCard', version: '1.4', $schema: ADAPTIVE_CARD_SCHEMA, body, actions, msteams: { width: 'Full' } },
      },
    ],
  };
}

/**
 * `ackUrl`: the signed action link for an open alert (the caller signs it; omitted for other
 * events or when the alert is no longer open).
 */
export function teamsMessage(ev: ChatEvent, origin: string, ackUrl?: string): TeamsMessage {
  if (ev.type === 'test') {
    return card([{ type: 'TextBlock', text: `Tether test message for “${teamsEscape(ev.integrationName)}”: this channel is connected.`, wrap: true }], []);
  }
  if ('ticket' in ev) {
    const t = ev.ticket;
    const facts = [
      { title: 'Status', value: teamsEscape(t.status) },
      { title: 'Priority', value: teamsEscape(t.priority) },
      { title: 'Client', value: teamsEscape(t.clientName ?? 'unknown') },
    ];
    if (t.assigneeName !== undefined) facts.push({ title: 'Assignee', value: teamsEscape(t.assigneeName ?? 'unassigned') });
    return card(
      [
        {
          type: 'TextBlock',
          text: `${ticketHeadline(ev)}: #${t.number} ${teamsEscape(t.title)}`,
          wrap: true,
          weight: 'Bolder',
          size: 'Medium',
          ...(ev.type === 'ticket.sla_breached' ? { color: 'Attention' as const } : {}),
        },
        { type: 'FactSet', facts },
      ],
      [{ type: 'Action.OpenUrl', title: 'Open', url: ticketUrl(origin, t.id) }],
    );
  }
  const a = ev.alert;
  const status = ev.actorName ? `${STATUS_WORD[a.status]} by ${teamsEscape(ev.actorName)}` : STATUS_WORD[a.status];
  const actions: OpenUrl[] = [];
  if (a.status === 'open' && ackUrl) actions.push({ type: 'Action.OpenUrl', title: 'Acknowledge in Tether', url: ackUrl });
  actions.push({ type: 'Action.OpenUrl', title: 'Open', url: alertUrl(origin, a.id) });
  // An escalation leads with the tier it reached; the alert follows as for alert.opened.
  const escalated: CardElement[] =
    ev.type === 'alert.escalated' ? [{ type: 'TextBlock', text: teamsEscape(escalationHeadline(ev.escalation)), wrap: true, weight: 'Bolder', color: 'Attention' }] : [];
  return card(
    [
      ...escalated,
      {
        type: 'TextBlock',
        text: `${SEVERITY_WORD[a.severity]}: ${teamsEscape(a.checkName)} on ${teamsEscape(a.hostname ?? 'unknown device')}`,
        wrap: true,
        weight: 'Bolder',
        size: 'Medium',
        color: COLOR[a.severity],
      },
      { type: 'TextBlock', text: teamsEscape(a.message.slice(0, 2500)), wrap: true },
      {
        type: 'FactSet',
        facts: [
          { title: 'Status', value: status },
          { title: 'Opened', value: new Date(a.openedAt).toISOString() },
        ],
      },
    ],
    actions,
  );
}
