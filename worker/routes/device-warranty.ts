import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, eq } from 'drizzle-orm';
import type { AppEnv } from '../types';
import { deviceAssets, deviceWarranties } from '../../db/inventory-schema';
import { valid } from '../lib/validate';
import { requireRole } from '../lib/roles';
import { loadDevice } from '../lib/device-access';
import { auditInsert } from '../lib/audit';
import { errors, jsonBody, noContent } from '../lib/responses';
import { notFound } from '../lib/errors';
import { deviceWarrantyView } from '../lib/warranty/device-view';
import { recheckAssetAlerts } from '../lib/warranty/recheck';
import { upsertRecord } from '../lib/warranty/store';
import { DeviceWarrantyView, PutDeviceAsset, PutManualWarranty } from '../../protocol/api/warranties';

const IdParam = v.object({ id: v.pipe(v.string(), v.maxLength(64)) });
const tags = ['assets'];

/** A device's warranty records and asset facts: mounted under /devices. */
export const deviceWarrantyRoutes = new Hono<AppEnv>()
  .get(
    '/:id/warranty',
    describeRoute({
      tags,
      summary: "A device's warranties (one per source), its coverage end and days left, and its asset facts",
      responses: { 200: jsonBody('DeviceWarrantyView', DeviceWarrantyView), ...errors(401, 404) },
    }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      const device = await loadDevice(db, auth, c.req.valid('param').id);
      return c.json(await deviceWarrantyView(db, auth.tenantId, device.id), 200);
    },
  )
  .put(
    '/:id/warranty',
    describeRoute({
      tags,
      summary: 'Set the manual warranty record (technician+); other sources are kept beside it',
      responses: { 200: jsonBody('DeviceWarrantyView', DeviceWarrantyView), ...errors(400, 401, 403, 404) },
    }),
    valid('param', IdParam),
    valid('json', PutManualWarranty),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const device = await loadDevice(db, auth, c.req.valid('param').id);
      const body = c.req.valid('json');
      const record = { source: 'manual', vendor: body.vendor, start: body.start ?? null, end: body.end, description: body.description ?? null, fetchedAt: Date.now() } as const;
      await db.batch([
        upsertRecord(db, auth.tenantId, device.id, record, auth.actorId),
        auditInsert(db, c, { action: 'warranty.set', targetType: 'device', targetId: device.id, detail: { vendor: body.vendor, start: record.start, end: body.end } }),
      ]);
      recheckAssetAlerts(c);
      return c.json(await deviceWarrantyView(db, auth.tenantId, device.id), 200);
    },
  )
  .delete(
    '/:id/warranty',
    describeRoute({
      tags,
      summary: 'Remove the manual warranty record (technician+); 404 when there is none',
      responses: { 204: noContent, ...errors(401, 403, 404) },
    }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const device = await loadDevice(db, auth, c.req.valid('param').id);
      const mine = and(eq(deviceWarranties.tenantId, auth.tenantId), eq(deviceWarranties.deviceId, device.id), eq(deviceWarranties.source, 'manual'));
      const found = await db.select({ end: deviceWarranties.end }).from(deviceWarranties).where(mine).get();
      if (!found) throw notFound('manual warranty');
      await db.batch([
        db.delete(deviceWarranties).where(mine),
        auditInsert(db, c, { action: 'warranty.delete', targetType: 'device', targetId: device.id, detail: { source: 'manual', end: found.end } }),
      ]);
      recheckAssetAlerts(c);
      return c.body(null, 204);
    },
  )
  .put(
    '/:id/asset',
    describeRoute({
      tags,
      summary: "Set a device's purchase date, asset tag and notes (technician+); a field left out keeps its value",
      responses: { 200: jsonBody('DeviceWarrantyView', DeviceWarrantyView), ...errors(400, 401, 403, 404) },
    }),
    valid('param', IdParam),
    valid('json', PutDeviceAsset),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const device = await loadDevice(db, auth, c.req.valid('param').id);
      const body = c.req.valid('json');
      const set: Partial<typeof deviceAssets.$inferInsert> = { updatedAt: Date.now(), updatedBy: auth.actorId };
      if (body.purchaseDate !== undefined) set.purchaseDate = body.purchaseDate;
      if (body.assetTag !== undefined) set.assetTag = body.assetTag || null;
      if (body.notes !== undefined) set.notes = body.notes || null;
      await db.batch([
        db
          .insert(deviceAssets)
          .values({ tenantId: auth.tenantId, deviceId: device.id, updatedAt: set.updatedAt!, updatedBy: auth.actorId, ...set })
          .onConflictDoUpdate({ target: deviceAssets.deviceId, set, setWhere: eq(deviceAssets.tenantId, auth.tenantId) }),
        auditInsert(db, c, { action: 'device.asset_update', targetType: 'device', targetId: device.id, detail: { ...body } }),
      ]);
      return c.json(await deviceWarrantyView(db, auth.tenantId, device.id), 200);
    },
  );
