import { Hono } from 'hono';
import { describeRoute, resolver } from 'hono-openapi';
import { and, eq, gt, isNull, or, sql, lt } from 'drizzle-orm';
import type { AppEnv } from '../types';
import { devices, enrollmentKeys, tenants } from '../../db/schema';
import { valid } from '../lib/validate';
import { ApiError } from '../lib/errors';
import { newId } from '../lib/ids';
import { randomSecret, sha256Hex } from '../lib/crypto';
import { auditRow, clientIp } from '../lib/audit';
import { auditLog } from '../../db/schema';
import { deviceHub, hubRequest, isWebSocketUpgrade, tenantHub } from '../lib/hubs';
import { enforceRateLimits } from '../lib/rate-limit';
import { EnrollRequest, EnrollResponse } from '../../protocol/api/enrollment';
import { recompileAfterChange } from '../lib/check-compiler';
import { deviceFromToken } from '../lib/device-token';
import { agentPackagesRoutes } from './agent-packages';

/** Enough for a technician rolling out a site by script; a key-guessing flood stops here. */
const ENROLL_PER_IP = { max: 120, windowMs: 15 * 60_000 };

const refused = () => new ApiError(401, 'unauthorized', 'enrollment key is invalid, expired, revoked or used up');

export function heartbeatSeconds(env: Env): number {
  const n = Number(env.HEARTBEAT_SECONDS);
  return Number.isInteger(n) && n > 0 ? n : 30;
}

/** Endpoints the agent calls. Authenticated by enrollment key or device token, never by session. */
export const agentRoutes = new Hono<AppEnv>()
  .post(
    '/enroll',
    describeRoute({
      tags: ['agent'],
      summary: 'Exchange an enrollment key and machine facts for a device identity',
      responses: { 201: { description: 'enrolled', content: { 'application/json': { schema: resolver(EnrollResponse) } } } },
    }),
    async (c, next) => {
      // Before parsing: a flood of guesses costs one counter row per IP, nothing more.
      await enforceRateLimits(c.var.db, [{ key: `enroll:ip:${clientIp(c) ?? 'unknown'}`, ...ENROLL_PER_IP }]);
      await next();
    },
    valid('json', EnrollRequest),
    async (c) => {
      const db = c.var.db;
      const body = c.req.valid('json');
      const now = Date.now();
      const keyHash = await sha256Hex(body.key);
      // Claim one use atomically; the WHERE clause is the whole policy.
      const claimed = await db
        .update(enrollmentKeys)
        .set({ uses: sql`${enrollmentKeys.uses} + 1` })
        .where(
          and(
            eq(enrollmentKeys.keyHash, keyHash),
            isNull(enrollmentKeys.revokedAt),
            or(isNull(enrollmentKeys.expiresAt), gt(enrollmentKeys.expiresAt, now)),
            or(isNull(enrollmentKeys.maxUses), lt(enrollmentKeys.uses, enrollmentKeys.maxUses)),
          ),
        )
        .returning()
        .get();
      if (!claimed) throw refused();
      const tenant = await db.select().from(tenants).where(eq(tenants.id, claimed.tenantId)).get();
      if (!tenant) throw refused();
      const deviceToken = randomSecret('tdt');
      const device = {
        id: newId('dev'),
        tenantId: claimed.tenantId,
        clientId: claimed.clientId,
        siteId: claimed.siteId,
        hostname: body.hostname,
        displayName: null,
        osPlatform: body.os.platform,
        osName: body.os.distro,
        osVersion: body.os.release,
        kernel: body.os.kernel,
        arch: body.os.arch,
        agentVersion: body.agentVersion,
        tokenHash: await sha256Hex(deviceToken),
        status: 'offline' as const,
        lastSeenAt: null,
        statusChangedAt: now,
        ipAddresses: [],
        enrolledAt: now,
        enrollmentKeyId: claimed.id,
        revokedAt: null,
      };
      await db.batch([
        db.insert(devices).values(device),
        db.insert(auditLog).values(
          auditRow(
            { tenantId: claimed.tenantId, actorId: device.id, actorType: 'device' },
            {
              action: 'device.enroll',
              targetType: 'device',
              targetId: device.id,
              detail: { enrollmentKeyId: claimed.id, hostname: body.hostname, clientId: claimed.clientId, siteId: claimed.siteId },
            },
            clientIp(c),
          ),
        ),
      ]);
      // Its checks are in its hub before the agent first connects (a failure is logged, never fatal here).
      await recompileAfterChange(c, claimed.tenantId, [device.id]);
      c.executionCtx.waitUntil(
        tenantHub(c.env, claimed.tenantId)
          .publish({ t: 'device_added', deviceId: device.id }, claimed.clientId)
          .catch((err: unknown) => console.error('publish device_added failed', err)),
      );
      return c.json(
        {
          deviceId: device.id,
          deviceToken,
          tenantId: claimed.tenantId,
          signingPublicKey: tenant.signingPublicKey,
          heartbeatSeconds: heartbeatSeconds(c.env),
        },
        201,
      );
    },
  )
  .get(
    '/connect',
    describeRoute({
      tags: ['agent'],
      summary: 'The agent WebSocket (Authorization: Bearer <device token>)',
      responses: { 101: { description: 'switching protocols' }, 401: { description: 'bad token' } },
    }),
    async (c) => {
      if (!isWebSocketUpgrade(c.req.raw)) throw new ApiError(400, 'bad_request', 'expected a WebSocket upgrade');
      const device = await deviceFromToken(c.var.db, c.req.header('authorization'));
      return deviceHub(c.env, device.id).fetch(
        hubRequest(c.req.raw, { role: 'agent', deviceId: device.id, tenantId: device.tenantId, clientId: device.clientId }),
      );
    },
  )
  .route('/packages', agentPackagesRoutes);
