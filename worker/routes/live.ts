import { Hono } from 'hono';
import type { AppEnv } from '../types';

// TODO: routes for live (owner fills in). Chain methods so the typed client sees them.
export const liveRoutes = new Hono<AppEnv>();
