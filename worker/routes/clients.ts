import { Hono } from 'hono';
import type { AppEnv } from '../types';

// TODO: routes for clients (owner fills in). Chain methods so the typed client sees them.
export const clientsRoutes = new Hono<AppEnv>();
