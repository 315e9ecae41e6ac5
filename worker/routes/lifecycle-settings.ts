import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { eq } from 'drizzle-orm';
import { tenants } from '../../db/schema';
import { LifecycleSettings } from '../../protocol/api/lifecycle';
import type { AppEnv } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { requireRole } from '../lib/roles';
import { auditInsert } from '../lib/audit';
import { errors, jsonBody } from '../lib/responses';
import { replaceAfterYears } from '../lib/lifecycle/load';

const tags = ['lifecycle'];

/** The age at which the tenant's devices are due for replacement. */
export const lifecycleSettingsRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({
      tags,
      summary: 'The replacement age in years (a poor health score brings a device’s replacement forward)',
      description: 'Read-only or higher.',
      responses: { 200: jsonBody('the settings', LifecycleSettings), ...errors(401, 403) },
    }),
    async (c) => {
      requireRole(c.var.auth, 'readonly');
      const settings: LifecycleSettings = { replaceAfterYears: await replaceAfterYears(c.var.db, c.var.auth.tenantId) };
      return c.json(settings, 200);
    },
  )
  .put(
    '/',
    describeRoute({
      tags,
      summary: 'Change the replacement age (1–15 years)',
      description: 'Admin or higher; audited.',
      responses: { 200: jsonBody('the settings', LifecycleSettings), ...errors(400, 401, 403) },
    }),
    valid('json', LifecycleSettings),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const after = c.req.valid('json');
      const before: LifecycleSettings = { replaceAfterYears: await replaceAfterYears(db, auth.tenantId) };
      await db.batch([
        db.update(tenants).set({ replaceAfterYears: after.replaceAfterYears }).where(eq(tenants.id, auth.tenantId)),
        auditInsert(db, c, { action: 'settings.lifecycle.update', targetType: 'tenant', targetId: auth.tenantId, detail: { before, after } }),
      ]);
      return c.json(after, 200);
    },
  );
