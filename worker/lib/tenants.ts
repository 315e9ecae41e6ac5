import { sql, type SQL } from 'drizzle-orm';
import { auditLog, clients, sites, tenants, users } from '../../db/schema';
import type { Db } from '../types';
import { auditRow } from './audit';
import { generateTenantKeys } from './crypto';
import { newId } from './ids';
import { changes, insertWhere } from './sql-helpers';

export interface NewTenant {
  name: string;
  owner: { name: string; email: string; passwordHash: string };
  /** The first client and site, so devices can enroll straight away. */
  clientName?: string;
  siteName?: string;
}

export interface CreateTenantOptions {
  /** Write nothing if any tenant exists (first-run setup); checked inside the write itself. */
  onlyIfNoTenant?: boolean;
  /** The action of the audit row recorded for the creation (by the new owner, on the tenant). */
  auditAction: string;
  ip: string | null;
}

export interface CreatedTenant {
  tenant: { id: string; name: string };
  owner: typeof users.$inferSelect;
  clientId: string;
  siteId: string;
}

/**
 * Creates a tenant with its command-signing key pair, its owner, a default client and site.
 * Answers null when `onlyIfNoTenant` is set and a tenant already exists: the tenant row is
 * inserted with `WHERE NOT EXISTS (SELECT 1 FROM tenants)` and every other row only if that
 * tenant row is there, all in one batch, so two racing first runs cannot both win.
 */
export async function createTenant(db: Db, masterKey: string, input: NewTenant, opts: CreateTenantOptions): Promise<CreatedTenant | null> {
  const keys = await generateTenantKeys(masterKey);
  const now = Date.now();
  const tenant = {
    id: newId('ten', now),
    name: input.name,
    createdAt: now,
    signingPublicKey: keys.publicKey,
    signingPrivateKeyEnc: keys.privateKeyEnc,
  };
  const owner = {
    id: newId('usr', now),
    tenantId: tenant.id,
    email: input.owner.email,
    name: input.owner.name,
    passwordHash: input.owner.passwordHash,
    role: 'owner' as const,
    clientIds: null,
    disabledAt: null,
    createdAt: now,
    lastLoginAt: null,
  };
  const client = { id: newId('cli', now), tenantId: tenant.id, name: input.clientName ?? 'Internal', notes: null, createdAt: now };
  const site = { id: newId('sit', now), tenantId: tenant.id, clientId: client.id, name: input.siteName ?? 'Main', address: null, createdAt: now };
  const auditEntry = auditRow(
    { tenantId: tenant.id, actorId: owner.id, actorType: 'user' },
    { action: opts.auditAction, targetType: 'tenant', targetId: tenant.id },
    opts.ip,
  );

  const first: SQL = sql`NOT EXISTS (SELECT 1 FROM ${tenants})`;
  const tenantWritten: SQL = sql`EXISTS (SELECT 1 FROM ${tenants} WHERE ${tenants.id} = ${tenant.id})`;
  const results = opts.onlyIfNoTenant
    ? await db.batch([
        insertWhere(db, tenants, tenant, first),
        insertWhere(db, users, owner, tenantWritten),
        insertWhere(db, clients, client, tenantWritten),
        insertWhere(db, sites, site, tenantWritten),
        insertWhere(db, auditLog, auditEntry, tenantWritten),
      ])
    : await db.batch([
        db.insert(tenants).values(tenant),
        db.insert(users).values(owner),
        db.insert(clients).values(client),
        db.insert(sites).values(site),
        db.insert(auditLog).values(auditEntry),
      ]);
  if (changes(results[0]) !== 1) return null;
  return { tenant: { id: tenant.id, name: tenant.name }, owner, clientId: client.id, siteId: site.id };
}
