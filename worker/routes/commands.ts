import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import type { AppEnv } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { loadCommand } from '../lib/command-view';

const IdParam = v.object({ id: v.pipe(v.string(), v.maxLength(64)) });

export const commandsRoutes = new Hono<AppEnv>().use('*', requireAuth).get(
  '/:id',
  describeRoute({
    tags: ['commands'],
    summary: 'A command with its status, exit code and output (up to 1 MiB, live while it runs)',
    responses: { 200: { description: 'command' } },
  }),
  valid('param', IdParam),
  async (c) => c.json({ command: await loadCommand(c.var.db, c.env, c.var.auth, c.req.valid('param').id) }),
);
