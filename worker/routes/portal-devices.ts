import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { devices, sites } from '../../db/schema';
import { PortalDeviceListQuery, PortalDevicePage, type PortalDevice } from '../../protocol/api/portal';
import type { AppEnv } from '../types';
import { valid } from '../lib/validate';
import { DEFAULT_LIMIT, toPage } from '../lib/pagination';
import { afterName, byName, matches, nameKey } from '../lib/list-query';
import { errors, jsonBody } from '../lib/responses';
import { portalClientId } from '../lib/portal/scope';

/*
 * The client's devices, read-only and reduced to what a client may know: name, OS, site,
 * online or not, and how many alerts are open (the alerts themselves are the MSP's).
 */

const d = devices;
const name = sql<string>`coalesce(${d.displayName}, ${d.hostname})`;

export const portalDevicesRoutes = new Hono<AppEnv>().get(
  '/',
  describeRoute({
    tags: ['portal'],
    summary: 'The client’s devices by name, with status and the count of open alerts',
    description: '`q` searches the name and hostname.',
    responses: { 200: jsonBody('a page of devices', PortalDevicePage), ...errors(400, 401, 403) },
  }),
  valid('query', PortalDeviceListQuery),
  async (c) => {
    const { auth, db } = c.var;
    const q = c.req.valid('query');
    const limit = q.limit ?? DEFAULT_LIMIT;
    const rows = await db
      .select({
        id: d.id,
        name,
        osName: d.osName,
        osVersion: d.osVersion,
        siteName: sites.name,
        status: d.status,
        lastSeenAt: d.lastSeenAt,
        openAlerts: sql<number>`(SELECT count(*) FROM alerts a WHERE a.tenant_id = ${d.tenantId} AND a.device_id = ${d.id} AND a.status <> 'resolved')`,
      })
      .from(d)
      .leftJoin(sites, and(eq(sites.id, d.siteId), eq(sites.tenantId, d.tenantId)))
      .where(
        and(
          eq(d.tenantId, auth.tenantId),
          eq(d.clientId, portalClientId(auth)),
          isNull(d.revokedAt),
          matches(q.q, d.hostname, d.displayName),
          afterName(q.cursor, name, d.id),
        ),
      )
      .orderBy(...byName(name, d.id))
      .limit(limit + 1)
      .all();
    const page = toPage(rows, limit, nameKey);
    const items = page.items.map(({ osName, osVersion, ...r }): PortalDevice => ({ ...r, os: `${osName} ${osVersion}`.trim() || null }));
    return c.json({ items, nextCursor: page.nextCursor }, 200);
  },
);
