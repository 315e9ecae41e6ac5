import type { Context } from 'hono';
import type { BatchItem } from 'drizzle-orm/batch';
import { and, eq, ne, sql, type SQL } from 'drizzle-orm';
import { sessions, users } from '../../db/schema';
import type { UpdateUserBody } from '../../protocol/api/users';
import type { AppEnv, Db } from '../types';
import { ApiError, badRequest, forbidden, notFound } from '../lib/errors';
import { hasRole, withinScope } from '../lib/roles';
import { hashPassword, verifyPassword } from '../lib/crypto';
import { assertClientsExist } from '../lib/client-ids';
import { assertPortalUserScope } from '../lib/portal/scope';
import { auditWhere, changes, isUniqueViolation } from '../lib/sql-helpers';

export type UserRow = typeof users.$inferSelect;

export async function findUser(db: Db, tenantId: string, id: string): Promise<UserRow> {
  const row = await db
    .select()
    .from(users)
    .where(and(eq(users.id, id), eq(users.tenantId, tenantId)))
    .get();
  if (!row) throw notFound('user');
  return row;
}

export const emailTaken = () => new ApiError(409, 'conflict', 'a user with this email already exists');

/** Holds while another active owner remains, evaluated inside the write so racing demotions cannot both pass. */
function anotherOwner(tenantId: string, userId: string): SQL {
  return sql`(SELECT COUNT(*) FROM users AS o WHERE o.tenant_id = ${tenantId} AND o.role = 'owner' AND o.disabled_at IS NULL AND o.id <> ${userId}) > 0`;
}

/**
 * Applies a user change with every rule of the user model: self-service for name, email and
 * password; admins for role, clients and disabling, never beyond their own scope nor on a
 * user whose access exceeds theirs; the tenant always keeps an active owner; disabling ends
 * the user's sessions and a password change ends every other session of that user.
 */
export async function updateUser(c: Context<AppEnv>, id: string, body: UpdateUserBody): Promise<UserRow> {
  const db = c.var.db;
  const auth = c.var.auth;
  const target = await findUser(db, auth.tenantId, id);
  const self = target.id === auth.userId;
  const admin = hasRole(auth, 'admin');
  const current = { role: target.role, clientIds: target.clientIds ?? null };
  const scopeChange = body.role !== undefined || body.clientIds !== undefined;
  const next = { role: body.role ?? current.role, clientIds: body.clientIds !== undefined ? body.clientIds : current.clientIds };

  if (!self && !admin) throw forbidden('only admins can change other users');
  if (!self && !withinScope(auth, current)) throw forbidden('this user has access beyond yours');
  if ((scopeChange || body.disabled !== undefined) && !admin) throw forbidden('changing role, clients or access requires the admin role');
  if (scopeChange && !withinScope(auth, next)) throw forbidden('you cannot grant more than your own role and clients');
  if (scopeChange) assertPortalUserScope(next);
  if (body.disabled === true && self) throw new ApiError(409, 'conflict', 'you cannot disable yourself');
  if (body.clientIds !== undefined) await assertClientsExist(db, auth.tenantId, body.clientIds);
  if (body.password !== undefined && self) {
    const ok = body.currentPassword !== undefined && (await verifyPassword(body.currentPassword, target.passwordHash));
    if (!ok) throw badRequest('the current password is required to set a new one', [{ path: 'currentPassword', message: 'does not match' }]);
  }

  const disabling = body.disabled === true && target.disabledAt === null;
  const enabling = body.disabled === false && target.disabledAt !== null;
  const set: Partial<UserRow> = {};
  if (body.name !== undefined && body.name !== target.name) set.name = body.name;
  if (body.email !== undefined && body.email !== target.email) set.email = body.email;
  if (body.password !== undefined) set.passwordHash = await hashPassword(body.password);
  if (body.role !== undefined && body.role !== target.role) set.role = body.role;
  if (body.clientIds !== undefined) set.clientIds = body.clientIds;
  if (disabling) set.disabledAt = Date.now();
  if (enabling) set.disabledAt = null;
  const fields = Object.keys(set).map((k) => (k === 'passwordHash' ? 'password' : k));
  if (fields.length === 0) return target;

  const removesOwner = target.role === 'owner' && target.disabledAt === null && (next.role !== 'owner' || disabling);
  const guard = removesOwner ? anotherOwner(auth.tenantId, target.id) : sql`1`;
  const action = disabling ? 'user.disable' : enabling ? 'user.enable' : 'user.update';
  const detail: Record<string, unknown> = { fields };
  if (set.role) detail.role = set.role;
  if (body.clientIds !== undefined) detail.clientIds = body.clientIds;

  const writes: BatchItem<'sqlite'>[] = [
    auditWhere(db, c, { action, targetType: 'user', targetId: target.id, detail }, guard),
    db.update(users).set(set).where(and(eq(users.id, target.id), eq(users.tenantId, auth.tenantId), guard)),
  ];
  if (disabling) {
    writes.push(db.delete(sessions).where(and(eq(sessions.userId, target.id), guard)));
  } else if (body.password !== undefined) {
    const keep = self && auth.sessionHash ? ne(sessions.idHash, auth.sessionHash) : undefined;
    writes.push(db.delete(sessions).where(and(eq(sessions.userId, target.id), keep)));
  }

  let results: unknown[];
  try {
    results = await db.batch(writes as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  } catch (err) {
    if (isUniqueViolation(err)) throw emailTaken();
    throw err;
  }
  if (changes(results[1]) !== 1) {
    if (removesOwner) throw new ApiError(409, 'conflict', 'the tenant must keep at least one active owner');
    throw notFound('user');
  }
  return findUser(db, auth.tenantId, target.id);
}
