import { alertUrl, escalationHeadline, SEVERITY_WORD, STATUS_WORD, ticketHeadline, ticketUrl, type ChatAlert, type ChatEvent } from './chat-event';

/*
 * Slack incoming-webhook bodies (Block Kit). Alert messages carry the buttons the
 * interactivity route answers: each button's value is the alert id, its action_id says what
 * to do. Agent-reported strings (hostnames, messages) are escaped so they stay text.
 */

export const SLACK_ACTION = {
  acknowledge: 'tether_acknowledge',
  resolve: 'tether_resolve',
  createTicket: 'tether_create_ticket',
  open: 'tether_open',
} as const;
export type SlackActionId = (typeof SLACK_ACTION)[keyof typeof SLACK_ACTION];

interface Text {
  type: 'mrkdwn' | 'plain_text';
  text: string;
}
interface Button {
  type: 'button';
  action_id: SlackActionId;
  text: { type: 'plain_text'; text: string };
  value?: string;
  url?: string;
  style?: 'primary' | 'danger';
}
export type SlackBlock =
  | { type: 'section'; text: Text; fields?: Text[] }
  | { type: 'context'; elements: Text[] }
  | { type: 'actions'; block_id: string; elements: Button[] };

export interface SlackMessage {
  /** Fallback for notifications and clients that cannot show blocks. */
  text: string;
  blocks: SlackBlock[];
}

/** Slack's three control characters; everything else in mrkdwn is harmless as text. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const EMOJI: Record<ChatAlert['severity'], string> = { info: ':information_source:', warning: ':warning:', critical: ':red_circle:' };
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function button(action_id: SlackActionId, label: string, value: string, style?: Button['style']): Button {
  return { type: 'button', action_id, text: { type: 'plain_text', text: label }, value, ...(style ? { style } : {}) };
}

function alertMessage(ev: Extract<ChatEvent, { alert: unknown }>, origin: string): SlackMessage {
  const a = ev.alert;
  const host = slackEscape(a.hostname ?? 'unknown device');
  const head = `${EMOJI[a.severity]} *${SEVERITY_WORD[a.severity]}: ${slackEscape(clip(a.checkName, 150))}* on *${host}*`;
  const state = ev.actorName ? `${STATUS_WORD[a.status]} by ${slackEscape(ev.actorName)}` : STATUS_WORD[a.status];
  const opened = Math.floor(a.openedAt / 1000);
  const buttons: Button[] = [];
  if (a.status === 'open') buttons.push(button(SLACK_ACTION.acknowledge, 'Acknowledge', a.id, 'primary'));
  if (a.status !== 'resolved') buttons.push(button(SLACK_ACTION.resolve, 'Resolve', a.id, 'danger'));
  buttons.push(button(SLACK_ACTION.createTicket, 'Create ticket', a.id));
  buttons.push({ type: 'button', action_id: SLACK_ACTION.open, text: { type: 'plain_text', text: 'Open' }, url: alertUrl(origin, a.id), value: a.id });
  const summary = `${SEVERITY_WORD[a.severity]}: ${a.checkName} on ${a.hostname ?? 'unknown device'} (${STATUS_WORD[a.status]})`;
  // An escalation leads with the tier it reached; the alert follows as for alert.opened.
  const escalated = ev.type === 'alert.escalated' ? escalationHeadline(ev.escalation) : null;
  return {
    text: escalated ? `${escalated}. ${summary}` : summary,
    blocks: [
      ...(escalated ? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: `:rotating_light: *${slackEscape(escalated)}*` } }] : []),
      { type: 'section', text: { type: 'mrkdwn', text: `${head}\n${slackEscape(clip(a.message, 2500))}` } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `*${state}* · opened <!date^${opened}^{date_short_pretty} {time}|${new Date(a.openedAt).toISOString()}>` }],
      },
      { type: 'actions', block_id: `tether_alert_${a.id}`, elements: buttons },
    ],
  };
}

/** Number, title, status, priority, client (and assignee) with an "Open" link to the ticket page. */
function ticketMessage(ev: Extract<ChatEvent, { ticket: unknown }>, origin: string): SlackMessage {
  const t = ev.ticket;
  const verb = ticketHeadline(ev);
  const title = `#${t.number} ${t.title}`;
  const url = ticketUrl(origin, t.id);
  const field = (label: string, value: string): Text => ({ type: 'mrkdwn', text: `*${label}*\n${slackEscape(clip(value, 200))}` });
  const fields = [field('Status', t.status), field('Priority', t.priority), field('Client', t.clientName ?? 'unknown')];
  if (t.assigneeName !== undefined) fields.push(field('Assignee', t.assigneeName ?? 'unassigned'));
  const emoji = ev.type === 'ticket.sla_breached' ? ':rotating_light:' : ':ticket:';
  return {
    text: `${verb}: ${title} (${t.status}, ${t.priority})`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${emoji} *${verb}: <${url}|${slackEscape(clip(title, 200))}>*` }, fields },
      { type: 'actions', block_id: `tether_ticket_${t.id}`, elements: [{ type: 'button', action_id: SLACK_ACTION.open, text: { type: 'plain_text', text: 'Open' }, url, value: t.id }] },
    ],
  };
}

export function slackMessage(ev: ChatEvent, origin: string): SlackMessage {
  if (ev.type === 'test') {
    const text = `Tether test message for “${ev.integrationName}”: this channel is connected.`;
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:white_check_mark: ${slackEscape(text)}` } }] };
  }
  if ('ticket' in ev) return ticketMessage(ev, origin);
  return alertMessage(ev, origin);
}
