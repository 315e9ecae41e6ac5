import { Hono } from 'hono';
import type { AppEnv } from '../types';

// TODO: routes for bootstrap (owner fills in). Chain methods so the typed client sees them.
export const bootstrapRoutes = new Hono<AppEnv>();
