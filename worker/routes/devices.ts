import { Hono } from 'hono';
import type { AppEnv } from '../types';

// TODO: routes for devices (owner fills in). Chain methods so the typed client sees them.
export const devicesRoutes = new Hono<AppEnv>();
