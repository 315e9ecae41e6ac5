import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { jobs, scripts, scriptVersions } from '../../db/automation-schema';
import { IdParam } from '../../protocol/api/common';
import { CreateScriptBody, DuplicateScriptBody, Script, ScriptListQuery, ScriptPage, ScriptVersion, ScriptVersionList, UpdateScriptBody } from '../../protocol/api/scripts';
import type { AppEnv } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { requireRole } from '../lib/roles';
import { newId } from '../lib/ids';
import { auditInsert } from '../lib/audit';
import { assertClientsExist } from '../lib/client-ids';
import { errors, jsonBody, noContent } from '../lib/responses';
import { ApiError } from '../lib/errors';
import { assertLimitAllowed, findEditable, findScript, findVersion, listScripts, listVersions } from '../lib/scripts/store';
import { updateScript } from '../lib/scripts/update';

const tags = ['scripts'];
const READ = 'Read-only or higher. A script limited to clients the caller cannot see answers 404.';
const WRITE =
  'Technician or higher. A caller limited to clients may only create and change scripts limited to clients of theirs. Built-ins (`builtin_…`) answer 403 `read_only`.';

const VersionParam = v.object({ id: IdParam.entries.id, version: v.pipe(v.string(), v.regex(/^\d{1,9}$/, 'a version number'), v.transform(Number)) });

/** The first version of a new tenant script, and its row: one batch with the audit row. */
function newScriptRows(auth: { tenantId: string; actorId: string }, body: CreateScriptBody, now: number) {
  const id = newId('scr', now);
  const script = {
    id,
    tenantId: auth.tenantId,
    name: body.name,
    description: body.description,
    category: body.category,
    platforms: body.platforms,
    tags: [...new Set(body.tags)],
    clientIds: body.clientIds,
    version: 1,
    createdBy: auth.actorId,
    createdAt: now,
    updatedAt: now,
  };
  const version = {
    scriptId: id,
    version: 1,
    tenantId: auth.tenantId,
    interpreter: body.interpreter,
    body: body.body,
    params: body.params,
    defaultTimeoutSeconds: body.defaultTimeoutSeconds,
    note: body.note,
    createdBy: auth.actorId,
    createdAt: now,
  };
  return { id, script, version };
}

export const scriptsRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({
      tags,
      summary: 'The script library: built-ins and the tenant’s scripts, by name (bodies left out)',
      description: `${READ} \`q\` searches names and descriptions; \`source\` is builtin or custom.`,
      responses: { 200: jsonBody('a page of scripts', ScriptPage), ...errors(400, 401, 403) },
    }),
    valid('query', ScriptListQuery),
    async (c) => {
      requireRole(c.var.auth, 'readonly');
      return c.json(await listScripts(c.var.db, c.var.auth, c.req.valid('query')), 200);
    },
  )
  .post(
    '/',
    describeRoute({
      tags,
      summary: 'Create a script (version 1)',
      description: `${WRITE} \`clientIds\` must name clients of the tenant.`,
      responses: { 201: jsonBody('created', Script), ...errors(400, 401, 403) },
    }),
    valid('json', CreateScriptBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const body = c.req.valid('json');
      assertLimitAllowed(auth, body.clientIds);
      await assertClientsExist(db, auth.tenantId, body.clientIds);
      const { id, script, version } = newScriptRows(auth, body, Date.now());
      await db.batch([
        db.insert(scripts).values(script),
        db.insert(scriptVersions).values(version),
        auditInsert(db, c, { action: 'script.create', targetType: 'script', targetId: id, detail: { name: body.name, interpreter: body.interpreter, version: 1 } }),
      ]);
      return c.json(await findScript(db, auth, id), 201);
    },
  )
  .get(
    '/:id',
    describeRoute({ tags, summary: 'One script with the body of its latest version', description: READ, responses: { 200: jsonBody('the script', Script), ...errors(401, 403, 404) } }),
    valid('param', IdParam),
    async (c) => {
      requireRole(c.var.auth, 'readonly');
      return c.json(await findScript(c.var.db, c.var.auth, c.req.valid('param').id), 200);
    },
  )
  .patch(
    '/:id',
    describeRoute({
      tags,
      summary: 'Change a script: a new body, interpreter, parameters or default timeout makes version n+1 (with `note`); the rest is edited in place',
      description: `${WRITE} A change that changes nothing makes no version.`,
      responses: { 200: jsonBody('the script as it now is', Script), ...errors(400, 401, 403, 404, 409) },
    }),
    valid('param', IdParam),
    valid('json', UpdateScriptBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const { id } = c.req.valid('param');
      const before = await findEditable(db, auth, id);
      await updateScript(c, before, c.req.valid('json'));
      return c.json(await findScript(db, auth, id), 200);
    },
  )
  .delete(
    '/:id',
    describeRoute({
      tags,
      summary: 'Delete a script and its versions (history keeps the runs, with the script’s name)',
      description: 'Admin or higher. Built-ins answer 403 `read_only`; a script a running or unapproved job uses answers 409.',
      responses: { 204: noContent, ...errors(401, 403, 404, 409) },
    }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const { id } = c.req.valid('param');
      const script = await findEditable(db, auth, id);
      // A job still running (or awaiting approval) renders the script again for each device it reaches.
      const inUse = await db
        .select({ id: jobs.id })
        .from(jobs)
        .where(and(eq(jobs.tenantId, auth.tenantId), inArray(jobs.status, ['running', 'awaiting_approval']), sql`json_extract(${jobs.action}, '$.scriptId') = ${id}`))
        .get();
      if (inUse) throw new ApiError(409, 'conflict', `job ${inUse.id} still runs this script; cancel it or let it finish first`);
      await db.batch([
        auditInsert(db, c, { action: 'script.delete', targetType: 'script', targetId: id, detail: { name: script.name, version: script.version } }),
        db.delete(scriptVersions).where(and(eq(scriptVersions.tenantId, auth.tenantId), eq(scriptVersions.scriptId, id))),
        db.delete(scripts).where(and(eq(scripts.tenantId, auth.tenantId), eq(scripts.id, id))),
      ]);
      return c.body(null, 204);
    },
  )
  .post(
    '/:id/duplicate',
    describeRoute({
      tags,
      summary: 'Copy a script (a built-in or the tenant’s) into a new, editable tenant script “… (copy)” at version 1',
      description: 'Technician or higher; any script the caller may see. A caller limited to clients gets a copy limited to their clients.',
      responses: { 201: jsonBody('the copy', Script), ...errors(400, 401, 403, 404) },
    }),
    valid('param', IdParam),
    valid('json', DuplicateScriptBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const source = await findScript(db, auth, c.req.valid('param').id);
      const name = c.req.valid('json').name ?? `${source.name.slice(0, 93)} (copy)`;
      const clientIds =
        auth.clientIds === null ? source.clientIds : (source.clientIds?.filter((id) => auth.clientIds!.includes(id)) ?? auth.clientIds);
      const { id, script, version } = newScriptRows(
        auth,
        { ...source, name, clientIds, note: `copied from ${source.name} v${source.version}` },
        Date.now(),
      );
      await db.batch([
        db.insert(scripts).values(script),
        db.insert(scriptVersions).values(version),
        auditInsert(db, c, {
          action: 'script.duplicate',
          targetType: 'script',
          targetId: id,
          detail: { name, fromScriptId: source.id, fromVersion: source.version },
        }),
      ]);
      return c.json(await findScript(db, auth, id), 201);
    },
  )
  .get(
    '/:id/versions',
    describeRoute({
      tags,
      summary: 'Every version of a script, newest first, with bodies and who made each',
      description: `${READ} A built-in has one version: the one shipped.`,
      responses: { 200: jsonBody('the versions', ScriptVersionList), ...errors(401, 403, 404) },
    }),
    valid('param', IdParam),
    async (c) => {
      requireRole(c.var.auth, 'readonly');
      return c.json({ items: await listVersions(c.var.db, c.var.auth, c.req.valid('param').id) }, 200);
    },
  )
  .get(
    '/:id/versions/:version',
    describeRoute({ tags, summary: 'One version of a script', description: READ, responses: { 200: jsonBody('the version', ScriptVersion), ...errors(400, 401, 403, 404) } }),
    valid('param', VersionParam),
    async (c) => {
      requireRole(c.var.auth, 'readonly');
      const { id, version } = c.req.valid('param');
      return c.json(await findVersion(c.var.db, c.var.auth, id, version), 200);
    },
  );
