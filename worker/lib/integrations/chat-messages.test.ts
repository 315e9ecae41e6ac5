import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { verifyActionLink } from './action-links';
import { teamsBody } from './teams-format';
import type { ChatAlert } from './chat-event';
import { alertEvent } from './chat-event';
import { SLACK_ACTION, slackMessage } from './slack-message';
import { ADAPTIVE_CARD_SCHEMA, teamsMessage } from './teams-card';

const ORIGIN = 'https://tether.example';
const alert = (over: Partial<ChatAlert> = {}): ChatAlert => ({
  id: 'alr_01TEST',
  severity: 'critical',
  status: 'open',
  checkName: 'CPU high',
  message: 'CPU at 97 % <script>alert(1)</script> & [click](https://evil.example)',
  hostname: 'web-01',
  openedAt: Date.UTC(2026, 0, 1),
  ...over,
});

describe('Slack Block Kit messages', () => {
  it('an open alert: section, context and the four buttons carrying the alert id', () => {
    const msg = slackMessage(alertEvent(alert()), ORIGIN);
    expect(msg.text).toContain('CPU high on web-01');
    expect(msg.blocks.map((b) => b.type)).toEqual(['section', 'context', 'actions']);
    const actions = msg.blocks[2];
    if (actions.type !== 'actions') throw new Error('no actions block');
    expect(actions.elements.map((e) => e.action_id)).toEqual([SLACK_ACTION.acknowledge, SLACK_ACTION.resolve, SLACK_ACTION.createTicket, SLACK_ACTION.open]);
    for (const e of actions.elements) {
      expect(e.type).toBe('button');
      expect(e.text.type).toBe('plain_text');
      expect(e.value).toBe('alr_01TEST');
    }
    expect(actions.elements[3].url).toBe(`${ORIGIN}/alerts/alr_01TEST`);
    // Agent-reported text cannot inject Slack markup (links, mentions).
    const section = msg.blocks[0];
    if (section.type !== 'section') throw new Error('no section');
    expect(section.text.text).toContain('&lt;script&gt;');
    expect(section.text.text).not.toContain('<script>');
    expect(section.text.text).toContain('&amp;');
  });

  it('acknowledged and resolved alerts lose the buttons that no longer apply and name the actor', () => {
    const acked = slackMessage(alertEvent(alert({ status: 'acknowledged' }), 'Tina Tech'), ORIGIN);
    const ids = (m: typeof acked) => m.blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.action_id) : []));
    expect(ids(acked)).toEqual([SLACK_ACTION.resolve, SLACK_ACTION.createTicket, SLACK_ACTION.open]);
    expect(JSON.stringify(acked.blocks[1])).toContain('Acknowledged by Tina Tech');
    expect(ids(slackMessage(alertEvent(alert({ status: 'resolved' })), ORIGIN))).toEqual([SLACK_ACTION.createTicket, SLACK_ACTION.open]);
  });

  it('ticket and test events are plain sections with a dashboard link', () => {
    const t = slackMessage({ type: 'ticket.created', ticket: { id: 'tkt_1', number: 42, title: 'Printer <down>', status: 'new', priority: 'high' } }, ORIGIN);
    expect(t.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    expect(JSON.stringify(t.blocks)).toContain(`${ORIGIN}/tickets/tkt_1|#42 Printer &lt;down&gt;`);
    const test = slackMessage({ type: 'test', integrationName: 'Ops' }, ORIGIN);
    expect(test.blocks).toHaveLength(1);
    expect(test.text).toContain('Ops');
  });
});

describe('Teams Adaptive Cards', () => {
  it('an open alert: one message with an Adaptive Card 1.4, the signed acknowledge link and Open', () => {
    const ack = `${ORIGIN}/api/v1/action-links/abc.def`;
    const msg = teamsMessage(alertEvent(alert()), ORIGIN, ack);
    expect(msg.type).toBe('message');
    expect(msg.attachments).toHaveLength(1);
    const [att] = msg.attachments;
    expect(att.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(att.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4', $schema: ADAPTIVE_CARD_SCHEMA });
    expect(att.content.body.map((b) => b.type)).toEqual(['TextBlock', 'TextBlock', 'FactSet']);
    expect(att.content.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Acknowledge in Tether', url: ack },
      { type: 'Action.OpenUrl', title: 'Open', url: `${ORIGIN}/alerts/alr_01TEST` },
    ]);
    // Markdown link syntax from the agent is broken up, so it renders as text.
    expect(JSON.stringify(att.content.body)).not.toContain('[click](');
  });

  it('no acknowledge link once the alert is no longer open; tickets and tests are cards too', () => {
    const acked = teamsMessage(alertEvent(alert({ status: 'acknowledged' })), ORIGIN, `${ORIGIN}/x`);
    expect(acked.attachments[0].content.actions.map((a) => a.title)).toEqual(['Open']);
    const t = teamsMessage({ type: 'ticket.updated', ticket: { id: 'tkt_1', number: 7, title: 'VPN', status: 'open', priority: 'normal' } }, ORIGIN);
    expect(t.attachments[0].content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(t.attachments[0].content.actions[0].url).toBe(`${ORIGIN}/tickets/tkt_1`);
    expect(teamsMessage({ type: 'test', integrationName: 'Ops' }, ORIGIN).attachments[0].content.body[0].type).toBe('TextBlock');
  });
});

describe('Teams body with a signed acknowledge link', () => {
  it('signs a link for an open alert that verifies for that tenant and alert', async () => {
    const msg = await teamsBody(env.TETHER_MASTER_KEY, 'ten_1', alertEvent(alert()), ORIGIN);
    const ack = msg.attachments[0].content.actions.find((a) => a.title === 'Acknowledge in Tether');
    expect(ack?.url.startsWith(`${ORIGIN}/api/v1/action-links/`)).toBe(true);
    const token = ack!.url.split('/').pop()!;
    expect(await verifyActionLink(env.TETHER_MASTER_KEY, token)).toMatchObject({ tenantId: 'ten_1', alertId: 'alr_01TEST', action: 'acknowledge' });
    const resolved = await teamsBody(env.TETHER_MASTER_KEY, 'ten_1', alertEvent(alert({ status: 'resolved' })), ORIGIN);
    expect(resolved.attachments[0].content.actions.map((a) => a.title)).toEqual(['Open']);
  });
});
