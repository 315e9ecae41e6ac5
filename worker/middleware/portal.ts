import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../types';
import { ApiError, forbidden } from '../lib/errors';
import { resolveAuth } from './auth';

/*
 * The client portal's door: only portal users (role `client`) signed in with a session.
 * Staff are refused, since the portal answers for exactly one client and staff see many;
 * API tokens are refused, since portal users cannot create them and a staff token narrowed
 * to `client` is not a portal user.
 */
export const requirePortalUser = createMiddleware<AppEnv>(async (c, next) => {
  const auth = await resolveAuth(c);
  if (!auth) throw new ApiError(401, 'unauthorized', 'sign in to the client portal');
  if (auth.role !== 'client') throw forbidden('the client portal is for client users; staff use the dashboard');
  if (auth.actorType !== 'user') throw forbidden('the client portal takes a signed-in session, not an API token');
  // A portal user whose client was deleted (its id removed from the user) has nothing to see.
  if (auth.clientIds?.length !== 1) throw forbidden('this portal account is not linked to a client');
  c.set('auth', auth);
  await next();
});
