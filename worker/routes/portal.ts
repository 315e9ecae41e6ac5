import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { and, eq } from 'drizzle-orm';
import { clients, tenants, users } from '../../db/schema';
import { PortalMe } from '../../protocol/api/portal';
import type { AppEnv } from '../types';
import { requirePortalUser } from '../middleware/portal';
import { forbidden } from '../lib/errors';
import { errors, jsonBody } from '../lib/responses';
import { portalClientId } from '../lib/portal/scope';
import { portalTicketsRoutes } from './portal-tickets';
import { portalDevicesRoutes } from './portal-devices';

/*
 * The client portal (`/api/v1/portal`): users with the `client` role, each limited to one
 * client of the MSP. Every staff route refuses them (middleware/auth.ts) and this one
 * refuses everybody else (middleware/portal.ts).
 */

export const portalRoutes = new Hono<AppEnv>()
  .use('*', requirePortalUser)
  .get(
    '/me',
    describeRoute({
      tags: ['portal'],
      summary: 'The signed-in portal user, their client and the MSP',
      responses: { 200: jsonBody('the caller', PortalMe), ...errors(401, 403) },
    }),
    async (c) => {
      const { auth, db } = c.var;
      const row = await db
        .select({
          user: { id: users.id, email: users.email, name: users.name },
          client: { id: clients.id, name: clients.name },
          tenant: { id: tenants.id, name: tenants.name },
        })
        .from(users)
        .innerJoin(tenants, eq(tenants.id, users.tenantId))
        .innerJoin(clients, and(eq(clients.id, portalClientId(auth)), eq(clients.tenantId, users.tenantId)))
        .where(and(eq(users.id, auth.userId), eq(users.tenantId, auth.tenantId)))
        .get();
      if (!row) throw forbidden('this portal account is not linked to a client');
      return c.json(row satisfies PortalMe, 200);
    },
  )
  .route('/tickets', portalTicketsRoutes)
  .route('/devices', portalDevicesRoutes);
