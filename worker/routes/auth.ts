import { Hono } from 'hono';
import type { AppEnv } from '../types';

// TODO: routes for auth (owner fills in). Chain methods so the typed client sees them.
export const authRoutes = new Hono<AppEnv>();
