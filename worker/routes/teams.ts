import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { Id } from '../../protocol/api/common';
import type { AppEnv } from '../types';
import { getDb } from '../lib/db';
import { ApiError } from '../lib/errors';
import { enforceRateLimits, INBOUND_PER_ADDRESS, IsolateRateLimiter, perAddressGate } from '../lib/rate-limit';
import { valid } from '../lib/validate';
import { chatStatus, claimReplay, linkedUser, loadInbound, pruneReplayGuard, readRawBody, statusText } from '../lib/integrations/inbound';
import { verifyTeamsRequest } from '../lib/integrations/teams-verify';

/*
 * The Teams outgoing webhook (`@tether status`). Teams signs the body but no timestamp, so
 * Tether adds its own replay protection: the activity's timestamp must be within 5 minutes
 * and its id is accepted once.
 */

const tags = ['integrations'];
const perAddress = new IsolateRateLimiter(INBOUND_PER_ADDRESS);
const Param = v.object({ integrationId: Id });
const MAX_SKEW_MS = 5 * 60_000;

const Activity = v.object({
  type: v.literal('message'),
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
  timestamp: v.pipe(v.string(), v.maxLength(64)),
  text: v.optional(v.pipe(v.string(), v.maxLength(4000)), ''),
  from: v.object({ id: v.pipe(v.string(), v.maxLength(256)), aadObjectId: v.optional(v.pipe(v.string(), v.maxLength(128))) }),
});

const unauthorized = (why: string) => new ApiError(401, 'unauthorized', why);
const reply = (text: string) => ({ type: 'message' as const, text });

/** The words after the mention: `<at>Tether</at> status` → `status`. */
export function commandText(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .trim()
    .toLowerCase();
}

export const teamsRoutes = new Hono<AppEnv>()
  // Before anything reads D1 or computes an HMAC: a flood of forged calls costs nothing.
  .use('*', perAddressGate(perAddress))
  .use('*', async (c, next) => {
    c.set('db', getDb(c.env));
    await next();
  })
  .post(
    '/:integrationId/outgoing',
    describeRoute({
      tags,
      summary: 'Teams outgoing webhook (@tether status), signed with Authorization: HMAC',
      responses: { 200: { description: 'a Teams message activity { type, text }' } },
    }),
    valid('param', Param),
    async (c) => {
      const integrationId = c.req.valid('param').integrationId;
      const raw = await readRawBody(c.req.raw);
      if (raw === null) throw new ApiError(413, 'payload_too_large', 'request body too large');
      const db = c.var.db;
      const inbound = await loadInbound(db, c.env.TETHER_MASTER_KEY, 'teams', integrationId);
      const secret = inbound?.config.outgoingSecret;
      if (!inbound || !secret || !(await verifyTeamsRequest(secret, c.req.header('authorization'), raw))) {
        throw unauthorized('missing or invalid Teams HMAC signature');
      }
      await enforceRateLimits(db, [{ key: `teams:${integrationId}`, max: 120, windowMs: 60_000 }]);
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        throw new ApiError(400, 'validation_failed', 'body is not JSON');
      }
      const parsed = v.safeParse(Activity, json);
      if (!parsed.success) throw new ApiError(400, 'validation_failed', 'not a Teams message activity');
      const activity = parsed.output;
      const sentAt = Date.parse(activity.timestamp);
      const now = Date.now();
      if (!Number.isFinite(sentAt) || Math.abs(now - sentAt) > MAX_SKEW_MS) throw unauthorized('stale or missing activity timestamp');
      c.executionCtx.waitUntil(pruneReplayGuard(db));
      if (!(await claimReplay(db, `teams:${integrationId}:${activity.id}`, 2 * MAX_SKEW_MS + 60_000, now))) {
        throw new ApiError(409, 'conflict', 'this activity was already answered');
      }
      const command = commandText(activity.text);
      if (command !== 'status') return c.json(reply('Try: @Tether status'), 200);
      const linked = await linkedUser(db, inbound.row.tenantId, integrationId, activity.from.aadObjectId ?? activity.from.id);
      if (!linked) return c.json(reply('Your Teams account is not linked to a Tether user. Ask a Tether admin to link it.'), 200);
      return c.json(reply(statusText(await chatStatus(db, linked.auth))), 200);
    },
  );
