import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { eq } from 'drizzle-orm';
import { tenants } from '../../db/schema';
import { AutomationSettings, UpdateAutomationSettings } from '../../protocol/api/jobs';
import type { AppEnv, Db } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { notFound } from '../lib/errors';
import { requireRole } from '../lib/roles';
import { auditInsert } from '../lib/audit';
import { errors, jsonBody } from '../lib/responses';

const tags = ['jobs'];

async function load(db: Db, tenantId: string): Promise<AutomationSettings> {
  const row = await db
    .select({ approvalThreshold: tenants.approvalThreshold, historyRetentionDays: tenants.historyRetentionDays })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .get();
  if (!row) throw notFound('tenant');
  return row;
}

/** The tenant's approval threshold for bulk jobs and how long command history is kept. */
export const automationSettingsRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({
      tags,
      summary: 'The approval threshold for bulk jobs and the command history retention',
      description: 'Technician or higher.',
      responses: { 200: jsonBody('the settings', AutomationSettings), ...errors(401, 403) },
    }),
    async (c) => {
      requireRole(c.var.auth, 'technician');
      return c.json(await load(c.var.db, c.var.auth.tenantId), 200);
    },
  )
  .patch(
    '/',
    describeRoute({
      tags,
      summary: 'Change the approval threshold or the history retention',
      description: 'Admin or higher.',
      responses: { 200: jsonBody('the settings', AutomationSettings), ...errors(400, 401, 403) },
    }),
    valid('json', UpdateAutomationSettings),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const body = c.req.valid('json');
      const before = await load(db, auth.tenantId);
      const after = { ...before, ...body };
      await db.batch([
        db.update(tenants).set(after).where(eq(tenants.id, auth.tenantId)),
        auditInsert(db, c, { action: 'settings.automation.update', targetType: 'tenant', targetId: auth.tenantId, detail: { before, after } }),
      ]);
      return c.json(after, 200);
    },
  );
