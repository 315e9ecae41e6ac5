import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, eq, sql } from 'drizzle-orm';
import { patchApprovals } from '../../db/deploy-schema';
import { inIds } from '../lib/sql-helpers';
import type { AppEnv, AuthContext } from '../types';
import { ComplianceQuery, ComplianceReport, DecidePatchesBody, FleetPatchPage, PatchListQuery } from '../../protocol/api/patches';
import { PatchKey } from '../../protocol/patches';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { assertClientVisible, requireRole } from '../lib/roles';
import { auditInsert } from '../lib/audit';
import { errors, jsonBody, noContent } from '../lib/responses';
import { listFleetPatches } from '../lib/patches/fleet-list';
import { complianceReport } from '../lib/patches/compliance';
import { csvResponse } from '../lib/inventory/csv-export';
import { devicesMissing, PatchDevicePage } from '../lib/patches/key-devices';
import { patchPolicyRoutes } from './patch-policies';
import { patchScheduleRoutes } from './patch-schedules';

const tags = ['patches'];
const READ = 'Any staff role; counts cover the devices the caller may see.';
const COMPLIANCE_CSV_HEADER = ['client', 'devices', 'scanned', 'fully patched', 'percent', 'missing critical', 'missing total'];

/* Any staff role reads; a client filter must name a client the caller may see (404 otherwise, not an empty page). */
function readQuery<Q extends { clientId?: string }>(auth: AuthContext, q: Q): Q {
  requireRole(auth, 'readonly');
  if (q.clientId) assertClientVisible(auth, q.clientId, 'client');
  return q;
}

/** Missing updates across the fleet, approval decisions, compliance; policies and schedules below. */
export const patchesRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({
      tags,
      summary: 'Missing updates across the fleet, one row per update, most severe and most widespread first',
      description: `${READ} \`approval\` is the update's decision, else approved where the policy approves it for any visible device.`,
      responses: { 200: jsonBody('FleetPatchPage', FleetPatchPage), ...errors(400, 401, 403) },
    }),
    valid('query', PatchListQuery),
    async (c) => {
      const { auth, db } = c.var;
      const q = readQuery(auth, c.req.valid('query'));
      return c.json(await listFleetPatches(db, auth, q, Date.now()));
    },
  )
  .post(
    '/approvals',
    describeRoute({
      tags,
      summary: 'Approve or decline updates by key; `pending` withdraws the decision so the policy applies again',
      description: 'Admin or higher; audited.',
      responses: { 204: noContent, ...errors(400, 401, 403) },
    }),
    valid('json', DecidePatchesBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const body = c.req.valid('json');
      const keys = [...new Set(body.keys)];
      const now = Date.now();
      const write =
        body.decision === 'pending'
          ? db.delete(patchApprovals).where(and(eq(patchApprovals.tenantId, auth.tenantId), inIds(patchApprovals.key, keys)))
          : db
              .insert(patchApprovals)
              .select(sql`SELECT ${auth.tenantId}, value, ${body.decision}, ${body.note}, ${auth.userId}, ${now} FROM json_each(${JSON.stringify(keys)}) WHERE true`)
              .onConflictDoUpdate({
                target: [patchApprovals.tenantId, patchApprovals.key],
                set: { decision: body.decision, note: body.note, decidedBy: auth.userId, decidedAt: now },
              });
      await db.batch([
        write,
        auditInsert(db, c, {
          action: body.decision === 'pending' ? 'patch.approval.withdraw' : `patch.approval.${body.decision === 'approved' ? 'approve' : 'decline'}`,
          targetType: 'patch',
          detail: { keys: body.keys.slice(0, 50), count: body.keys.length, note: body.note },
        }),
      ]);
      return c.body(null, 204);
    },
  )
  .get(
    '/compliance',
    describeRoute({
      tags,
      summary: 'Patch compliance per client: fully patched share, missing critical, and the daily trend',
      description: `${READ} Fully patched: scanned and missing no update that is approved or awaiting approval.`,
      responses: { 200: jsonBody('ComplianceReport', ComplianceReport), ...errors(400, 401, 403, 404) },
    }),
    valid('query', ComplianceQuery),
    async (c) => {
      const { auth, db } = c.var;
      const q = readQuery(auth, c.req.valid('query'));
      return c.json(await complianceReport(db, auth, q.days, Date.now(), q.clientId));
    },
  )
  .get(
    '/compliance.csv',
    describeRoute({
      tags,
      summary: 'Patch compliance per client as CSV (formula-safe)',
      description: READ,
      responses: { 200: { description: 'text/csv' }, ...errors(400, 401, 403, 404) },
    }),
    valid('query', ComplianceQuery),
    async (c) => {
      const { auth, db } = c.var;
      const q = readQuery(auth, c.req.valid('query'));
      const report = await complianceReport(db, auth, 1, Date.now(), q.clientId);
      return csvResponse('patch-compliance.csv', COMPLIANCE_CSV_HEADER, async () => ({
        rows: report.clients.map((r) => [r.clientName, r.devices, r.scanned, r.fullyPatched, r.percent, r.missingCritical, r.missingTotal]),
        nextCursor: null,
      }));
    },
  )
  .route('/policies', patchPolicyRoutes)
  .route('/schedules', patchScheduleRoutes)
  .get(
    '/:key{.+}/devices',
    describeRoute({
      tags,
      summary: 'The visible devices missing one update (key, URL-encoded), by hostname, 100 a page',
      description: READ,
      responses: { 200: jsonBody('PatchDevicePage', PatchDevicePage), ...errors(400, 401, 403) },
    }),
    valid('param', v.object({ key: PatchKey })),
    valid('query', v.object({ cursor: v.optional(v.pipe(v.string(), v.maxLength(512))) })),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'readonly');
      return c.json(await devicesMissing(db, auth, c.req.valid('param').key, c.req.valid('query').cursor, Date.now()));
    },
  );
