import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { and, eq } from 'drizzle-orm';
import { deliveries } from '../../db/integrations-schema';
import { IdParam } from '../../protocol/api/common';
import { Delivery, DeliveryResult } from '../../protocol/api/integrations';
import type { AppEnv } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { notFound } from '../lib/errors';
import { requireRole } from '../lib/roles';
import { audit } from '../lib/audit';
import { errors, jsonBody } from '../lib/responses';
import { requireAllClients } from '../lib/check-targets';
import { tenantHub } from '../lib/hubs';

const tags = ['integrations'];
const WHO = 'Admin or higher, not limited to clients.';

/** One delivery of the outbox: its body, and a manual redelivery. */
export const deliveriesRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/:id',
    describeRoute({
      tags,
      summary: 'One delivery, with the exact body sent',
      description: `${WHO} Signatures travel in headers, so the payload holds no secret.`,
      responses: { 200: jsonBody('the delivery', Delivery), ...errors(401, 403, 404) },
    }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      requireAllClients(auth, 'a delivery');
      const row = await db
        .select()
        .from(deliveries)
        .where(and(eq(deliveries.tenantId, auth.tenantId), eq(deliveries.id, c.req.valid('param').id)))
        .get();
      if (!row) throw notFound('delivery');
      const { tenantId: _t, ...view } = row;
      return c.json(view, 200);
    },
  )
  .post(
    '/:id/redeliver',
    describeRoute({
      tags,
      summary: 'Send a delivery again now',
      description: `${WHO} One more attempt, whatever its status (a delivered one is sent again). Automatic retries still running go on; otherwise a failed manual attempt leaves it dead.`,
      responses: { 200: jsonBody('the attempt', DeliveryResult), ...errors(401, 403, 404) },
    }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      requireAllClients(auth, 'a delivery');
      const { id } = c.req.valid('param');
      const row = await db
        .select({ id: deliveries.id, integrationId: deliveries.integrationId })
        .from(deliveries)
        .where(and(eq(deliveries.tenantId, auth.tenantId), eq(deliveries.id, id)))
        .get();
      if (!row) throw notFound('delivery');
      const result = await tenantHub(c.env, auth.tenantId).redeliver(id);
      if (!result) throw notFound('delivery');
      await audit(c, { action: 'delivery.redeliver', targetType: 'delivery', targetId: id, detail: { integrationId: row.integrationId, status: result.status } });
      return c.json(result, 200);
    },
  );
