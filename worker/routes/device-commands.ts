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
import { prepareCommand } from '../lib/commands/prepare';
import { auditDetail } from '../lib/commands/audit-detail';
import type { CommandPayload } from '../../protocol/command';
import { toPage } from '../lib/pagination';
import { beforeId, idKey } from '../lib/list-query';
import { CommandListQuery, CreateCommand } from '../../protocol/api/devices';
import { DEFAULT_COMMAND_TTL_SECONDS } from '../../protocol/limits';

const IdParam = v.object({ id: v.pipe(v.string(), v.maxLength(64)) });

/** Commands for one device: mounted under /devices. */
export const deviceCommandRoutes = new Hono<AppEnv>()
  .post(
    '/:id/commands',
    describeRoute({
      tags: ['commands'],
      summary: 'Queue a signed command for a device (technician+); delivered now or when it reconnects, until it expires',
      description:
        'Technician or higher, every type (power, fetch_file and registry_read included: each is audited with its parameters). `script` runs a library script at a version (default the latest) with typed `values`, checked against its parameters (400 naming the value); secret values are signed for the agent but stored and audited as ******.',
      responses: { 202: { description: 'queued' } },
    }),
    valid('param', IdParam),
    valid('json', CreateCommand),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const device = await loadDevice(db, auth, c.req.valid('param').id);
      const body = c.req.valid('json');
      const { ttlSeconds, ...spec } = body;
      const prepared = await prepareCommand(db, auth, spec);
      const now = Date.now();
      const id = newId('cmd', now);
      const expiresAt = now + (ttlSeconds ?? DEFAULT_COMMAND_TTL_SECONDS) * 1000;
      const { signed } = await signCommand(db, c.env, {
        type: prepared.type,
        id,
        deviceId: device.id,
        tenantId: auth.tenantId,
        issuedAt: now,
        expiresAt,
        params: prepared.params,
      } as Omit<CommandPayload, 'v' | 'nonce'>);
      const row = {
        id,
        tenantId: auth.tenantId,
        deviceId: device.id,
        type: prepared.type,
        params: prepared.stored as Record<string, unknown>,
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
        jobId: null,
        scriptId: prepared.scriptId,
        scriptVersion: prepared.scriptVersion,
        label: prepared.label,
      };
      await db.batch([
        db.insert(commands).values(row),
        auditInsert(db, c, {
          action: 'command.create',
          targetType: 'device',
          targetId: device.id,
          detail: { commandId: id, ...auditDetail(prepared) },
        }),
      ]);
      // The hub persists the command before it answers, so a 202 means it will be delivered.
      try {
        const { delivered } = await deviceHub(c.env, device.id).enqueue(
          { id, type: prepared.type, signed, createdAt: now, expiresAt },
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
