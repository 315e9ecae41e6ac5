import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../types';
import { requireAuth } from '../middleware/auth';
import { hubRequest, tenantHub } from '../lib/hubs';
import { assertDashboardSocket } from '../lib/socket-guard';

/** The tenant feed socket: device status changes and command events (TenantFeedFrame). */
export const liveRoutes = new Hono<AppEnv>().use('*', requireAuth).get(
  '/',
  describeRoute({
    tags: ['live'],
    summary: 'WebSocket: live device status and command events of the tenant',
    responses: { 101: { description: 'switching protocols' } },
  }),
  async (c) => {
    assertDashboardSocket(c);
    const { auth } = c.var;
    return tenantHub(c.env, auth.tenantId).fetch(
      hubRequest(c.req.raw, {
        role: 'viewer',
        tenantId: auth.tenantId,
        userId: auth.userId,
        clientIds: JSON.stringify(auth.clientIds),
      }),
    );
  },
);
