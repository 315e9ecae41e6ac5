import { Hono } from 'hono';
import type { AppEnv } from '../types';

// TODO: routes for commands (owner fills in). Chain methods so the typed client sees them.
export const commandsRoutes = new Hono<AppEnv>();
