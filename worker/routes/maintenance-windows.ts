import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { maintenanceWindows } from '../../db/schema';
import { IdParam, SearchText } from '../../protocol/api/common';
import {
  CreateMaintenanceWindowBody,
  MaintenanceWindow,
  MaintenanceWindowPage,
  UpdateMaintenanceWindowBody,
  windowActiveAt,
  windowNextChange,
  type WindowSchedule,
} from '../../protocol/api/maintenance';
import type { AppEnv, AuthContext, Db } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { notFound } from '../lib/errors';
import { requireRole } from '../lib/roles';
import { newId } from '../lib/ids';
import { auditInsert } from '../lib/audit';
import { DEFAULT_LIMIT, PageQuery, toPage } from '../lib/pagination';
import { afterName, byName, matches, nameKey } from '../lib/list-query';
import { auditWhere, changes } from '../lib/sql-helpers';
import { errors, jsonBody, noContent } from '../lib/responses';
import { assertScopeTarget, requireAllClients, scopeNameSql, scopeVisible } from '../lib/check-targets';
import { canonicalJson } from '../lib/check-compiler';
import { tellConfigChanged } from '../lib/hubs';

const WINDOW_SCOPES = ['client', 'site', 'group', 'device'] as const;
const ListQuery = v.object({
  ...PageQuery,
  q: SearchText,
  scopeType: v.optional(v.picklist(WINDOW_SCOPES)),
  scopeId: v.optional(v.pipe(v.string(), v.maxLength(64))),
  /** Computed per window, so this filter pages through the matching rows in memory. */
  activeNow: v.optional(v.picklist(['true', 'false'])),
});

const w = maintenanceWindows;
const columns = {
  id: w.id,
  name: w.name,
  scopeType: w.scopeType,
  scopeId: w.scopeId,
  scopeName: scopeNameSql(sql`${w.tenantId}`, sql`${w.scopeType}`, sql`${w.scopeId}`),
  startsAt: w.startsAt,
  endsAt: w.endsAt,
  cron: w.cron,
  durationMinutes: w.durationMinutes,
  timezone: w.timezone,
  enabled: w.enabled,
  createdAt: w.createdAt,
};
const selectWindows = (db: Db) => db.select(columns).from(w);
type Row = Awaited<ReturnType<ReturnType<typeof selectWindows>['all']>>[number];

/** Columns of a schedule: a one-off window has start and end, a recurring one a cron expression. */
function scheduleColumns(s: WindowSchedule) {
  return s.kind === 'once'
    ? { startsAt: s.startsAt, endsAt: s.endsAt, cron: null, durationMinutes: null, timezone: 'UTC' }
    : { startsAt: null, endsAt: null, cron: s.cron, durationMinutes: s.durationMinutes, timezone: s.timezone };
}

function scheduleOf(r: Pick<Row, 'startsAt' | 'endsAt' | 'cron' | 'durationMinutes' | 'timezone'>): WindowSchedule {
  return r.cron !== null
    ? { kind: 'recurring', cron: r.cron, durationMinutes: r.durationMinutes ?? 1, timezone: r.timezone }
    : { kind: 'once', startsAt: r.startsAt ?? 0, endsAt: r.endsAt ?? 0 };
}

/** The next time the window starts after `now` (a window in force now: the start after this one ends). */
export function nextStartOf(s: WindowSchedule, now: number): number | null {
  let t: number | null = now;
  // Overlapping recurrences keep a window in force across several ends; a few steps find the gap.
  for (let i = 0; i < 8 && t !== null && windowActiveAt(s, t); i++) t = windowNextChange(s, t);
  if (t === null || windowActiveAt(s, t)) return null;
  return windowNextChange(s, t);
}

function toWindow(r: Row, now: number): MaintenanceWindow {
  const schedule = scheduleOf(r);
  return {
    id: r.id,
    name: r.name,
    scopeType: r.scopeType,
    scopeId: r.scopeId,
    scopeName: r.scopeName,
    schedule,
    enabled: r.enabled,
    activeNow: r.enabled && windowActiveAt(schedule, now),
    nextStart: r.enabled ? nextStartOf(schedule, now) : null,
    createdAt: r.createdAt,
  };
}

/** Windows of the tenant the caller may see (a client-limited caller: its clients' scopes and groups). */
const visible = (auth: AuthContext): SQL => and(eq(w.tenantId, auth.tenantId), scopeVisible(auth, sql`${w.scopeType}`, sql`${w.scopeId}`))!;
const inTenant = (auth: AuthContext, id: string): SQL => and(eq(w.tenantId, auth.tenantId), eq(w.id, id))!;
const stillThere = (auth: AuthContext, id: string) => sql`EXISTS (SELECT 1 FROM maintenance_windows x WHERE x.id = ${id} AND x.tenant_id = ${auth.tenantId})`;

async function findWindow(db: Db, auth: AuthContext, id: string): Promise<MaintenanceWindow> {
  const row = await selectWindows(db).where(and(visible(auth), eq(w.id, id))).get();
  if (!row) throw notFound('maintenance window');
  return toWindow(row, Date.now());
}

/** A group window reaches other clients' devices: only an unlimited caller may change one. */
function assertMayChange(auth: AuthContext, window: MaintenanceWindow): void {
  if (window.scopeType === 'group') requireAllClients(auth, 'a group scope');
}

const tags = ['monitoring'];
const READ = 'Any role; a client-limited caller sees windows on its clients, their sites and devices, and on groups.';
const WRITE =
  'Admin or higher. The client, site, group or device must be of the tenant and visible to the caller (else 404); group windows need a caller not limited to clients (else 403).';

export const maintenanceWindowsRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({
      tags,
      summary: 'List maintenance windows by name; filter by `q`, `scopeType`, `scopeId` and `activeNow=true|false`',
      description: `${READ} Each answer says whether the window is in force now and when it next starts.`,
      responses: { 200: jsonBody('a page of windows', MaintenanceWindowPage), ...errors(400, 401, 403) },
    }),
    valid('query', ListQuery),
    async (c) => {
      const auth = c.var.auth;
      requireRole(auth, 'readonly');
      const { cursor, limit = DEFAULT_LIMIT, q, scopeType, scopeId, activeNow } = c.req.valid('query');
      const now = Date.now();
      const where = (after: SQL | undefined) =>
        and(visible(auth), matches(q, w.name), scopeType ? eq(w.scopeType, scopeType) : undefined, scopeId ? eq(w.scopeId, scopeId) : undefined, after);
      const fetch = (after: SQL | undefined, n: number) =>
        selectWindows(c.var.db)
          .where(where(after))
          .orderBy(...byName(w.name, w.id))
          .limit(n)
          .all();
      if (activeNow === undefined) {
        const rows = await fetch(afterName(cursor, w.name, w.id), limit + 1);
        const page = toPage(rows, limit, nameKey);
        return c.json({ items: page.items.map((r) => toWindow(r, now)), nextCursor: page.nextCursor }, 200);
      }
      // Whether a window is in force is computed, not stored: read on in name order until the page is full.
      const want = activeNow === 'true';
      const found: MaintenanceWindow[] = [];
      let after = afterName(cursor, w.name, w.id);
      for (;;) {
        const batch = await fetch(after, 500);
        for (const r of batch) {
          const win = toWindow(r, now);
          if (win.activeNow === want) found.push(win);
        }
        if (found.length > limit || batch.length < 500) break;
        const last = batch[batch.length - 1]!;
        after = sql`(${w.name} COLLATE NOCASE > ${last.name} OR (${w.name} COLLATE NOCASE = ${last.name} AND ${w.id} > ${last.id}))`;
      }
      return c.json(toPage(found, limit, nameKey), 200);
    },
  )
  .post(
    '/',
    describeRoute({
      tags,
      summary: 'Create a maintenance window (alerts opened inside it notify no one)',
      description: WRITE,
      responses: { 201: jsonBody('created', MaintenanceWindow), ...errors(400, 401, 403, 404) },
    }),
    valid('json', CreateMaintenanceWindowBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const body = c.req.valid('json');
      await assertScopeTarget(db, auth, body.scopeType, body.scopeId);
      const now = Date.now();
      const row = {
        id: newId('mnt', now),
        tenantId: auth.tenantId,
        name: body.name,
        scopeType: body.scopeType,
        scopeId: body.scopeId,
        ...scheduleColumns(body.schedule),
        enabled: body.enabled,
        createdBy: auth.actorId,
        createdAt: now,
      };
      await db.batch([
        db.insert(w).values(row),
        auditInsert(db, c, {
          action: 'maintenance_window.create',
          targetType: 'maintenance_window',
          targetId: row.id,
          detail: { name: row.name, scopeType: row.scopeType, scopeId: row.scopeId, schedule: body.schedule, enabled: row.enabled },
        }),
      ]);
      await tellConfigChanged(c);
      return c.json(await findWindow(db, auth, row.id), 201);
    },
  )
  .get(
    '/:id',
    describeRoute({ tags, summary: 'One maintenance window', description: READ, responses: { 200: jsonBody('the window', MaintenanceWindow), ...errors(401, 403, 404) } }),
    valid('param', IdParam),
    async (c) => {
      requireRole(c.var.auth, 'readonly');
      return c.json(await findWindow(c.var.db, c.var.auth, c.req.valid('param').id), 200);
    },
  )
  .patch(
    '/:id',
    describeRoute({
      tags,
      summary: 'Change a maintenance window (its schedule is replaced as a whole)',
      description: WRITE,
      responses: { 200: jsonBody('the changed window', MaintenanceWindow), ...errors(400, 401, 403, 404) },
    }),
    valid('param', IdParam),
    valid('json', UpdateMaintenanceWindowBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const before = await findWindow(db, auth, id);
      assertMayChange(auth, before);
      const set: Partial<typeof w.$inferInsert> = {};
      const fields: string[] = [];
      if (body.name !== undefined && body.name !== before.name) (set.name = body.name), fields.push('name');
      const scopeType = body.scopeType ?? before.scopeType;
      const scopeId = body.scopeId ?? before.scopeId;
      if (scopeType !== before.scopeType || scopeId !== before.scopeId) {
        await assertScopeTarget(db, auth, scopeType, scopeId);
        Object.assign(set, { scopeType, scopeId });
        fields.push('scope');
      }
      if (body.schedule !== undefined && canonicalJson(body.schedule) !== canonicalJson(before.schedule)) {
        Object.assign(set, scheduleColumns(body.schedule));
        fields.push('schedule');
      }
      if (body.enabled !== undefined && body.enabled !== before.enabled) (set.enabled = body.enabled), fields.push('enabled');
      if (fields.length === 0) return c.json(before, 200);
      const [, updated] = await db.batch([
        auditWhere(
          db,
          c,
          {
            action: 'maintenance_window.update',
            targetType: 'maintenance_window',
            targetId: id,
            detail: { fields, ...(set.scopeType ? { scopeType, scopeId } : {}), ...(body.schedule && fields.includes('schedule') ? { schedule: body.schedule } : {}) },
          },
          stillThere(auth, id),
        ),
        db.update(w).set(set).where(inTenant(auth, id)),
      ]);
      if (changes(updated) !== 1) throw notFound('maintenance window');
      await tellConfigChanged(c);
      return c.json(await findWindow(db, auth, id), 200);
    },
  )
  .delete(
    '/:id',
    describeRoute({ tags, summary: 'Delete a maintenance window', description: WRITE, responses: { 204: noContent, ...errors(401, 403, 404) } }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const { id } = c.req.valid('param');
      const window = await findWindow(db, auth, id);
      assertMayChange(auth, window);
      const [, deleted] = await db.batch([
        auditWhere(
          db,
          c,
          { action: 'maintenance_window.delete', targetType: 'maintenance_window', targetId: id, detail: { name: window.name } },
          stillThere(auth, id),
        ),
        db.delete(w).where(inTenant(auth, id)),
      ]);
      if (changes(deleted) !== 1) throw notFound('maintenance window');
      await tellConfigChanged(c);
      return c.body(null, 204);
    },
  );
