import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, eq, exists, sql, type SQL } from 'drizzle-orm';
import { deviceGroupMembers, deviceGroups, devices } from '../../db/schema';
import { Id, IdParam, SearchText } from '../../protocol/api/common';
import { AddMembersBody, CreateGroupBody, Group, GroupPage, MembersAdded, UpdateGroupBody } from '../../protocol/api/groups';
import type { AppEnv, AuthContext, Db } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { notFound } from '../lib/errors';
import { requireRole } from '../lib/roles';
import { newId } from '../lib/ids';
import { auditInsert } from '../lib/audit';
import { DEFAULT_LIMIT, PageQuery, toPage } from '../lib/pagination';
import { afterName, byName, matches, nameKey } from '../lib/list-query';
import { deviceScope } from '../lib/device-query';
import { auditWhere, changes, inIds, qualified } from '../lib/sql-helpers';
import { errors, jsonBody, noContent } from '../lib/responses';
import { recompileAfterChange } from '../lib/check-compiler';
import { devicesInScope } from '../lib/check-targets';
import { scopeLeftovers } from '../lib/scope-cleanup';

const ListQuery = v.object({ ...PageQuery, q: SearchText });
const MemberParam = v.object({ id: Id, deviceId: Id });

/** Members the caller may see: a client-limited user counts only their clients' devices. */
function groupColumns(auth: AuthContext) {
  return {
    id: deviceGroups.id,
    name: deviceGroups.name,
    description: deviceGroups.description,
    createdAt: deviceGroups.createdAt,
    deviceCount: sql<number>`(SELECT COUNT(*) FROM ${deviceGroupMembers} INNER JOIN ${devices} ON ${qualified(devices.id)} = ${qualified(deviceGroupMembers.deviceId)} WHERE ${qualified(deviceGroupMembers.groupId)} = ${qualified(deviceGroups.id)} AND ${deviceScope(auth)})`.mapWith(Number),
  };
}

const inTenant = (auth: AuthContext, id: string): SQL => and(eq(deviceGroups.tenantId, auth.tenantId), eq(deviceGroups.id, id))!;

async function findGroup(db: Db, auth: AuthContext, id: string): Promise<Group> {
  const row = await db.select(groupColumns(auth)).from(deviceGroups).where(inTenant(auth, id)).get();
  if (!row) throw notFound('group');
  return row;
}

const tags = ['groups'];
const READ = 'Technician or higher.';
const WRITE = 'Admin or higher.';

export const groupsRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({
      tags,
      summary: 'List device groups by name, with their member counts; `q` searches names',
      description: READ,
      responses: { 200: jsonBody('a page of groups', GroupPage), ...errors(400, 401, 403) },
    }),
    valid('query', ListQuery),
    async (c) => {
      const auth = c.var.auth;
      requireRole(auth, 'readonly');
      const { cursor, limit = DEFAULT_LIMIT, q } = c.req.valid('query');
      const rows = await c.var.db
        .select(groupColumns(auth))
        .from(deviceGroups)
        .where(
          and(
            eq(deviceGroups.tenantId, auth.tenantId),
            matches(q, deviceGroups.name),
            afterName(cursor, deviceGroups.name, deviceGroups.id),
          ),
        )
        .orderBy(...byName(deviceGroups.name, deviceGroups.id))
        .limit(limit + 1)
        .all();
      return c.json(toPage(rows, limit, nameKey), 200);
    },
  )
  .post(
    '/',
    describeRoute({ tags, summary: 'Create a device group', description: WRITE, responses: { 201: jsonBody('created', Group), ...errors(400, 401, 403) } }),
    valid('json', CreateGroupBody),
    async (c) => {
      const auth = c.var.auth;
      const db = c.var.db;
      requireRole(auth, 'admin');
      const body = c.req.valid('json');
      const row = { id: newId('grp'), tenantId: auth.tenantId, name: body.name, description: body.description ?? null, createdAt: Date.now() };
      await db.batch([
        db.insert(deviceGroups).values(row),
        auditInsert(db, c, { action: 'group.create', targetType: 'group', targetId: row.id, detail: { name: row.name } }),
      ]);
      return c.json({ id: row.id, name: row.name, description: row.description, createdAt: row.createdAt, deviceCount: 0 }, 201);
    },
  )
  .get(
    '/:id',
    describeRoute({ tags, summary: 'One device group', description: READ, responses: { 200: jsonBody('the group', Group), ...errors(401, 403, 404) } }),
    valid('param', IdParam),
    async (c) => {
      requireRole(c.var.auth, 'readonly');
      return c.json(await findGroup(c.var.db, c.var.auth, c.req.valid('param').id), 200);
    },
  )
  .patch(
    '/:id',
    describeRoute({
      tags,
      summary: 'Rename a group or change its description',
      description: WRITE,
      responses: { 200: jsonBody('the changed group', Group), ...errors(400, 401, 403, 404) },
    }),
    valid('param', IdParam),
    valid('json', UpdateGroupBody),
    async (c) => {
      const auth = c.var.auth;
      const db = c.var.db;
      requireRole(auth, 'admin');
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const before = await findGroup(db, auth, id);
      const set: { name?: string; description?: string | null } = {};
      if (body.name !== undefined && body.name !== before.name) set.name = body.name;
      if (body.description !== undefined && body.description !== before.description) set.description = body.description;
      if (Object.keys(set).length === 0) return c.json(before, 200);
      await db.batch([
        db.update(deviceGroups).set(set).where(inTenant(auth, id)),
        auditInsert(db, c, { action: 'group.update', targetType: 'group', targetId: id, detail: { fields: Object.keys(set) } }),
      ]);
      return c.json(await findGroup(db, auth, id), 200);
    },
  )
  .delete(
    '/:id',
    describeRoute({
      tags,
      summary: 'Delete a device group (its devices stay; its membership, check-set assignments and maintenance windows go)',
      description: `${WRITE} Its former members' checks are recompiled.`,
      responses: { 204: noContent, ...errors(401, 403, 404) },
    }),
    valid('param', IdParam),
    async (c) => {
      const auth = c.var.auth;
      const db = c.var.db;
      requireRole(auth, 'admin');
      const { id } = c.req.valid('param');
      const group = await findGroup(db, auth, id);
      const members = await devicesInScope(db, auth.tenantId, 'group', id);
      await db.batch([
        auditInsert(db, c, { action: 'group.delete', targetType: 'group', targetId: id, detail: { name: group.name } }),
        db.delete(deviceGroupMembers).where(and(eq(deviceGroupMembers.tenantId, auth.tenantId), eq(deviceGroupMembers.groupId, id))),
        // Check sets assigned to the group and its maintenance windows go with it.
        ...scopeLeftovers(db, auth.tenantId, 'group', id),
        db.delete(deviceGroups).where(inTenant(auth, id)),
      ]);
      await recompileAfterChange(c, auth.tenantId, members);
      return c.body(null, 204);
    },
  )
  .post(
    '/:id/members',
    describeRoute({
      tags,
      summary: 'Add devices to a group',
      description: `${WRITE} Every device must be one the caller may see, else 404 and nothing is added. Adding a member twice is harmless. The new members' checks are recompiled (over 100 devices: after the answer).`,
      responses: { 200: jsonBody('how many were new, and the member count now', MembersAdded), ...errors(400, 401, 403, 404) },
    }),
    valid('param', IdParam),
    valid('json', AddMembersBody),
    async (c) => {
      const auth = c.var.auth;
      const db = c.var.db;
      requireRole(auth, 'admin');
      const { id } = c.req.valid('param');
      await findGroup(db, auth, id);
      const wanted = [...new Set(c.req.valid('json').deviceIds)];
      const found = await db.select({ id: devices.id }).from(devices).where(and(deviceScope(auth), inIds(devices.id, wanted))).all();
      if (found.length !== wanted.length) {
        const known = new Set(found.map((d) => d.id));
        throw notFound(`device ${wanted.find((d) => !known.has(d))}`);
      }
      // Selecting from devices again inside the insert keeps a device deleted meanwhile out.
      const [added] = await db.batch([
        db
          .insert(deviceGroupMembers)
          .select(
            db
              .select({ tenantId: devices.tenantId, groupId: sql<string>`${id}`.as('group_id'), deviceId: devices.id })
              .from(devices)
              .where(and(deviceScope(auth), inIds(devices.id, wanted))),
          )
          .onConflictDoNothing(),
        auditInsert(db, c, { action: 'group.members.add', targetType: 'group', targetId: id, detail: { deviceIds: wanted } }),
      ]);
      // Group assignments now reach them (over 100 devices: after the answer).
      if (changes(added) > 0) await recompileAfterChange(c, auth.tenantId, wanted);
      const group = await findGroup(db, auth, id);
      return c.json({ added: changes(added), deviceCount: group.deviceCount }, 200);
    },
  )
  .delete(
    '/:id/members/:deviceId',
    describeRoute({
      tags,
      summary: 'Remove a device from a group',
      description: `${WRITE} A device the caller cannot see, or one that is not a member, answers 404.`,
      responses: { 204: noContent, ...errors(401, 403, 404) },
    }),
    valid('param', MemberParam),
    async (c) => {
      const auth = c.var.auth;
      const db = c.var.db;
      requireRole(auth, 'admin');
      const { id, deviceId } = c.req.valid('param');
      await findGroup(db, auth, id);
      const member = and(
        eq(deviceGroupMembers.tenantId, auth.tenantId),
        eq(deviceGroupMembers.groupId, id),
        eq(deviceGroupMembers.deviceId, deviceId),
        exists(db.select({ id: devices.id }).from(devices).where(and(deviceScope(auth), eq(devices.id, deviceId)))),
      )!;
      const [, removed] = await db.batch([
        auditWhere(
          db,
          c,
          { action: 'group.members.remove', targetType: 'group', targetId: id, detail: { deviceId } },
          exists(db.select({ one: deviceGroupMembers.deviceId }).from(deviceGroupMembers).where(member)),
        ),
        db.delete(deviceGroupMembers).where(member),
      ]);
      if (changes(removed) !== 1) throw notFound('group member');
      await recompileAfterChange(c, auth.tenantId, [deviceId]);
      return c.body(null, 204);
    },
  );
