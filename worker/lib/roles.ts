import type { SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { inIds } from './sql-helpers';
import { ROLE_RANK, type AuthContext, type Role } from '../types';
import { forbidden, notFound } from './errors';

export function hasRole(auth: AuthContext, min: Role): boolean {
  return ROLE_RANK[auth.role] >= ROLE_RANK[min];
}

export function requireRole(auth: AuthContext, min: Role): void {
  if (!hasRole(auth, min)) throw forbidden(`requires the ${min} role or higher`);
}

/**
 * A condition limiting a client-owned table to the caller's clients (undefined = no limit).
 * The ids travel as one JSON parameter, so a long client list cannot hit D1's bound-parameter cap.
 */
export function clientFilter(auth: AuthContext, column: SQLiteColumn): SQL | undefined {
  if (auth.clientIds === null) return undefined;
  return inIds(column, auth.clientIds);
}

/** A row of a client the caller may not see is reported exactly like a missing one. */
export function assertClientVisible(auth: AuthContext, clientId: string, what = 'resource'): void {
  if (auth.clientIds !== null && !auth.clientIds.includes(clientId)) throw notFound(what);
}

/** True if `inner` grants no more than `outer` (used for tokens and user invitations). */
export function withinScope(
  outer: { role: Role; clientIds: string[] | null },
  inner: { role: Role; clientIds: string[] | null },
): boolean {
  if (ROLE_RANK[inner.role] > ROLE_RANK[outer.role]) return false;
  if (outer.clientIds === null) return true;
  if (inner.clientIds === null) return false;
  return inner.clientIds.every((id) => outer.clientIds!.includes(id));
}
