import { Hono } from 'hono';
import type { AppEnv } from '../types';

// TODO: routes for sites (owner fills in). Chain methods so the typed client sees them.
export const sitesRoutes = new Hono<AppEnv>();
