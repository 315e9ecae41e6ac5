import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../types';
import { requireAuth } from '../middleware/auth';
import { requireRole } from '../lib/roles';
import { tenantHub } from '../lib/hubs';

/** Operational figures for admins: how hard the tenant's hub is working. */
export const diagnosticsRoutes = new Hono<AppEnv>().use('*', requireAuth).get(
  '/tenant-hub',
  describeRoute({
    tags: ['diagnostics'],
    summary: "Calls the tenant's hub received since its instance started (status changes, check transitions, commands)",
    description: 'Admin or higher. A Durable Object handles about 1,000 requests/s; this shows how far below that the tenant is.',
    responses: { 200: { description: 'counters' } },
  }),
  async (c) => {
    requireRole(c.var.auth, 'admin');
    return c.json(await tenantHub(c.env, c.var.auth.tenantId).stats(), 200);
  },
);
