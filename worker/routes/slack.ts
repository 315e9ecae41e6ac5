import { Hono, type Context } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { Id } from '../../protocol/api/common';
import type { AppEnv } from '../types';
import { getDb } from '../lib/db';
import { ApiError } from '../lib/errors';
import { clientIp } from '../lib/audit';
import { enforceRateLimits, INBOUND_PER_ADDRESS, IsolateRateLimiter, perAddressGate } from '../lib/rate-limit';
import { hasRole } from '../lib/roles';
import { valid } from '../lib/validate';
import { publicOrigin } from '../lib/install-commands';
import { chatAlertAction, type ChatAction } from '../lib/integrations/chat-actions';
import { alertEvent } from '../lib/integrations/chat-event';
import { chatStatus, claimReplay, linkedUser, loadInbound, pruneReplayGuard, readRawBody, statusText, unresolvedAlerts } from '../lib/integrations/inbound';
import { SLACK_ACTION, slackEscape, slackMessage } from '../lib/integrations/slack-message';
import { ephemeral, postToSlack } from '../lib/integrations/slack-reply';
import { SLACK_MAX_SKEW_SECONDS, verifySlackRequest } from '../lib/integrations/slack-verify';
import { noContent } from '../lib/responses';

/*
 * Slack's calls into Tether: button clicks (interactivity) and the /tether slash command.
 * Public endpoints (no session, no Origin): every request must carry a valid, fresh Slack
 * signature for the integration it names, and acts at most once, as the linked Tether user.
 */

const tags = ['integrations'];
const perAddress = new IsolateRateLimiter(INBOUND_PER_ADDRESS);
const Param = v.object({ integrationId: Id });
const PER_INTEGRATION = { max: 120, windowMs: 60_000 };
// Longer than the signature's ±5-minute window, so a replay cannot outlive its guard entry.
const REPLAY_TTL_MS = 2 * SLACK_MAX_SKEW_SECONDS * 1000 + 60_000;

const BlockActions = v.object({
  type: v.literal('block_actions'),
  user: v.object({ id: v.pipe(v.string(), v.maxLength(128)) }),
  response_url: v.optional(v.pipe(v.string(), v.maxLength(2048))),
  container: v.optional(v.object({ message_ts: v.optional(v.string()) })),
  actions: v.pipe(
    v.array(v.object({ action_id: v.pipe(v.string(), v.maxLength(255)), value: v.optional(v.pipe(v.string(), v.maxLength(2000))) })),
    v.minLength(1),
  ),
});
const SlashCommand = v.object({
  command: v.string(),
  text: v.optional(v.pipe(v.string(), v.maxLength(1000)), ''),
  user_id: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  response_url: v.optional(v.string()),
});

const BUTTON_ACTIONS: Record<string, ChatAction> = {
  [SLACK_ACTION.acknowledge]: 'acknowledge',
  [SLACK_ACTION.resolve]: 'resolve',
  [SLACK_ACTION.createTicket]: 'create_ticket',
};

const unauthorized = () => new ApiError(401, 'unauthorized', 'missing, stale or invalid Slack signature');

/** The integration, the raw body and the replay key of a request Slack really signed; 401 otherwise. */
async function verified(c: Context<AppEnv>, integrationId: string) {
  const raw = await readRawBody(c.req.raw);
  if (raw === null) throw new ApiError(413, 'payload_too_large', 'request body too large');
  const timestamp = c.req.header('x-slack-request-timestamp');
  const signature = c.req.header('x-slack-signature');
  const inbound = await loadInbound(c.var.db, c.env.TETHER_MASTER_KEY, 'slack', integrationId);
  const secret = inbound?.config.signingSecret;
  if (!inbound || !secret || !(await verifySlackRequest(secret, { timestamp, signature }, raw))) throw unauthorized();
  await enforceRateLimits(c.var.db, [{ key: `slack:${integrationId}`, ...PER_INTEGRATION }]);
  c.executionCtx.waitUntil(pruneReplayGuard(c.var.db));
  return { integration: inbound.row, raw, replayKey: `slack:${integrationId}:${timestamp}:${signature}` };
}

function parseForm<T extends v.GenericSchema>(schema: T, input: unknown): v.InferOutput<T> {
  const result = v.safeParse(schema, input);
  if (!result.success) throw new ApiError(400, 'validation_failed', 'not a Slack request this endpoint understands');
  return result.output;
}

const NOT_LINKED = 'Your Slack account is not linked to a Tether user allowed to do this. Ask a Tether admin to link it.';

export const slackRoutes = new Hono<AppEnv>()
  // Before anything reads D1 or computes an HMAC: a flood of forged calls costs nothing.
  .use('*', perAddressGate(perAddress))
  .use('*', async (c, next) => {
    c.set('db', getDb(c.env));
    await next();
  })
  .post(
    '/:integrationId/interactivity',
    describeRoute({
      tags,
      summary: 'Slack interactivity: Acknowledge / Resolve / Create ticket buttons (signed by Slack)',
      description: 'Verifies X-Slack-Signature; acts once per signed request as the linked Tether user; updates the message through response_url.',
      responses: { 200: noContent },
    }),
    valid('param', Param),
    async (c) => {
      const { integration, raw, replayKey } = await verified(c, c.req.valid('param').integrationId);
      const json = new URLSearchParams(raw).get('payload');
      let payload: unknown;
      try {
        payload = JSON.parse(json ?? '');
      } catch {
        throw new ApiError(400, 'validation_failed', 'payload is not JSON');
      }
      // Other interaction kinds (shortcuts, view submissions) are not used by Tether: acknowledged, ignored.
      if ((payload as { type?: unknown } | null)?.type !== 'block_actions') return c.body(null, 200);
      const p = parseForm(BlockActions, payload);
      const button = p.actions[0];
      const action = BUTTON_ACTIONS[button.action_id];
      // The Open button is a link: Slack reports its click, there is nothing to do.
      if (!action || !button.value) return c.body(null, 200);
      if (!(await claimReplay(c.var.db, replayKey, REPLAY_TTL_MS))) return c.body(null, 200);
      const linked = await linkedUser(c.var.db, integration.tenantId, integration.id, p.user.id);
      const reply = (body: Record<string, unknown>) => c.executionCtx.waitUntil(postToSlack(c.env, p.response_url, body));
      if (!linked || !hasRole(linked.auth, 'technician')) {
        reply(ephemeral(NOT_LINKED));
        return c.body(null, 200);
      }
      const result = await chatAlertAction(c.env, c.var.db, linked.auth, action, button.value, {
        channel: 'slack',
        integrationId: integration.id,
        ip: clientIp(c),
      });
      if (!('alert' in result)) {
        reply(ephemeral('That alert does not exist or you may not act on it.'));
        return c.body(null, 200);
      }
      const message = slackMessage(alertEvent(result.alert, linked.name), publicOrigin(c.env, c.req.url));
      if (result.ticket) {
        const t = result.ticket;
        message.blocks.push({
          type: 'context',
          elements: [{ type: 'mrkdwn', text: `:ticket: Ticket #${t.number} ${result.outcome === 'changed' ? `opened by ${slackEscape(linked.name)}` : 'already open'}` }],
        });
      }
      reply({ replace_original: true, ...message });
      return c.body(null, 200);
    },
  )
  .post(
    '/:integrationId/commands',
    describeRoute({
      tags,
      summary: 'Slack slash command /tether: status, alerts, ack <alert id> (signed by Slack)',
      responses: { 200: { description: 'an ephemeral Slack message' } },
    }),
    valid('param', Param),
    async (c) => {
      const { integration, raw, replayKey } = await verified(c, c.req.valid('param').integrationId);
      const cmd = parseForm(SlashCommand, Object.fromEntries(new URLSearchParams(raw)));
      if (!(await claimReplay(c.var.db, replayKey, REPLAY_TTL_MS))) return c.json(ephemeral('This command was already handled.'), 200);
      const linked = await linkedUser(c.var.db, integration.tenantId, integration.id, cmd.user_id);
      if (!linked) return c.json(ephemeral(NOT_LINKED), 200);
      const [sub = '', arg = ''] = cmd.text.trim().split(/\s+/);
      switch (sub.toLowerCase()) {
        case 'status':
          return c.json(ephemeral(statusText(await chatStatus(c.var.db, linked.auth))), 200);
        case 'alerts': {
          const list = await unresolvedAlerts(c.var.db, linked.auth, 10);
          if (!list.length) return c.json(ephemeral('No open alerts. :tada:'), 200);
          const lines = list.map(
            (a) => `• *${a.severity}* ${slackEscape(a.checkName)} on ${slackEscape(a.hostname ?? 'unknown device')} (${a.status}) \`${a.id}\``,
          );
          return c.json(ephemeral(`Open alerts (newest first):\n${lines.join('\n')}`), 200);
        }
        case 'ack': {
          if (!v.is(Id, arg) || !arg) return c.json(ephemeral('Usage: /tether ack <alert id>'), 200);
          const result = await chatAlertAction(c.env, c.var.db, linked.auth, 'acknowledge', arg, {
            channel: 'slack_command',
            integrationId: integration.id,
            ip: clientIp(c),
          });
          if (result.outcome === 'forbidden') return c.json(ephemeral(NOT_LINKED), 200);
          if (!('alert' in result)) return c.json(ephemeral('That alert does not exist or you may not act on it.'), 200);
          const what = `${slackEscape(result.alert.checkName)} on ${slackEscape(result.alert.hostname ?? 'unknown device')}`;
          return c.json(ephemeral(result.outcome === 'changed' ? `Acknowledged: ${what}.` : `Already ${result.alert.status}: ${what}.`), 200);
        }
        default:
          return c.json(ephemeral('Usage: /tether status | /tether alerts | /tether ack <alert id>'), 200);
      }
    },
  );
