import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { IntegrationEvent } from '../../../protocol/api/integrations';
import { formatPayload, type FormatContext } from './formatters';
import { SLACK_ACTION } from './slack-message';
import { ADAPTIVE_CARD_SCHEMA } from './teams-card';

/* Ticket events as each integration kind receives them. */

const ctx = (): FormatContext => ({ origin: 'https://tether.example', integrationName: 'Ops', masterKey: env.TETHER_MASTER_KEY });
const ticket = { id: 'tkt_01TEST', number: 42, title: 'Printer <down> & *out*', status: 'open', priority: 'urgent', clientId: 'cli_1', clientName: 'Globex', assigneeId: 'usr_1', assigneeName: 'Tina Tech' };
const event = (type: IntegrationEvent['type'], data: Record<string, unknown> = {}): IntegrationEvent => ({
  id: `tkt_01TEST:${type}:1`,
  type,
  at: Date.UTC(2026, 0, 1),
  tenantId: 'ten_1',
  clientId: 'cli_1',
  data: { ticket, ...data },
});

describe('ticket messages', () => {
  it('Slack: a section with number, title, status, priority, client and assignee, and an Open link button', async () => {
    const msg = JSON.parse(await formatPayload('slack', event('ticket.updated'), ctx()));
    expect(msg.text).toBe('Ticket updated: #42 Printer <down> & *out* (open, urgent)');
    const [section, actions] = msg.blocks;
    expect(section.type).toBe('section');
    expect(section.text.text).toContain('<https://tether.example/tickets/tkt_01TEST|#42 Printer &lt;down&gt; &amp; *out*>');
    expect(section.fields.map((f: { text: string }) => f.text)).toEqual(['*Status*\nopen', '*Priority*\nurgent', '*Client*\nGlobex', '*Assignee*\nTina Tech']);
    expect(actions).toMatchObject({ type: 'actions', elements: [{ type: 'button', action_id: SLACK_ACTION.open, url: 'https://tether.example/tickets/tkt_01TEST', value: 'tkt_01TEST' }] });
  });

  it('Slack: a breach names the clock that ran out', async () => {
    const msg = JSON.parse(await formatPayload('slack', event('ticket.sla_breached', { clock: 'first_response', dueAt: 1 }), ctx()));
    expect(msg.text).toContain('SLA breached: first response overdue: #42');
    expect(msg.blocks[0].text.text).toContain(':rotating_light:');
  });

  it('Teams: an Adaptive Card 1.4 with the same facts and an Open action', async () => {
    const body = JSON.parse(await formatPayload('teams', event('ticket.created'), ctx()));
    const card = body.attachments[0].content;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4', $schema: ADAPTIVE_CARD_SCHEMA });
    expect(card.body[0].text).toBe('New ticket: #42 Printer \\<down\\> & \\*out\\*');
    expect(card.body[1]).toEqual({
      type: 'FactSet',
      facts: [
        { title: 'Status', value: 'open' },
        { title: 'Priority', value: 'urgent' },
        { title: 'Client', value: 'Globex' },
        { title: 'Assignee', value: 'Tina Tech' },
      ],
    });
    expect(card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open', url: 'https://tether.example/tickets/tkt_01TEST' }]);
    const breach = JSON.parse(await formatPayload('teams', event('ticket.sla_breached', { clock: 'resolution' }), ctx())).attachments[0].content;
    expect(breach.body[0]).toMatchObject({ text: expect.stringContaining('SLA breached: resolution overdue'), color: 'Attention' });
  });

  it('webhooks: the event itself', async () => {
    const e = event('ticket.sla_breached', { clock: 'resolution', dueAt: 5 });
    expect(JSON.parse(await formatPayload('webhook', e, ctx()))).toEqual(e);
  });
});
