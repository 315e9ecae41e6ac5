import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { ActionLinkParam, ActionLinkResult } from '../../protocol/api/chat';
import type { AppEnv } from '../types';
import { requireAuth } from '../middleware/auth';
import { ApiError, notFound } from '../lib/errors';
import { findAlert } from '../lib/alert-query';
import { clientIp } from '../lib/audit';
import { requireRole } from '../lib/roles';
import { valid } from '../lib/validate';
import { publicOrigin } from '../lib/install-commands';
import { errors, jsonBody } from '../lib/responses';
import { actionLinkGuardKey, verifyActionLink } from '../lib/integrations/action-links';
import { chatAlertAction } from '../lib/integrations/chat-actions';
import { claimReplay } from '../lib/integrations/inbound';

/*
 * Signed links out of Teams cards. Opening one (GET) never acts: link previews and mail
 * scanners follow GETs. It leads to the dashboard, where a signed-in user with the right role
 * confirms (POST), once.
 */

const tags = ['integrations'];
const invalidLink = () => new ApiError(401, 'unauthorized', 'this link is invalid or has expired');

export const actionLinksRoutes = new Hono<AppEnv>()
  .get(
    '/:token',
    describeRoute({
      tags,
      summary: 'Open a signed action link: redirects to the alert page to confirm (does not act)',
      responses: { 302: { description: 'to /alerts/<id>?confirm=<token>' }, ...errors(401) },
    }),
    valid('param', ActionLinkParam),
    async (c) => {
      const token = c.req.valid('param').token;
      const link = await verifyActionLink(c.env.TETHER_MASTER_KEY, token);
      if (!link) throw invalidLink();
      c.header('Cache-Control', 'no-store');
      c.header('Referrer-Policy', 'no-referrer');
      return c.redirect(`${publicOrigin(c.env, c.req.url)}/alerts/${encodeURIComponent(link.alertId)}?confirm=${encodeURIComponent(token)}`, 302);
    },
  )
  .post(
    '/:token',
    describeRoute({
      tags,
      summary: 'Confirm a signed action link (acknowledge the alert) as the signed-in user',
      description: 'Technician or higher, the link’s tenant and the caller’s clients only; a link acts once.',
      responses: { 200: jsonBody('the alert after the action', ActionLinkResult), ...errors(401, 403, 404, 409) },
    }),
    requireAuth,
    valid('param', ActionLinkParam),
    async (c) => {
      const { auth, db } = c.var;
      const token = c.req.valid('param').token;
      const link = await verifyActionLink(c.env.TETHER_MASTER_KEY, token);
      if (!link) throw invalidLink();
      // Another tenant's link is answered like a missing alert.
      if (link.tenantId !== auth.tenantId) throw notFound('alert');
      requireRole(auth, 'technician');
      if (!(await findAlert(db, auth, link.alertId))) throw notFound('alert');
      // Claimed only once the caller may act, so a refused attempt does not burn the link.
      if (!(await claimReplay(db, actionLinkGuardKey(token), link.exp - Date.now() + 60_000))) {
        throw new ApiError(409, 'conflict', 'this link was already used');
      }
      const result = await chatAlertAction(c.env, db, auth, link.action, link.alertId, { channel: 'teams_link', ip: clientIp(c) });
      if (!('alert' in result)) throw notFound('alert');
      return c.json({ alert: result.alert, changed: result.outcome === 'changed' } satisfies ActionLinkResult, 200);
    },
  );
