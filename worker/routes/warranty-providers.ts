import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, eq } from 'drizzle-orm';
import type { AppEnv } from '../types';
import { warrantyProviders } from '../../db/inventory-schema';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { requireRole } from '../lib/roles';
import { audit, auditInsert } from '../lib/audit';
import { badRequest, notFound } from '../lib/errors';
import { errors, jsonBody, noContent } from '../lib/responses';
import { providerRow, providerView, providerViews, sealCredentials } from '../lib/warranty/providers';
import { runVendorLookup, WarrantyRunResult } from '../lib/warranty/run-lookups';
import { recheckAssetAlerts } from '../lib/warranty/recheck';
import { WarrantyProviderView, WarrantyVendor } from '../../protocol/api/warranties';
import { WARRANTY_CREDENTIALS } from '../../protocol/warranty';

const tags = ['assets'];
const VendorParam = v.object({ vendor: WarrantyVendor });
/** The credentials are checked against the vendor's own schema once the vendor is known. */
const PutProvider = v.object({
  credentials: v.optional(v.record(v.string(), v.unknown())),
  enabled: v.optional(v.boolean()),
});

/** Vendor warranty lookups: admin only, since the credentials are the tenant's API accounts. */
export const warrantyProvidersRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({
      tags,
      summary: 'Which warranty vendors are configured, enabled, and how their last lookup went (admin+; never the credentials)',
      responses: { 200: jsonBody('{ items: WarrantyProviderView[] }', v.object({ items: v.array(WarrantyProviderView) })), ...errors(401, 403) },
    }),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      return c.json({ items: await providerViews(db, auth.tenantId) }, 200);
    },
  )
  .put(
    '/:vendor',
    describeRoute({
      tags,
      summary: "Set a vendor's credentials and/or enabled flag (admin+); credentials are sealed and never answered",
      description: 'Dell: `{ clientId, clientSecret }`; HP: `{ apiKey, apiSecret }`; Lenovo: `{ clientId }`. Credentials may be left out to only toggle `enabled`.',
      responses: { 200: jsonBody('WarrantyProviderView', WarrantyProviderView), ...errors(400, 401, 403) },
    }),
    valid('param', VendorParam),
    valid('json', PutProvider),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const { vendor } = c.req.valid('param');
      const body = c.req.valid('json');
      const existing = await providerRow(db, auth.tenantId, vendor);
      if (!body.credentials && !existing) throw badRequest('credentials are required', [{ path: 'credentials', message: 'required' }]);
      let credentialsEnc = existing?.credentialsEnc;
      if (body.credentials) {
        const parsed = v.safeParse(WARRANTY_CREDENTIALS[vendor], body.credentials);
        if (!parsed.success) {
          const issues = parsed.issues.map((i) => ({ path: ['credentials', ...(i.path ?? []).map((p) => String(p.key))].join('.'), message: i.message }));
          throw badRequest(`invalid ${vendor} credentials`, issues);
        }
        credentialsEnc = await sealCredentials(c.env.TETHER_MASTER_KEY, parsed.output);
      }
      const now = Date.now();
      const row = {
        tenantId: auth.tenantId,
        vendor,
        credentialsEnc: credentialsEnc!,
        enabled: body.enabled ?? existing?.enabled ?? true,
        updatedAt: now,
        updatedBy: auth.actorId,
        // New credentials deserve a fresh start: the old error was about the old ones.
        ...(body.credentials ? { lastError: null } : {}),
      };
      const { tenantId: _t, vendor: _v, ...set } = row;
      await db.batch([
        db.insert(warrantyProviders).values(row).onConflictDoUpdate({ target: [warrantyProviders.tenantId, warrantyProviders.vendor], set }),
        auditInsert(db, c, {
          action: existing ? 'warranty_provider.update' : 'warranty_provider.create',
          targetType: 'warranty_provider',
          targetId: vendor,
          detail: { enabled: row.enabled, credentialsChanged: body.credentials !== undefined },
        }),
      ]);
      return c.json(providerView(vendor, await providerRow(db, auth.tenantId, vendor)), 200);
    },
  )
  .delete(
    '/:vendor',
    describeRoute({ tags, summary: "Forget a vendor's credentials (admin+); its stored warranty records stay", responses: { 204: noContent, ...errors(401, 403, 404) } }),
    valid('param', VendorParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const { vendor } = c.req.valid('param');
      if (!(await providerRow(db, auth.tenantId, vendor))) throw notFound('warranty provider');
      await db.batch([
        db.delete(warrantyProviders).where(and(eq(warrantyProviders.tenantId, auth.tenantId), eq(warrantyProviders.vendor, vendor))),
        auditInsert(db, c, { action: 'warranty_provider.delete', targetType: 'warranty_provider', targetId: vendor }),
      ]);
      return c.body(null, 204);
    },
  )
  .post(
    '/:vendor/run',
    describeRoute({
      tags,
      summary: "Look up now the warranties of every device whose manufacturer is this vendor (admin+); 404 when it is not configured",
      responses: { 200: jsonBody('WarrantyRunResult', WarrantyRunResult), ...errors(401, 403, 404) },
    }),
    valid('param', VendorParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const { vendor } = c.req.valid('param');
      const result = await runVendorLookup(db, auth.tenantId, vendor, { masterKey: c.env.TETHER_MASTER_KEY });
      if (!result) throw notFound('warranty provider');
      await audit(c, {
        action: 'warranty_provider.run',
        targetType: 'warranty_provider',
        targetId: vendor,
        detail: { devices: result.devices, updated: result.updated, failed: result.failed },
      });
      if (result.updated) recheckAssetAlerts(c);
      return c.json(result, 200);
    },
  );
