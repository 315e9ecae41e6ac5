import type { Context } from 'hono';
import { and, eq, sql } from 'drizzle-orm';
import { scripts, scriptVersions } from '../../../db/automation-schema';
import type { Script, UpdateScriptBody } from '../../../protocol/api/scripts';
import type { AppEnv } from '../../types';
import { canonicalJson } from '../check-compiler';
import { assertClientsExist } from '../client-ids';
import { ApiError } from '../errors';
import { auditWhere, changes, insertWhere, isUniqueViolation } from '../sql-helpers';
import { assertLimitAllowed } from './store';

const DEFINITION = ['interpreter', 'body', 'params', 'defaultTimeoutSeconds'] as const;
const METADATA = ['name', 'description', 'category', 'platforms', 'tags', 'clientIds'] as const;

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

const conflict = () => new ApiError(409, 'conflict', 'the script changed meanwhile; load it again and retry');

/**
 * Applies a PATCH: metadata in place, and a new version when the definition changed. The
 * version row's primary key and the `version = n` guard make two racing edits one success
 * and one 409, never two versions numbered alike.
 */
export async function updateScript(c: Context<AppEnv>, before: Script, body: UpdateScriptBody): Promise<void> {
  const { auth, db } = c.var;
  const meta: Partial<typeof scripts.$inferInsert> = {};
  for (const key of METADATA) {
    const value = key === 'tags' && body.tags ? [...new Set(body.tags)] : body[key];
    if (value !== undefined && !same(value, before[key])) Object.assign(meta, { [key]: value });
  }
  const definition = DEFINITION.filter((key) => body[key] !== undefined && !same(body[key], before[key]));
  const fields = [...Object.keys(meta), ...definition];
  if (fields.length === 0) return;
  if (meta.clientIds !== undefined) {
    assertLimitAllowed(auth, meta.clientIds);
    await assertClientsExist(db, auth.tenantId, meta.clientIds);
  }
  const now = Date.now();
  const toVersion = definition.length ? before.version + 1 : before.version;
  const detail: Record<string, unknown> = { name: meta.name ?? before.name, fields };
  if (definition.length) Object.assign(detail, { fromVersion: before.version, toVersion });
  // A metadata-only edit leaves the version alone (a racing new version stays); a new version
  // is written only on top of the one this edit saw.
  const guard = and(eq(scripts.tenantId, auth.tenantId), eq(scripts.id, before.id), definition.length ? eq(scripts.version, before.version) : undefined)!;
  const exists = sql`EXISTS (SELECT 1 FROM scripts WHERE ${guard})`;
  const audit = auditWhere(db, c, { action: 'script.update', targetType: 'script', targetId: before.id, detail }, exists);
  const update = db
    .update(scripts)
    .set({ ...meta, ...(definition.length ? { version: toVersion } : {}), updatedAt: now })
    .where(guard);
  try {
    if (!definition.length) {
      const [, updated] = await db.batch([audit, update]);
      if (changes(updated) !== 1) throw conflict();
      return;
    }
    const version = {
      scriptId: before.id,
      version: toVersion,
      tenantId: auth.tenantId,
      interpreter: body.interpreter ?? before.interpreter,
      body: body.body ?? before.body,
      params: body.params ?? before.params,
      defaultTimeoutSeconds: body.defaultTimeoutSeconds ?? before.defaultTimeoutSeconds,
      note: body.note ?? '',
      createdBy: auth.actorId,
      createdAt: now,
    };
    const [, , updated] = await db.batch([audit, insertWhere(db, scriptVersions, version, exists), update]);
    if (changes(updated) !== 1) throw conflict();
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict();
    throw err;
  }
}
