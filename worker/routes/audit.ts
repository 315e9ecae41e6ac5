import { Hono } from 'hono';
import type { AppEnv } from '../types';

// TODO: routes for audit (owner fills in). Chain methods so the typed client sees them.
export const auditRoutes = new Hono<AppEnv>();
