import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import * as v from 'valibot';
import { scripts, scriptVersions } from '../../../db/automation-schema';
import type { ScriptListQuery } from '../../../protocol/api/scripts';
import type { AuthContext, Db } from '../../types';
import { ApiError, forbidden, notFound } from '../errors';
import { afterName, byName, matches, nameKey } from '../list-query';
import { decodeCursor, DEFAULT_LIMIT, toPage, type Page } from '../pagination';
import { withinScope } from '../roles';
import { CATALOG, findBuiltin } from './catalog';
import { actorName, builtinScript, builtinVersion, scriptColumns, summary, tenantScript, toVersion, type ScriptSummary } from './view';
import type { Script, ScriptVersion } from '../../../protocol/api/scripts';

type ListQuery = v.InferOutput<typeof ScriptListQuery>;

/** A tenant script limited to clients is seen only by callers sharing one of them (as in resolve.ts). */
export function scriptScope(auth: Pick<AuthContext, 'clientIds'>): SQL | undefined {
  if (auth.clientIds === null) return undefined;
  return sql`(${scripts.clientIds} IS NULL OR EXISTS (SELECT 1 FROM json_each(${scripts.clientIds}) s WHERE s.value IN (SELECT value FROM json_each(${JSON.stringify(auth.clientIds)}))))`;
}

const inTenant = (auth: AuthContext, id: string) => and(eq(scripts.tenantId, auth.tenantId), eq(scripts.id, id), scriptScope(auth))!;

const latestVersion = and(eq(scriptVersions.scriptId, scripts.id), eq(scriptVersions.version, scripts.version));

/** Any script the caller may see, with its latest body; 404 for unknown, foreign or hidden ids. */
export async function findScript(db: Db, auth: AuthContext, id: string): Promise<Script> {
  const builtin = findBuiltin(id);
  if (builtin) return builtinScript(builtin);
  const row = await db.select(scriptColumns).from(scripts).innerJoin(scriptVersions, latestVersion).where(inTenant(auth, id)).get();
  if (!row) throw notFound('script');
  return tenantScript(row);
}

export const readOnly = () => new ApiError(403, 'read_only', 'built-in scripts are read-only; duplicate one to change it');

/**
 * A tenant script the caller may change. A caller limited to clients may change only scripts
 * limited to clients of theirs: one seen by every client would change what other clients run.
 */
export async function findEditable(db: Db, auth: AuthContext, id: string): Promise<Script> {
  if (findBuiltin(id)) throw readOnly();
  const script = await findScript(db, auth, id);
  assertLimitAllowed(auth, script.clientIds);
  return script;
}

/** A client-limited caller may only give (or keep) a limit within their own clients. */
export function assertLimitAllowed(auth: AuthContext, clientIds: string[] | null): void {
  if (!withinScope({ role: auth.role, clientIds: auth.clientIds }, { role: auth.role, clientIds })) {
    throw forbidden('you are limited to some clients: a script you change must be limited to clients of yours');
  }
}

/* SQLite's NOCASE folds ASCII letters only and compares bytes: the catalog half of a list sorts the same way. */
const encoder = new TextEncoder();
function nocase(a: string, b: string): number {
  const x = encoder.encode(a.replace(/[A-Z]/g, (ch) => ch.toLowerCase()));
  const y = encoder.encode(b.replace(/[A-Z]/g, (ch) => ch.toLowerCase()));
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}
const byNameThenId = (a: { name: string; id: string }, b: { name: string; id: string }) => nocase(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function builtinsMatching(q: ListQuery, after: unknown[] | undefined): ScriptSummary[] {
  if (q.source === 'custom') return [];
  const text = q.q?.toLowerCase();
  return CATALOG.map(builtinScript)
    .filter(
      (s) =>
        (!q.category || s.category === q.category) &&
        (!q.platform || s.platforms.includes(q.platform)) &&
        (!q.tag || s.tags.includes(q.tag)) &&
        (!text || s.name.toLowerCase().includes(text) || s.description.toLowerCase().includes(text)) &&
        (!after || byNameThenId(s, { name: String(after[0]), id: String(after[1]) }) > 0),
    )
    .map(summary);
}

const { body: _body, ...summaryColumns } = scriptColumns;

/** The catalog and the tenant's scripts as one list, by name then id, one page at a time. */
export async function listScripts(db: Db, auth: AuthContext, q: ListQuery): Promise<Page<ScriptSummary>> {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const after = decodeCursor(q.cursor);
  const builtins = builtinsMatching(q, after);
  const own =
    q.source === 'builtin'
      ? []
      : await db
          .select(summaryColumns)
          .from(scripts)
          .innerJoin(scriptVersions, latestVersion)
          .where(
            and(
              eq(scripts.tenantId, auth.tenantId),
              scriptScope(auth),
              q.category ? eq(scripts.category, q.category) : undefined,
              q.platform ? sql`EXISTS (SELECT 1 FROM json_each(${scripts.platforms}) p WHERE p.value = ${q.platform})` : undefined,
              q.tag ? sql`EXISTS (SELECT 1 FROM json_each(${scripts.tags}) g WHERE g.value = ${q.tag})` : undefined,
              matches(q.q, scripts.name, scripts.description),
              afterName(q.cursor, scripts.name, scripts.id),
            ),
          )
          .orderBy(...byName(scripts.name, scripts.id))
          .limit(limit + 1)
          .all();
  const merged = [...builtins, ...own.map((r) => summary(tenantScript({ ...r, body: '' })))].sort(byNameThenId);
  return toPage(merged.slice(0, limit + 1), limit, nameKey);
}

const versionColumns = {
  scriptId: scriptVersions.scriptId,
  version: scriptVersions.version,
  interpreter: scriptVersions.interpreter,
  body: scriptVersions.body,
  params: scriptVersions.params,
  defaultTimeoutSeconds: scriptVersions.defaultTimeoutSeconds,
  note: scriptVersions.note,
  createdBy: scriptVersions.createdBy,
  createdByName: actorName(scriptVersions.createdBy),
  createdAt: scriptVersions.createdAt,
};

/** Every version of a script the caller may see, newest first. */
export async function listVersions(db: Db, auth: AuthContext, id: string): Promise<ScriptVersion[]> {
  const builtin = findBuiltin(id);
  if (builtin) return [builtinVersion(builtin)];
  await findScript(db, auth, id);
  const rows = await db
    .select(versionColumns)
    .from(scriptVersions)
    .where(and(eq(scriptVersions.tenantId, auth.tenantId), eq(scriptVersions.scriptId, id)))
    .orderBy(desc(scriptVersions.version))
    .all();
  return rows.map(toVersion);
}

export async function findVersion(db: Db, auth: AuthContext, id: string, version: number): Promise<ScriptVersion> {
  const builtin = findBuiltin(id);
  if (builtin) {
    if (builtin.version !== version) throw notFound('script version');
    return builtinVersion(builtin);
  }
  await findScript(db, auth, id);
  const row = await db
    .select(versionColumns)
    .from(scriptVersions)
    .where(and(eq(scriptVersions.tenantId, auth.tenantId), eq(scriptVersions.scriptId, id), eq(scriptVersions.version, version)))
    .get();
  if (!row) throw notFound('script version');
  return toVersion(row);
}

