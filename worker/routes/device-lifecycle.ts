import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { eq } from 'drizzle-orm';
import type { AppEnv } from '../types';
import { devices } from '../../db/schema';
import { valid } from '../lib/validate';
import { requireRole } from '../lib/roles';
import { notFound } from '../lib/errors';
import { errors, jsonBody } from '../lib/responses';
import { loadFacts, replaceAfterYears } from '../lib/lifecycle/load';
import { scoreLifecycle } from '../lib/lifecycle/score';
import { DeviceLifecycle } from '../../protocol/api/lifecycle';

const IdParam = v.object({ id: v.pipe(v.string(), v.maxLength(64)) });

/** One device's lifecycle: mounted under /devices. */
export const deviceLifecycleRoutes = new Hono<AppEnv>().get(
  '/:id/lifecycle',
  describeRoute({
    tags: ['lifecycle'],
    summary: 'A device’s age, health score with its components, grade and replacement forecast',
    description:
      'Read-only or higher, for a device the caller may see. Components with nothing to judge (no SMART verdict, no ' +
      'warranty on record…) have a null score and weight 0; the others’ weights are rescaled to sum to 1.',
    responses: { 200: jsonBody('the lifecycle', DeviceLifecycle), ...errors(401, 403, 404) },
  }),
  valid('param', IdParam),
  async (c) => {
    const { auth, db } = c.var;
    requireRole(auth, 'readonly');
    const now = Date.now();
    const [years, [facts]] = await Promise.all([replaceAfterYears(db, auth.tenantId), loadFacts(db, auth, now, eq(devices.id, c.req.valid('param').id))]);
    if (!facts) throw notFound('device');
    const view: DeviceLifecycle = { deviceId: facts.deviceId, ...scoreLifecycle(facts, now, years) };
    return c.json(view, 200);
  },
);
