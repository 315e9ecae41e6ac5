import { Hono } from 'hono';
import type { AppEnv } from '../types';

// TODO: routes for groups (owner fills in). Chain methods so the typed client sees them.
export const groupsRoutes = new Hono<AppEnv>();
