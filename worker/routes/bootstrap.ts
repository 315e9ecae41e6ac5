import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { describeRoute } from 'hono-openapi';
import { tenants } from '../../db/schema';
import { BootstrapBody, BootstrapResult, BootstrapStatus } from '../../protocol/api/auth';
import type { AppEnv, Db } from '../types';
import { valid } from '../lib/validate';
import { ApiError } from '../lib/errors';
import { clientIp } from '../lib/audit';
import { hashPassword } from '../lib/crypto';
import { startSession } from '../lib/session';
import { createTenant } from '../lib/tenants';
import { errors, jsonBody } from '../lib/responses';
import { loadMe, userAuth } from './auth';

/*
 * First-run setup. Whether it is open is decided by the database alone (no tenant yet), never
 * by the path or a flag, so no URL variant can reach a setup that has already happened.
 */

const closed = () => new ApiError(409, 'bootstrap_closed', 'this installation is already set up; sign in instead');

async function anyTenant(db: Db): Promise<boolean> {
  return (await db.select({ id: tenants.id }).from(tenants).limit(1).get()) !== undefined;
}

// Refuse before parsing or hashing anything: once set up, the endpoint does no work at all.
const mustBeOpen = createMiddleware<AppEnv>(async (c, next) => {
  if (await anyTenant(c.var.db)) throw closed();
  await next();
});

export const bootstrapRoutes = new Hono<AppEnv>()
  .get(
    '/',
    describeRoute({
      tags: ['auth'],
      summary: 'Whether first-run setup is still needed',
      responses: { 200: jsonBody('setup state', BootstrapStatus) },
    }),
    async (c) => c.json({ needed: !(await anyTenant(c.var.db)) }, 200),
  )
  .post(
    '/',
    describeRoute({
      tags: ['auth'],
      summary: 'First-run setup: create the tenant and its owner, and sign in',
      description: 'Open only while no tenant exists; afterwards every call answers 409 `bootstrap_closed`.',
      responses: { 201: jsonBody('set up and signed in', BootstrapResult), ...errors(400, 403, 409) },
    }),
    mustBeOpen,
    valid('json', BootstrapBody),
    async (c) => {
      const body = c.req.valid('json');
      const db = c.var.db;
      const created = await createTenant(
        db,
        c.env.TETHER_MASTER_KEY,
        { name: body.tenantName, owner: { name: body.name, email: body.email, passwordHash: await hashPassword(body.password) } },
        { onlyIfNoTenant: true, auditAction: 'tenant.bootstrap', ip: clientIp(c) },
      );
      if (!created) throw closed();
      const auth = userAuth(created.owner);
      c.set('auth', auth);
      await startSession(c, db, created.owner);
      return c.json(await loadMe(db, auth), 201);
    },
  );
