import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, eq } from 'drizzle-orm';
import type { AppEnv } from '../types';
import { devices, deviceTags, sites } from '../../db/schema';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { ApiError, notFound } from '../lib/errors';
import { assertClientVisible, requireRole } from '../lib/roles';
import { auditInsert } from '../lib/audit';
import { listDevices } from '../lib/device-query';
import { loadDevice } from '../lib/device-access';
import { deviceHub, tenantHub } from '../lib/hubs';
import { DeviceListQuery, MetricsQuery, UpdateDevice } from '../../protocol/api/devices';
import { deviceStateRoutes } from './device-state';
import { downsample } from '../lib/downsample';
import { deviceCommandRoutes } from './device-commands';
import { deviceLiveRoutes } from './device-live';
import { deviceChecksRoutes } from './device-checks';
import { deviceWarrantyRoutes } from './device-warranty';
import { deviceInventoryRoutes } from './device-inventory';
import { devicePatchRoutes } from './device-patches';
import { deviceLifecycleRoutes } from './device-lifecycle';
import { recompileAfterChange } from '../lib/check-compiler';
import { inventoryLeftovers } from '../lib/inventory/device-cleanup';

const IdParam = v.object({ id: v.pipe(v.string(), v.maxLength(64)) });

export const devicesRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({
      tags: ['devices'],
      summary: 'List devices with search, filters, sort and cursor pagination (up to 1000 a page)',
      responses: { 200: { description: 'page of devices' } },
    }),
    valid('query', DeviceListQuery),
    async (c) => c.json(await listDevices(c.var.db, c.var.auth, c.req.valid('query'))),
  )
  .get(
    '/:id',
    describeRoute({ tags: ['devices'], summary: 'A device and its live status', responses: { 200: { description: 'device' } } }),
    valid('param', IdParam),
    async (c) => {
      const device = await loadDevice(c.var.db, c.var.auth, c.req.valid('param').id);
      const live = await deviceHub(c.env, device.id)
        .getStatus()
        .catch((err: unknown) => {
          console.error('device hub status failed', device.id, err);
          return null;
        });
      return c.json({ device, live });
    },
  )
  .patch(
    '/:id',
    describeRoute({ tags: ['devices'], summary: 'Rename, move to another site, or set tags (technician+)', responses: { 200: { description: 'updated' } } }),
    valid('param', IdParam),
    valid('json', UpdateDevice),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const device = await loadDevice(db, auth, c.req.valid('param').id);
      const body = c.req.valid('json');
      const set: Partial<typeof devices.$inferInsert> = {};
      if (body.displayName !== undefined) set.displayName = body.displayName || null;
      if (body.siteId !== undefined && body.siteId !== device.siteId) {
        const site = await db
          .select({ id: sites.id, clientId: sites.clientId })
          .from(sites)
          .where(and(eq(sites.id, body.siteId), eq(sites.tenantId, auth.tenantId)))
          .get();
        if (!site) throw notFound('site');
        assertClientVisible(auth, site.clientId, 'site');
        set.siteId = site.id;
        set.clientId = site.clientId;
      }
      const ops = [];
      if (Object.keys(set).length) ops.push(db.update(devices).set(set).where(and(eq(devices.id, device.id), eq(devices.tenantId, auth.tenantId))));
      if (body.tags) {
        const tags = [...new Set(body.tags)];
        ops.push(db.delete(deviceTags).where(and(eq(deviceTags.deviceId, device.id), eq(deviceTags.tenantId, auth.tenantId))));
        if (tags.length) ops.push(db.insert(deviceTags).values(tags.map((tag) => ({ tenantId: auth.tenantId, deviceId: device.id, tag }))));
      }
      if (ops.length) {
        await db.batch([
          ...(ops as [(typeof ops)[number]]),
          auditInsert(db, c, { action: 'device.update', targetType: 'device', targetId: device.id, detail: { ...body } }),
        ]);
        // Its client, site and tags decide which check sets apply to it.
        if (set.siteId || body.tags) await recompileAfterChange(c, auth.tenantId, [device.id]);
      }
      return c.json({ device: await loadDevice(db, auth, device.id) });
    },
  )
  .delete(
    '/:id',
    describeRoute({
      tags: ['devices'],
      summary: 'Retire a device: revoke its token and disconnect its agent (admin+)',
      responses: { 204: { description: 'revoked' } },
    }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const device = await loadDevice(db, auth, c.req.valid('param').id);
      await db.batch([
        db.update(devices).set({ revokedAt: Date.now(), status: 'offline' }).where(and(eq(devices.id, device.id), eq(devices.tenantId, auth.tenantId))),
        ...inventoryLeftovers(db, auth.tenantId, device.id),
        auditInsert(db, c, { action: 'device.revoke', targetType: 'device', targetId: device.id, detail: { hostname: device.hostname } }),
      ]);
      await deviceHub(c.env, device.id).revoke();
      c.executionCtx.waitUntil(
        tenantHub(c.env, auth.tenantId)
          .publish({ t: 'device_removed', deviceId: device.id }, device.clientId)
          .catch((err: unknown) => console.error('publish device_removed failed', err)),
      );
      return c.body(null, 204);
    },
  )
  .get(
    '/:id/metrics',
    describeRoute({
      tags: ['devices'],
      summary: 'CPU, memory, disk, swap and network history: 1-minute points for 48 h, hourly for 90 days; `step` folds them',
      responses: { 200: { description: 'points' } },
    }),
    valid('param', IdParam),
    valid('query', MetricsQuery),
    async (c) => {
      const device = await loadDevice(c.var.db, c.var.auth, c.req.valid('param').id);
      const q = c.req.valid('query');
      const resolution = q.resolution ?? (q.step !== undefined && q.step >= 3600 ? 'hour' : 'minute');
      const to = q.to ?? Date.now();
      const from = q.from ?? to - (resolution === 'hour' ? 7 * 24 : 1) * 3600_000;
      if (from > to) throw new ApiError(400, 'validation_failed', 'from is after to', [{ path: 'from', message: 'must not be after to' }]);
      const points = await deviceHub(c.env, device.id).getMetrics({ from, to, resolution });
      return c.json({ points: q.step ? downsample(points, q.step * 1000) : points, resolution });
    },
  )
  .route('/', deviceCommandRoutes)
  .route('/', deviceChecksRoutes)
  .route('/', deviceWarrantyRoutes)
  .route('/', deviceLifecycleRoutes)
  .route('/', deviceStateRoutes)
  .route('/', deviceLiveRoutes)
  .route('/', deviceInventoryRoutes)
  .route('/', devicePatchRoutes);
