import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, eq } from 'drizzle-orm';
import type { AppEnv } from '../types';
import { deviceChecks } from '../../db/schema';
import { valid } from '../lib/validate';
import { requireRole } from '../lib/roles';
import { loadDevice } from '../lib/device-access';
import { deviceHub } from '../lib/hubs';
import { compileDeviceChecks } from '../lib/check-compiler';
import type { CompiledCheck } from '../../protocol/checks';
import type { CheckStateView, DeviceChecksView } from '../../protocol/api/check-sets';

const IdParam = v.object({ id: v.pipe(v.string(), v.maxLength(64)) });

/** A device's effective checks and their states: mounted under /devices. */
export const deviceChecksRoutes = new Hono<AppEnv>().get(
  '/:id/checks',
  describeRoute({
    tags: ['monitoring'],
    summary: "A device's effective checks, where each came from, and each one's current state",
    description:
      'Any role, for a device the caller may see. The checks are the ones last compiled and pushed to the device ' +
      '(`compiledAt`); a device never compiled is compiled on the fly (`compiledAt` null). `state` is null for a check ' +
      'not evaluated yet, and for every check when the device hub cannot be reached.',
    responses: { 200: { description: 'DeviceChecksView: `{ version, compiledAt, checks: [...check, setId, setName, escalationPolicyId, state] }`' } },
  }),
  valid('param', IdParam),
  async (c) => {
    const { auth, db } = c.var;
    requireRole(auth, 'readonly');
    const device = await loadDevice(db, auth, c.req.valid('param').id);
    const stored = await db
      .select({ version: deviceChecks.version, checks: deviceChecks.checks, compiledAt: deviceChecks.compiledAt })
      .from(deviceChecks)
      .where(and(eq(deviceChecks.tenantId, auth.tenantId), eq(deviceChecks.deviceId, device.id)))
      .get();
    let version: string | null = null;
    let compiledAt: number | null = null;
    let checks: CompiledCheck[] = [];
    if (stored) {
      ({ version, compiledAt } = stored);
      checks = stored.checks as CompiledCheck[];
    } else {
      const compiled = await compileDeviceChecks(db, auth.tenantId, device.id);
      if (compiled) ({ version, checks } = compiled);
    }
    const states: Record<string, CheckStateView> = await deviceHub(c.env, device.id)
      .getCheckStates()
      .catch((err: unknown) => {
        console.error('device hub check states failed', device.id, err);
        return {};
      });
    const view: DeviceChecksView = { version, compiledAt, checks: checks.map((check) => ({ ...check, state: states[check.key] ?? null })) };
    return c.json(view, 200);
  },
);
