import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { AppEnv } from '../types';
import { devices, deviceTags } from '../../db/schema';
import { requireAuth } from '../middleware/auth';
import { clientFilter } from '../lib/roles';

/** Tags in use across the caller's devices, with how many devices carry each. */
export const tagsRoutes = new Hono<AppEnv>().use('*', requireAuth).get(
  '/',
  describeRoute({ tags: ['devices'], summary: 'Tags in use, with device counts', responses: { 200: { description: 'tags' } } }),
  async (c) => {
    const { auth, db } = c.var;
    const items = await db
      .select({ tag: deviceTags.tag, count: sql<number>`count(*)` })
      .from(deviceTags)
      .innerJoin(devices, eq(devices.id, deviceTags.deviceId))
      .where(and(eq(deviceTags.tenantId, auth.tenantId), isNull(devices.revokedAt), clientFilter(auth, devices.clientId)))
      .groupBy(deviceTags.tag)
      .orderBy(deviceTags.tag);
    return c.json({ items });
  },
);
