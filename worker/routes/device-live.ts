import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import type { AppEnv } from '../types';
import { valid } from '../lib/validate';
import { loadDevice } from '../lib/device-access';
import { deviceHub, hubRequest } from '../lib/hubs';
import { assertDashboardSocket } from '../lib/socket-guard';

const IdParam = v.object({ id: v.pipe(v.string(), v.maxLength(64)) });

/** The device view socket: live metrics and command output. Mounted under /devices. */
export const deviceLiveRoutes = new Hono<AppEnv>().get(
  '/:id/live',
  describeRoute({
    tags: ['live'],
    summary: 'WebSocket: live metrics and command output of one device (DeviceViewFrame)',
    responses: { 101: { description: 'switching protocols' } },
  }),
  valid('param', IdParam),
  async (c) => {
    const { auth, db } = c.var;
    // Another tenant's device is a 404 before anything else is said about the request.
    const device = await loadDevice(db, auth, c.req.valid('param').id);
    assertDashboardSocket(c);
    return deviceHub(c.env, device.id).fetch(
      hubRequest(c.req.raw, { role: 'viewer', deviceId: device.id, tenantId: auth.tenantId, userId: auth.userId, clientId: device.clientId }),
    );
  },
);
