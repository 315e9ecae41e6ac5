import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { IntegrationEvent } from '../../../protocol/api/integrations';
import { verifyActionLink } from './action-links';
import { escalationHeadline } from './chat-event';
import { formatPayload, type FormatContext } from './formatters';
import { SLACK_ACTION } from './slack-message';
import { ADAPTIVE_CARD_SCHEMA } from './teams-card';

/* alert.escalated as each integration kind receives it. */

const ORIGIN = 'https://tether.example';
const ctx = (): FormatContext => ({ origin: ORIGIN, integrationName: 'Ops', masterKey: env.TETHER_MASTER_KEY });
const alert = { id: 'alr_01TEST', severity: 'critical', status: 'open', checkName: 'CPU high', message: 'CPU at 97 %', hostname: 'web-01', openedAt: Date.UTC(2026, 0, 1) };
const people = [
  { id: 'usr_1', name: 'Ann' },
  { id: 'usr_2', name: 'Bo' },
  { id: 'usr_3', name: null },
];
const escalated = (over: Record<string, unknown> = {}, alertOver: Record<string, unknown> = {}): IntegrationEvent => ({
  id: 'alr_01TEST:alert.escalated:2:0',
  type: 'alert.escalated',
  at: Date.UTC(2026, 0, 1, 0, 30),
  tenantId: 'ten_1',
  clientId: 'cli_1',
  severity: 'critical',
  data: { alert: { ...alert, ...alertOver }, escalation: { policy: 'Night on-call', tier: 2, round: 0, notified: people, ...over } },
});

describe('alert.escalated messages', () => {
  it('headline: tier, policy, repeat round and how many people were paged', () => {
    expect(escalationHeadline({ policy: 'Night on-call', tier: 2, round: 0, notified: people })).toBe('Escalated to tier 2 (Night on-call): 3 people paged');
    expect(escalationHeadline({ policy: 'P', tier: 1, round: 2, notified: people.slice(0, 1) })).toBe('Escalated to tier 1 (P), repeat 2: 1 person paged');
    expect(escalationHeadline({ policy: 'P', tier: 1, round: 0, notified: [] })).toBe('Escalated to tier 1 (P): no one paged in Tether');
  });

  it('Slack: the escalation leads, then the alert with Acknowledge … Open as for alert.opened', async () => {
    const msg = JSON.parse(await formatPayload('slack', escalated(), ctx()));
    expect(msg.text).toBe('Escalated to tier 2 (Night on-call): 3 people paged. Critical: CPU high on web-01 (Open)');
    expect(msg.blocks.map((b: { type: string }) => b.type)).toEqual(['section', 'section', 'context', 'actions']);
    expect(msg.blocks[0].text.text).toBe(':rotating_light: *Escalated to tier 2 (Night on-call): 3 people paged*');
    expect(msg.blocks[1].text.text).toContain('CPU high');
    const actions = msg.blocks[3];
    expect(actions.elements.map((e: { action_id: string }) => e.action_id)).toEqual([SLACK_ACTION.acknowledge, SLACK_ACTION.resolve, SLACK_ACTION.createTicket, SLACK_ACTION.open]);
    expect(actions.elements.every((e: { value: string }) => e.value === 'alr_01TEST')).toBe(true);
    expect(actions.elements[3].url).toBe(`${ORIGIN}/alerts/alr_01TEST`);
  });

  it('Slack: a policy name cannot inject markup', async () => {
    const msg = JSON.parse(await formatPayload('slack', escalated({ policy: '<!channel> & co' }), ctx()));
    expect(msg.blocks[0].text.text).toContain('&lt;!channel&gt; &amp; co');
    expect(msg.blocks[0].text.text).not.toContain('<!channel>');
  });

  it('Teams: an Adaptive Card led by the escalation, with a signed acknowledge link and Open', async () => {
    const e = escalated();
    const body = JSON.parse(await formatPayload('teams', e, ctx()));
    const card = body.attachments[0].content;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4', $schema: ADAPTIVE_CARD_SCHEMA });
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: 'Escalated to tier 2 (Night on-call): 3 people paged', color: 'Attention' });
    expect(card.body[1].text).toBe('Critical: CPU high on web-01');
    expect(card.actions.map((a: { title: string }) => a.title)).toEqual(['Acknowledge in Tether', 'Open']);
    // Signed at the event's time (the stored body is resent as is on retries).
    const token = card.actions[0].url.split('/').pop();
    expect(await verifyActionLink(env.TETHER_MASTER_KEY, token, e.at)).toMatchObject({ tenantId: 'ten_1', alertId: 'alr_01TEST', action: 'acknowledge' });
    expect(card.actions[1].url).toBe(`${ORIGIN}/alerts/alr_01TEST`);
  });

  it('Teams: a policy name stays text; an alert acknowledged meanwhile gets no acknowledge link', async () => {
    const card = JSON.parse(await formatPayload('teams', escalated({ policy: '[x](https://evil.example)' }, { status: 'acknowledged' }), ctx())).attachments[0].content;
    expect(card.body[0].text).toBe('Escalated to tier 2 (\\[x\\](https://evil.example)): 3 people paged');
    expect(card.actions.map((a: { title: string }) => a.title)).toEqual(['Open']);
  });

  it('webhook: the event itself, escalation included', async () => {
    const e = escalated();
    expect(JSON.parse(await formatPayload('webhook', e, ctx()))).toEqual(e);
  });
});
