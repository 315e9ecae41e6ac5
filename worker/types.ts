import type { DrizzleD1Database } from 'drizzle-orm/d1';
import type * as schema from '../db/schema';
import type { Role } from '../protocol/api/common';

export type { Role };
export const ROLE_RANK: Record<Role, number> = { client: 0, readonly: 1, technician: 2, admin: 3, owner: 4 };

/** Who is calling: a signed-in user (cookie) or an API token acting for its creator. */
export interface AuthContext {
  tenantId: string;
  userId: string;
  role: Role;
  /** Clients this caller may see; null = every client of the tenant. */
  clientIds: string[] | null;
  actorType: 'user' | 'token';
  /** The user id for sessions, the token id for API tokens (what the audit log names). */
  actorId: string;
  sessionHash?: string;
}

export type Db = DrizzleD1Database<typeof schema>;

export interface AppEnv {
  Bindings: Env;
  Variables: { auth: AuthContext; db: Db };
}
