import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../types';

export const healthRoutes = new Hono<AppEnv>().get(
  '/',
  describeRoute({ tags: ['system'], summary: 'Liveness check', responses: { 200: { description: 'ok' } } }),
  (c) => c.json({ ok: true, time: Date.now() }),
);
