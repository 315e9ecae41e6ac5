import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, desc, eq } from 'drizzle-orm';
import type { AppEnv } from '../types';
import { commands } from '../../db/schema';
import { valid } from '../lib/validate';
import { ApiError } from '../lib/errors';
import { requireRole } from '../lib/roles';
import { auditInsert } from '../lib/audit';
import { newId } from '../lib/ids';
import { loadDevice } from '../lib/device-access';
import { deviceHub } from '../lib/hubs';
import { signCommand } from '../lib/command-signing';
import { toCommand } from '../lib/command-view';
import { toPage } from '../lib/pagination';
import { beforeId, idKey } from '../lib/list-query';
import { CommandListQuery, CreateCommand } from '../../protocol/api/devices';
import { DEFAULT_COMMAND_TTL_SECONDS } from '../../protocol/limits';

const IdParam = v.object({ id: v.pipe(v.string(), v.maxLength(64)) });

/** What the audit row says of a command: never the script text or argument values. */
function auditSummary(body: CreateCommand): Record<string, unknown> {
  switch (body.type) {
    case 'run_script':
      return { interpreter: body.params.interpreter, args: body.params.args.length };
    case 'service':
      return { service: body.params.name, action: body.params.action };
    case 'kill_process':
      return { pid: body.params.pid, name: body.params.name ?? null, force: body.params.force };
  }
}

/** Commands for one device: mounted under /devices. */
export const deviceCommandRoutes = new Hono<AppEnv>()
  .post(
    '/:id/commands',
    describeRoute({
      tags: ['commands'],
      summary: 'Queue a signed command for a device (technician+); delivered now or when it reconnects, until it expires',
      responses: { 202: { description: 'queued' } },
    }),
    valid('param', IdParam),
    valid('json', CreateCommand),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const device = await loadDevice(db, auth, c.req.valid('param').id);
      const body = c.req.valid('json');
      const now = Date.now();
      const id = newId('cmd', now);
      const expiresAt = now + (body.ttlSeconds ?? DEFAULT_COMMAND_TTL_SECONDS) * 1000;
      const { signed } = await signCommand(db, c.env, {
        type: body.type,
        id,
        deviceId: device.id,
        tenantId: auth.tenantId,
        issuedAt: now,
        expiresAt,
        params: body.params,
      });
      const row = {
        id,
        tenantId: auth.tenantId,
        deviceId: device.id,
        type: body.type,
        params: body.params as Record<string, unknown>,
        status: 'queued',
        createdBy: auth.actorId,
        createdAt: now,
        expiresAt,
        finishedAt: null,
        exitCode: null,
        durationMs: null,
        output: null,
        truncated: false,
        error: null,
      };
      await db.batch([
        db.insert(commands).values(row),
        auditInsert(db, c, {
          action: 'command.create',
          targetType: 'device',
          targetId: device.id,
          detail: { commandId: id, type: body.type, ...auditSummary(body) },
        }),
      ]);
      // The hub persists the command before it answers, so a 202 means it will be delivered.
      try {
        const { delivered } = await deviceHub(c.env, device.id).enqueue(
          { id, type: body.type, signed, createdAt: now, expiresAt },
          { tenantId: auth.tenantId, deviceId: device.id, clientId: device.clientId },
        );
        return c.json({ command: toCommand({ ...row, status: delivered ? 'delivered' : 'queued' }) }, 202);
      } catch (err) {
        console.error('enqueue failed', id, err);
        await db.update(commands).set({ status: 'failed', error: 'could not queue the command' }).where(eq(commands.id, id));
        throw new ApiError(500, 'internal', 'could not queue the command; nothing was sent');
      }
    },
  )
  .get(
    '/:id/commands',
    describeRoute({ tags: ['commands'], summary: "A device's commands, newest first (output omitted)", responses: { 200: { description: 'page' } } }),
    valid('param', IdParam),
    valid('query', CommandListQuery),
    async (c) => {
      const { auth, db } = c.var;
      const device = await loadDevice(db, auth, c.req.valid('param').id);
      const q = c.req.valid('query');
      const limit = q.limit ?? 50;
      const rows = await db
        .select()
        .from(commands)
        .where(
          and(eq(commands.tenantId, auth.tenantId), eq(commands.deviceId, device.id), beforeId(q.cursor, commands.id)),
        )
        .orderBy(desc(commands.id))
        .limit(limit + 1);
      const page = toPage(rows, limit, idKey);
      return c.json({ items: page.items.map((r) => toCommand(r, false)), nextCursor: page.nextCursor });
    },
  );
