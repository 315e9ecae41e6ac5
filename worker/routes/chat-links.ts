import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { users } from '../../db/schema';
import { chatUserLinks, integrations } from '../../db/integrations-schema';
import { ChatUserLink, ChatUserLinkBody, ChatUserLinkList, ChatUserLinkParam } from '../../protocol/api/chat';
import { IdParam } from '../../protocol/api/common';
import type { AppEnv, AuthContext, Db } from '../types';
import { requireAuth } from '../middleware/auth';
import { ApiError, badRequest, notFound } from '../lib/errors';
import { requireRole, withinScope } from '../lib/roles';
import { auditInsert } from '../lib/audit';
import { valid } from '../lib/validate';
import { errors, jsonBody, noContent } from '../lib/responses';

/*
 * Which chat users (Slack user ids, Teams AAD object ids) act as which Tether users when they
 * click a button or type a command. Admin or higher. A link never grants more than its
 * creator has: the linked user's role and clients must be within the caller's.
 */

const tags = ['integrations'];

async function chatIntegration(db: Db, auth: AuthContext, id: string) {
  const row = await db
    .select({ id: integrations.id })
    .from(integrations)
    .where(and(eq(integrations.tenantId, auth.tenantId), eq(integrations.id, id), inArray(integrations.kind, ['slack', 'teams'])))
    .get();
  if (!row) throw notFound('integration');
  return row;
}

const linkColumns = {
  integrationId: chatUserLinks.integrationId,
  externalUserId: chatUserLinks.externalUserId,
  userId: chatUserLinks.userId,
  createdAt: chatUserLinks.createdAt,
};

export const chatLinksRoutes = new Hono<AppEnv>()
  .use('/:id/user-links', requireAuth)
  .use('/:id/user-links/*', requireAuth)
  .get(
    '/:id/user-links',
    describeRoute({ tags, summary: 'Chat users linked to Tether users for this Slack or Teams integration', responses: { 200: jsonBody('links', ChatUserLinkList), ...errors(403, 404) } }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const itg = await chatIntegration(db, auth, c.req.valid('param').id);
      const items = await db
        .select(linkColumns)
        .from(chatUserLinks)
        .where(and(eq(chatUserLinks.tenantId, auth.tenantId), eq(chatUserLinks.integrationId, itg.id)))
        .orderBy(chatUserLinks.createdAt)
        .all();
      return c.json({ items }, 200);
    },
  )
  .post(
    '/:id/user-links',
    describeRoute({
      tags,
      summary: 'Link a chat user to a Tether user',
      description: 'Admin or higher; the user must be this tenant’s and within the caller’s role and clients.',
      responses: { 201: jsonBody('the link', ChatUserLink), ...errors(400, 403, 404, 409) },
    }),
    valid('param', IdParam),
    valid('json', ChatUserLinkBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const itg = await chatIntegration(db, auth, c.req.valid('param').id);
      const body = c.req.valid('json');
      const user = await db
        .select({ id: users.id, role: users.role, clientIds: users.clientIds })
        .from(users)
        .where(and(eq(users.tenantId, auth.tenantId), eq(users.id, body.userId), isNull(users.disabledAt)))
        .get();
      if (!user) throw badRequest('invalid body', [{ path: 'userId', message: 'no such user' }]);
      if (user.role === 'client') throw badRequest('invalid body', [{ path: 'userId', message: 'client portal users cannot act from chat' }]);
      if (!withinScope(auth, { role: user.role, clientIds: user.clientIds ?? null })) {
        throw badRequest('invalid body', [{ path: 'userId', message: 'that user has more access than you' }]);
      }
      const existing = await db
        .select({ userId: chatUserLinks.userId })
        .from(chatUserLinks)
        .where(and(eq(chatUserLinks.integrationId, itg.id), eq(chatUserLinks.externalUserId, body.externalUserId)))
        .get();
      if (existing) throw new ApiError(409, 'conflict', 'that chat user is already linked; remove the link first');
      const link = { tenantId: auth.tenantId, integrationId: itg.id, externalUserId: body.externalUserId, userId: user.id, createdAt: Date.now() };
      const [inserted] = await db.batch([
        db.insert(chatUserLinks).values(link).returning(linkColumns),
        auditInsert(db, c, {
          action: 'integration.user_link.create',
          targetType: 'integration',
          targetId: itg.id,
          detail: { externalUserId: body.externalUserId, userId: user.id },
        }),
      ]);
      return c.json(inserted[0], 201);
    },
  )
  .delete(
    '/:id/user-links/:externalUserId',
    describeRoute({ tags, summary: 'Unlink a chat user', responses: { 204: noContent, ...errors(403, 404) } }),
    valid('param', ChatUserLinkParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const { id, externalUserId } = c.req.valid('param');
      const itg = await chatIntegration(db, auth, id);
      const where = and(
        eq(chatUserLinks.tenantId, auth.tenantId),
        eq(chatUserLinks.integrationId, itg.id),
        eq(chatUserLinks.externalUserId, externalUserId),
      );
      const existing = await db.select(linkColumns).from(chatUserLinks).where(where).get();
      if (!existing) throw notFound('user link');
      await db.batch([
        db.delete(chatUserLinks).where(where),
        auditInsert(db, c, { action: 'integration.user_link.delete', targetType: 'integration', targetId: itg.id, detail: { externalUserId, userId: existing.userId } }),
      ]);
      return c.body(null, 204);
    },
  );
