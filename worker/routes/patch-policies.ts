import { Hono, type Context } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, asc, eq } from 'drizzle-orm';
import type { AppEnv } from '../types';
import { clients } from '../../db/schema';
import { patchPolicies } from '../../db/deploy-schema';
import { Id } from '../../protocol/api/common';
import { DEFAULT_PATCH_POLICY, PatchPolicyView, PutPatchPolicyBody, type PatchPolicy } from '../../protocol/api/patches';
import { valid } from '../lib/validate';
import { clientFilter, requireRole } from '../lib/roles';
import { auditInsert } from '../lib/audit';
import { forbidden, notFound } from '../lib/errors';
import { errors, jsonBody, noContent } from '../lib/responses';

const tags = ['patches'];
const ClientParam = v.object({ clientId: Id });
type View = v.InferOutput<typeof PatchPolicyView>;

/** Where `clientId` is '' the row is the tenant's. */
async function putPolicy(c: Context<AppEnv>, clientId: string, clientName: string | null, policy: PatchPolicy): Promise<View> {
  const { auth, db } = c.var;
  const now = Date.now();
  const before = await db
    .select({ policy: patchPolicies.policy })
    .from(patchPolicies)
    .where(and(eq(patchPolicies.tenantId, auth.tenantId), eq(patchPolicies.clientId, clientId)))
    .get();
  await db.batch([
    db
      .insert(patchPolicies)
      .values({ tenantId: auth.tenantId, clientId, policy, updatedBy: auth.userId, updatedAt: now })
      .onConflictDoUpdate({ target: [patchPolicies.tenantId, patchPolicies.clientId], set: { policy, updatedBy: auth.userId, updatedAt: now } }),
    auditInsert(db, c, {
      action: 'patch.policy.update',
      targetType: clientId ? 'client' : 'tenant',
      targetId: clientId || auth.tenantId,
      detail: { before: before?.policy ?? null, after: policy },
    }),
  ]);
  return { clientId: clientId || null, clientName, policy, updatedAt: now };
}

/** A client of the caller's tenant they may see, or 404 like a missing one. */
async function visibleClient(c: Context<AppEnv>, clientId: string) {
  const { auth, db } = c.var;
  const row = await db
    .select({ id: clients.id, name: clients.name })
    .from(clients)
    .where(and(eq(clients.tenantId, auth.tenantId), eq(clients.id, clientId), clientFilter(auth, clients.id)))
    .get();
  if (!row) throw notFound('client');
  return row;
}

/** Approval policies: the tenant's, and per-client overrides. Mounted under /patches/policies. */
export const patchPolicyRoutes = new Hono<AppEnv>()
  .get(
    '/',
    describeRoute({
      tags,
      summary: "The tenant's approval policy (clientId null; the default until changed) and every client override",
      description: 'Any staff role; a client-limited caller sees the overrides of their clients.',
      responses: { 200: jsonBody('policies', v.array(PatchPolicyView)), ...errors(401, 403) },
    }),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'readonly');
      const rows = await db
        .select({ clientId: patchPolicies.clientId, clientName: clients.name, policy: patchPolicies.policy, updatedAt: patchPolicies.updatedAt })
        .from(patchPolicies)
        .leftJoin(clients, and(eq(clients.id, patchPolicies.clientId), eq(clients.tenantId, patchPolicies.tenantId)))
        .where(eq(patchPolicies.tenantId, auth.tenantId))
        .orderBy(asc(clients.name), asc(patchPolicies.clientId))
        .all();
      const tenantRow = rows.find((r) => r.clientId === '');
      const visible = (id: string) => auth.clientIds === null || auth.clientIds.includes(id);
      const out: View[] = [
        { clientId: null, clientName: null, policy: tenantRow?.policy ?? DEFAULT_PATCH_POLICY, updatedAt: tenantRow?.updatedAt ?? null },
        ...rows.filter((r) => r.clientId !== '' && r.clientName !== null && visible(r.clientId)).map((r) => ({ ...r, clientId: r.clientId })),
      ];
      return c.json(out);
    },
  )
  .put(
    '/tenant',
    describeRoute({
      tags,
      summary: "Replace the tenant's approval policy (clients without their own follow it)",
      description: 'Admin or higher with access to every client; audited.',
      responses: { 200: jsonBody('the policy', PatchPolicyView), ...errors(400, 401, 403) },
    }),
    valid('json', PutPatchPolicyBody),
    async (c) => {
      const { auth } = c.var;
      requireRole(auth, 'admin');
      if (auth.clientIds !== null) throw forbidden('the tenant policy applies to every client');
      return c.json(await putPolicy(c, '', null, c.req.valid('json').policy));
    },
  )
  .put(
    '/:clientId',
    describeRoute({
      tags,
      summary: "Set a client's own approval policy",
      description: 'Admin or higher; audited. A client the caller may not see answers 404.',
      responses: { 200: jsonBody('the policy', PatchPolicyView), ...errors(400, 401, 403, 404) },
    }),
    valid('param', ClientParam),
    valid('json', PutPatchPolicyBody),
    async (c) => {
      requireRole(c.var.auth, 'admin');
      const client = await visibleClient(c, c.req.valid('param').clientId);
      return c.json(await putPolicy(c, client.id, client.name, c.req.valid('json').policy));
    },
  )
  .delete(
    '/:clientId',
    describeRoute({
      tags,
      summary: "Remove a client's own policy: the tenant's applies to it again",
      description: 'Admin or higher; audited.',
      responses: { 204: noContent, ...errors(401, 403, 404) },
    }),
    valid('param', ClientParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const client = await visibleClient(c, c.req.valid('param').clientId);
      await db.batch([
        db.delete(patchPolicies).where(and(eq(patchPolicies.tenantId, auth.tenantId), eq(patchPolicies.clientId, client.id))),
        auditInsert(db, c, { action: 'patch.policy.delete', targetType: 'client', targetId: client.id }),
      ]);
      return c.body(null, 204);
    },
  );
