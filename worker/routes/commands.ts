import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import type { AppEnv } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { requireRole } from '../lib/roles';
import { errors } from '../lib/responses';
import { loadCommand } from '../lib/command-view';
import { commandHistory } from '../lib/commands/history';
import { fetchedFile } from '../lib/commands/fetched-file';
import { contentDisposition } from '../lib/tickets/files';
import { CommandHistoryQuery } from '../../protocol/api/commands';
import { audit } from '../lib/audit';
import { ApiError } from '../lib/errors';
import { deviceHub } from '../lib/hubs';

const IdParam = v.object({ id: v.pipe(v.string(), v.maxLength(64)) });
const tags = ['commands'];

export const commandsRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({
      tags,
      summary: 'Command history: every command of the tenant on devices the caller may see, newest first (output omitted)',
      description:
        'Read-only or higher. Filters: deviceId, scriptId, jobId, createdBy, type, status, from/to (ms, on createdAt); `q` matches the hostname, the label (a script’s name) or the type. Secret parameter values show as ******.',
      responses: { 200: { description: 'a page of commands, each with hostname and createdByName' }, ...errors(400, 401) },
    }),
    valid('query', CommandHistoryQuery),
    async (c) => {
      requireRole(c.var.auth, 'readonly');
      return c.json(await commandHistory(c.var.db, c.var.auth, c.req.valid('query')), 200);
    },
  )
  .get(
    '/:id',
    describeRoute({
      tags,
      summary: 'A command with its status, exit code and output (up to 1 MiB, live while it runs), label, script version and job',
      responses: { 200: { description: 'command' } },
    }),
    valid('param', IdParam),
    async (c) => c.json({ command: await loadCommand(c.var.db, c.env, c.var.auth, c.req.valid('param').id) }),
  )
  .post(
    '/:id/cancel',
    describeRoute({
      tags,
      summary: 'Cancel a command still waiting for its device (technician+)',
      description:
        '409 once the command has left for the device (it may already be running there; its result is reported) or has finished.',
      responses: { 200: { description: 'the cancelled command' }, ...errors(401, 403, 404, 409) },
    }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const command = await loadCommand(db, c.env, auth, c.req.valid('param').id);
      const outcome = await deviceHub(c.env, command.deviceId).cancelCommand(command.id);
      if (outcome === 'sent') throw new ApiError(409, 'conflict', 'the command was already sent to the device and cannot be cancelled');
      if (outcome !== 'cancelled') throw new ApiError(409, 'conflict', `the command is ${command.status} and cannot be cancelled`);
      await audit(c, { action: 'command.cancel', targetType: 'device', targetId: command.deviceId, detail: { commandId: command.id, label: command.label } });
      return c.json({ command: await loadCommand(db, c.env, auth, command.id) }, 200);
    },
  )
  .get(
    '/:id/file',
    describeRoute({
      tags,
      summary: 'The file a succeeded fetch_file command brought back, as a download',
      description: '404 for any other command, or when the output is not an intact file (truncated, or not matching its size and SHA-256).',
      responses: { 200: { description: 'the file (application/octet-stream)' }, ...errors(401, 404) },
    }),
    valid('param', IdParam),
    async (c) => {
      const command = await loadCommand(c.var.db, c.env, c.var.auth, c.req.valid('param').id);
      const file = await fetchedFile(command);
      return c.body(file.bytes, 200, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(file.bytes.length),
        'Content-Disposition': contentDisposition(file.name),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cache-Control': 'private, no-store',
      });
    },
  );
