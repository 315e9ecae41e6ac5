import { Hono } from 'hono';
import type { AppEnv } from '../types';

// TODO: POST /agent/enroll and GET /agent/connect.
export const agentRoutes = new Hono<AppEnv>();
