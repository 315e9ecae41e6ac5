import type { AuthContext, Role } from '../../types';
import { badRequest, forbidden } from '../errors';

/**
 * The one client a portal caller answers for. requirePortalUser (middleware/portal.ts) has
 * already checked this; checking again here keeps a query from ever running unscoped.
 */
export function portalClientId(auth: AuthContext): string {
  const id = auth.clientIds?.[0];
  if (auth.role !== 'client' || auth.clientIds?.length !== 1 || !id) throw forbidden('the client portal is for client users');
  return id;
}

/**
 * A portal user answers for exactly one client: refuses a `client` role with no client
 * (which would mean every client) or several.
 */
export function assertPortalUserScope(user: { role: Role; clientIds: string[] | null }): void {
  if (user.role !== 'client' || user.clientIds?.length === 1) return;
  throw badRequest('a client (portal) user must be limited to exactly one client', [{ path: 'clientIds', message: 'give exactly one client id' }]);
}
