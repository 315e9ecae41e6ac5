import { Hono } from 'hono';
import type { AppEnv } from '../types';

// TODO: routes for tokens (owner fills in). Chain methods so the typed client sees them.
export const tokensRoutes = new Hono<AppEnv>();
