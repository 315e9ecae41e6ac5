import { Hono } from 'hono';
import type { AppEnv } from '../types';

// TODO: routes for enrollment-keys (owner fills in). Chain methods so the typed client sees them.
export const enrollmentKeysRoutes = new Hono<AppEnv>();
