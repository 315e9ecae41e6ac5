import { Hono } from 'hono';
import type { AppEnv } from '../types';

// TODO: routes for users (owner fills in). Chain methods so the typed client sees them.
export const usersRoutes = new Hono<AppEnv>();
