import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../types';
import { IdParam } from '../../protocol/api/common';
import { DevicePatches } from '../../protocol/api/patches';
import { valid } from '../lib/validate';
import { requireRole } from '../lib/roles';
import { loadDevice } from '../lib/device-access';
import { errors, jsonBody } from '../lib/responses';
import { devicePatches } from '../lib/patches/device-view';

/** A device's missing updates with their approval: mounted under /devices. */
export const devicePatchRoutes = new Hono<AppEnv>().get(
  '/:id/patches',
  describeRoute({
    tags: ['patches'],
    summary: "A device's missing updates from its last scan, each with its approval (decision or policy)",
    description: 'Any staff role, for a device the caller may see. `scannedAt` is null until the device has reported a scan.',
    responses: { 200: jsonBody('DevicePatches', DevicePatches), ...errors(401, 403, 404) },
  }),
  valid('param', IdParam),
  async (c) => {
    const { auth, db } = c.var;
    requireRole(auth, 'readonly');
    const device = await loadDevice(db, auth, c.req.valid('param').id);
    return c.json(await devicePatches(db, auth, device.id, Date.now()));
  },
);
