import type { Context } from 'hono';
import type { AppEnv } from '../types';
import { ApiError } from './errors';
import { isWebSocketUpgrade } from './hubs';
import { originAllowed } from '../middleware/origin';

/**
 * Dashboard sockets ride on the session cookie, which any page could make the browser
 * send: so the Origin must be ours (Bearer-token callers carry no ambient credential).
 */
export function assertDashboardSocket(c: Context<AppEnv>): void {
  if (!isWebSocketUpgrade(c.req.raw)) throw new ApiError(400, 'bad_request', 'expected a WebSocket upgrade');
  if (c.var.auth.actorType === 'user' && !originAllowed(c)) {
    throw new ApiError(403, 'forbidden', 'WebSocket origin not allowed');
  }
}
